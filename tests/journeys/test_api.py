"""The framework API: scoped like the chain, parts writable only while the version is a draft."""

from __future__ import annotations

import pytest

from journeys.models import Framework, FrameworkStatus, Item
from journeys.services import framework_publish
from tests.conftest import Chain
from tests.factories import (
    DimensionFactory,
    FrameworkFactory,
    ItemFactory,
    JourneyFactory,
    SectionFactory,
    StageFactory,
    TouchpointFactory,
    complete_framework,
)
from tests.generic import ScopedAPITests


class TestFrameworkAPI(ScopedAPITests):
    url = "/api/frameworks/"

    def own(self, chain: Chain):
        return FrameworkFactory(brand=chain.brand)

    def foreign(self, chain: Chain):
        return FrameworkFactory(brand=chain.other_brand)

    def create_payload(self, chain: Chain, brand) -> dict:
        return {"brand": brand.pk, "name": "2027 standard"}


class TestDimensionAPI(ScopedAPITests):
    url = "/api/dimensions/"

    def own(self, chain: Chain):
        return DimensionFactory(framework__brand=chain.brand)

    def foreign(self, chain: Chain):
        return DimensionFactory(framework__brand=chain.other_brand)

    def create_payload(self, chain: Chain, brand) -> dict:
        framework = Framework.objects.filter(brand=brand).first() or FrameworkFactory(brand=brand)
        return {
            "framework": framework.pk,
            "code": "convenience",
            "name": "Convenience",
            "importance": "6",
            "expectation": "7",
            "ideal": "8.5",
        }


class TestJourneyAPI(ScopedAPITests):
    url = "/api/journeys/"

    def own(self, chain: Chain):
        return JourneyFactory(framework__brand=chain.brand)

    def foreign(self, chain: Chain):
        return JourneyFactory(framework__brand=chain.other_brand)

    def create_payload(self, chain: Chain, brand) -> dict:
        framework = Framework.objects.filter(brand=brand).first() or FrameworkFactory(brand=brand)
        return {"framework": framework.pk, "code": "repair", "name": "Get a repair"}


class TestStageAPI(ScopedAPITests):
    url = "/api/stages/"

    def own(self, chain: Chain):
        return StageFactory(journey__framework__brand=chain.brand)

    def foreign(self, chain: Chain):
        return StageFactory(journey__framework__brand=chain.other_brand)

    def create_payload(self, chain: Chain, brand) -> dict:
        journey = JourneyFactory(framework__brand=brand)
        return {"journey": journey.pk, "name": "Pay", "phase": "during"}


class TestTouchpointAPI(ScopedAPITests):
    url = "/api/touchpoints/"

    def own(self, chain: Chain):
        return TouchpointFactory(stage__journey__framework__brand=chain.brand)

    def foreign(self, chain: Chain):
        return TouchpointFactory(stage__journey__framework__brand=chain.other_brand)

    def create_payload(self, chain: Chain, brand) -> dict:
        stage = StageFactory(journey__framework__brand=brand)
        return {"stage": stage.pk, "code": "hotline", "name": "Hotline", "channel": "phone"}


class TestSectionAPI(ScopedAPITests):
    url = "/api/sections/"

    def own(self, chain: Chain):
        return SectionFactory(framework__brand=chain.brand)

    def foreign(self, chain: Chain):
        return SectionFactory(framework__brand=chain.other_brand)

    def create_payload(self, chain: Chain, brand) -> dict:
        framework = Framework.objects.filter(brand=brand).first() or FrameworkFactory(brand=brand)
        return {"framework": framework.pk, "code": "staffing", "name": "Staffing", "weight": "2"}


class TestItemAPI(ScopedAPITests):
    url = "/api/items/"

    def own(self, chain: Chain):
        return ItemFactory(section__framework__brand=chain.brand)

    def foreign(self, chain: Chain):
        return ItemFactory(section__framework__brand=chain.other_brand)

    def create_payload(self, chain: Chain, brand) -> dict:
        section = SectionFactory(framework__brand=brand)
        return {
            "section": section.pk,
            "code": "SIG-09",
            "question": "Authorized dealer mark shown?",
            "answer_type": "signage_text",
            "applies_to_direct": False,
            "forbidden_terms": ["Flagship", "旗舰店"],
            "required_terms": ["Authorized Dealer"],
        }

    def update_payload(self) -> dict:
        return {"question": "Renamed?"}


@pytest.fixture
def admin_client(api, role_users):
    return api(role_users["hq_admin"])


@pytest.fixture
def published(chain) -> Framework:
    return framework_publish(framework=complete_framework(brand=chain.brand))


def strip_ids(value):
    """A framework document with ids, links and version facts removed, for comparing copies."""
    ignored = {
        "id",
        "framework",
        "section",
        "stage",
        "journey",
        "dimension",
        "touchpoint",
        "version",
        "status",
        "based_on",
        "created_at",
        "published_at",
        "retired_at",
    }
    if isinstance(value, dict):
        return {k: strip_ids(v) for k, v in value.items() if k not in ignored}
    if isinstance(value, list):
        return [strip_ids(v) for v in value]
    return value


@pytest.mark.django_db
class TestPublishedFrameworkIsFrozenThroughTheAPI:
    def test_item_change_refused_with_409(self, admin_client, published):
        item = published.items.get(code="DIS-01")
        response = admin_client.patch(f"/api/items/{item.pk}/", {"target_authorized": "1"}, format="json")
        assert response.status_code == 409
        assert "framework" in response.json()
        item.refresh_from_db()
        assert str(item.target_authorized) == "6.00"

    def test_put_refused_even_with_invalid_data(self, admin_client, published):
        item = published.items.first()
        assert admin_client.put(f"/api/items/{item.pk}/", {}, format="json").status_code == 409

    @pytest.mark.parametrize("resource", ["dimensions", "journeys", "sections", "items"])
    def test_delete_refused(self, admin_client, published, resource):
        part = getattr(published, resource).first()
        assert admin_client.delete(f"/api/{resource}/{part.pk}/").status_code == 409
        assert type(part).objects.filter(pk=part.pk).exists()

    def test_adding_parts_refused(self, admin_client, published):
        section = published.sections.first()
        payload = {"section": section.pk, "code": "NEW", "question": "?", "answer_type": "yes_no"}
        assert admin_client.post("/api/items/", payload, format="json").status_code == 409
        payload = {"framework": published.pk, "code": "new", "name": "New"}
        assert admin_client.post("/api/sections/", payload, format="json").status_code == 409
        stage = StageFactory.build(journey=published.journeys.first())
        payload = {"journey": stage.journey_id, "name": "Late", "phase": "after"}
        assert admin_client.post("/api/stages/", payload, format="json").status_code == 409
        assert not Item.objects.filter(code="NEW").exists()

    def test_framework_rename_and_delete_refused(self, admin_client, published):
        url = f"/api/frameworks/{published.pk}/"
        assert admin_client.patch(url, {"name": "X"}, format="json").status_code == 409
        assert admin_client.delete(url).status_code == 409
        assert Framework.objects.get(pk=published.pk).name == published.name

    def test_status_is_not_writable(self, admin_client, chain):
        draft = FrameworkFactory(brand=chain.brand)
        response = admin_client.patch(f"/api/frameworks/{draft.pk}/", {"status": "published"}, format="json")
        assert response.status_code == 200
        draft.refresh_from_db()
        assert draft.status == FrameworkStatus.DRAFT


@pytest.mark.django_db
class TestFrameworkActions:
    def test_publish(self, admin_client, chain):
        draft = complete_framework(brand=chain.brand)
        response = admin_client.post(f"/api/frameworks/{draft.pk}/publish/")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "published"

    def test_publish_incomplete_is_400(self, admin_client, chain):
        draft = FrameworkFactory(brand=chain.brand)
        response = admin_client.post(f"/api/frameworks/{draft.pk}/publish/")
        assert response.status_code == 400
        assert "items" in response.json()

    @pytest.mark.parametrize("role", ["hq_analyst", "auditor", "franchisee"])
    def test_only_hq_admins_publish(self, api, role_users, chain, role):
        draft = complete_framework(brand=chain.brand)
        assert api(role_users[role]).post(f"/api/frameworks/{draft.pk}/publish/").status_code == 403

    def test_foreign_framework_actions_are_404(self, admin_client, chain):
        foreign = complete_framework(brand=chain.other_brand)
        assert admin_client.post(f"/api/frameworks/{foreign.pk}/publish/").status_code == 404
        assert admin_client.post(f"/api/frameworks/{foreign.pk}/new-version/").status_code == 404

    def test_new_version_is_an_equal_editable_draft(self, admin_client, published):
        response = admin_client.post(
            f"/api/frameworks/{published.pk}/new-version/", {"name": "2027"}, format="json"
        )
        assert response.status_code == 201, response.content
        draft = response.json()
        assert (draft["status"], draft["version"], draft["based_on"]) == (
            "draft",
            published.version + 1,
            published.pk,
        )
        original = admin_client.get(f"/api/frameworks/{published.pk}/").json()
        copy = admin_client.get(f"/api/frameworks/{draft['id']}/").json()
        assert copy["name"] == "2027"
        original["name"] = copy["name"]
        assert strip_ids(copy) == strip_ids(original)
        item = Item.objects.get(framework_id=draft["id"], code="DIS-01")
        assert (
            admin_client.patch(
                f"/api/items/{item.pk}/", {"target_authorized": "7"}, format="json"
            ).status_code
            == 200
        )

    def test_retire_keeps_the_only_published_version(self, admin_client, published):
        """Auditors need a published version: the last one is replaced by publishing, never retired
        on its own (issue 12, finding 10; tests/trust/test_f10_history.py)."""
        response = admin_client.post(f"/api/frameworks/{published.pk}/retire/")
        assert response.status_code == 409
        published.refresh_from_db()
        assert published.status == "published"


@pytest.mark.django_db
class TestFrameworkDocument:
    def test_detail_is_the_whole_tree(self, api, role_users, published):
        document = api(role_users["franchisee"]).get(f"/api/frameworks/{published.pk}/").json()
        assert [d["code"] for d in document["dimensions"]] == ["service", "price"]
        assert document["journeys"][0]["stages"][0]["touchpoints"][0]["code"] == "front"
        signage = document["sections"][0]
        assert signage["items"][0]["forbidden_terms"] == ["Experience Store", "体验店"]
        assert signage["items"][0]["applies_to_direct"] is False

    def test_detail_query_count_is_constant(self, api, role_users, published, django_assert_max_num_queries):
        client = api(role_users["hq_analyst"])
        with django_assert_max_num_queries(12):
            client.get(f"/api/frameworks/{published.pk}/")
        for n in range(25):
            Item.objects.create(
                framework=published,
                section=published.sections.first(),
                code=f"X{n}",
                question="?",
                answer_type="yes_no",
            )
        with django_assert_max_num_queries(12):
            client.get(f"/api/frameworks/{published.pk}/")


@pytest.mark.django_db
class TestItemWriteValidation:
    def test_dimension_from_another_version_is_refused(self, admin_client, chain, published):
        draft = FrameworkFactory(brand=chain.brand, version=99)
        section = SectionFactory(framework=draft)
        payload = {
            "section": section.pk,
            "code": "X",
            "question": "?",
            "answer_type": "yes_no",
            "dimension": published.dimensions.first().pk,
        }
        response = admin_client.post("/api/items/", payload, format="json")
        assert response.status_code == 400
        assert "dimension" in response.json()

    def test_number_item_without_target_is_400(self, admin_client, chain):
        section = SectionFactory(framework__brand=chain.brand)
        payload = {
            "section": section.pk,
            "code": "N",
            "question": "Demo units",
            "answer_type": "number",
            "target_direct": "10",
        }
        response = admin_client.post("/api/items/", payload, format="json")
        assert response.status_code == 400
        assert "target_authorized" in response.json()

    def test_duplicate_code_names_code(self, admin_client, chain):
        item = ItemFactory(section__framework__brand=chain.brand, code="DUP")
        payload = {"section": item.section_id, "code": "DUP", "question": "?", "answer_type": "yes_no"}
        response = admin_client.post("/api/items/", payload, format="json")
        assert response.status_code == 400
        assert "code" in response.json()
