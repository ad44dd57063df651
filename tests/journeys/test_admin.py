"""Authoring in the admin: drafts are editable; published versions cannot change there either."""

from __future__ import annotations

import pytest
from django.test import Client

from cx_audit.core.choices import Role
from journeys.models import Framework, FrameworkStatus, Item, Section
from journeys.services import framework_publish
from tests.factories import MembershipFactory, complete_framework


@pytest.fixture
def hq_admin(chain):
    membership = MembershipFactory(brand=chain.brand, role=Role.HQ_ADMIN, user__is_staff=True)
    return membership.user


@pytest.fixture
def browser(hq_admin) -> Client:
    client = Client()
    client.force_login(hq_admin)
    return client


@pytest.fixture
def draft(chain) -> Framework:
    return complete_framework(brand=chain.brand)


@pytest.fixture
def published(draft) -> Framework:
    return framework_publish(framework=draft)


def item_form(item: Item, **changes) -> dict:
    data = {
        "framework": item.framework_id,
        "section": item.section_id,
        "order": item.order,
        "code": item.code,
        "question": item.question,
        "guidance": item.guidance,
        "answer_type": item.answer_type,
        "weight": item.weight,
        "critical": "on" if item.critical else "",
        "na_allowed": "",
        "cannot_check_allowed": "on",
        "applies_to_direct": "on" if item.applies_to_direct else "",
        "applies_to_authorized": "on" if item.applies_to_authorized else "",
        "target_direct": item.target_direct or "",
        "target_authorized": item.target_authorized or "",
        "price_min_pct_direct": item.price_min_pct_direct or "",
        "price_max_pct_direct": item.price_max_pct_direct or "",
        "price_min_pct_authorized": item.price_min_pct_authorized or "",
        "price_max_pct_authorized": item.price_max_pct_authorized or "",
        "required_terms": "\n".join(item.required_terms),
        "forbidden_terms": "\n".join(item.forbidden_terms),
        "touchpoint": item.touchpoint_id or "",
        "dimension": item.dimension_id or "",
    }
    data = {k: v for k, v in data.items() if v != ""}
    data.update(changes)
    return data


@pytest.mark.django_db
class TestDraftAuthoring:
    def test_item_edit_saves(self, browser, draft):
        item = draft.items.get(code="SIG-01")
        response = browser.post(
            f"/admin/journeys/item/{item.pk}/change/",
            item_form(item, forbidden_terms="Flagship\n旗舰店\nStore"),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        item.refresh_from_db()
        assert item.forbidden_terms == ["Flagship", "旗舰店", "Store"]

    def test_invalid_item_shows_the_field_error(self, browser, draft):
        item = draft.items.get(code="DIS-01")
        data = item_form(item)
        data.pop("target_authorized")
        response = browser.post(f"/admin/journeys/item/{item.pk}/change/", data)
        assert response.status_code == 200
        assert "needs a target" in response.content.decode()

    def test_section_with_item_inline_adds_item(self, browser, draft):
        section = draft.sections.get(code="signage")
        items = list(section.items.all())
        data = {
            "framework": draft.pk,
            "code": section.code,
            "name": "Signage & logo",
            "weight": "2",
            "order": "1",
            "items-TOTAL_FORMS": str(len(items) + 1),
            "items-INITIAL_FORMS": str(len(items)),
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        }
        for n, item in enumerate(items):
            data.update(
                {
                    f"items-{n}-id": item.pk,
                    f"items-{n}-section": section.pk,
                    f"items-{n}-order": item.order,
                    f"items-{n}-code": item.code,
                    f"items-{n}-question": item.question,
                    f"items-{n}-answer_type": item.answer_type,
                    f"items-{n}-weight": item.weight,
                    f"items-{n}-applies_to_authorized": "on",
                }
            )
            if item.applies_to_direct:
                data[f"items-{n}-applies_to_direct"] = "on"
        n = len(items)
        data.update(
            {
                f"items-{n}-section": section.pk,
                f"items-{n}-order": "9",
                f"items-{n}-code": "SIG-09",
                f"items-{n}-question": "Uniform worn",
                f"items-{n}-answer_type": "yes_no",
                f"items-{n}-weight": "1",
                f"items-{n}-applies_to_direct": "on",
            }
        )
        response = browser.post(f"/admin/journeys/section/{section.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert Item.objects.get(code="SIG-09").framework_id == draft.pk

    def test_publish_action(self, browser, draft):
        response = browser.post(
            "/admin/journeys/framework/", {"action": "publish", "_selected_action": [draft.pk]}
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == FrameworkStatus.PUBLISHED

    def test_new_version_action(self, browser, published):
        browser.post(
            "/admin/journeys/framework/", {"action": "new_version", "_selected_action": [published.pk]}
        )
        copy = Framework.objects.get(based_on=published)
        assert copy.is_draft
        assert copy.items.count() == published.items.count()


@pytest.mark.django_db
class TestPublishedIsFrozenInTheAdmin:
    def test_change_page_is_read_only(self, browser, published):
        item = published.items.first()
        page = browser.get(f"/admin/journeys/item/{item.pk}/change/")
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()

    def test_posting_a_change_is_refused(self, browser, published):
        item = published.items.get(code="DIS-01")
        response = browser.post(
            f"/admin/journeys/item/{item.pk}/change/", item_form(item, question="Changed")
        )
        assert response.status_code == 403
        item.refresh_from_db()
        assert item.question == "Working demo units"

    def test_adding_an_item_into_a_published_section_is_refused(self, browser, published):
        section = published.sections.first()
        before = Item.objects.count()
        response = browser.post(
            "/admin/journeys/item/add/",
            {
                "framework": published.pk,
                "section": section.pk,
                "order": "1",
                "code": "NEW",
                "question": "?",
                "answer_type": "yes_no",
                "weight": "1",
                "applies_to_direct": "on",
                "cannot_check_allowed": "on",
            },
            follow=True,
        )
        assert Item.objects.count() == before
        assert "can no longer change" in response.content.decode()

    def test_deleting_is_refused(self, browser, published):
        section = published.sections.first()
        response = browser.post(f"/admin/journeys/section/{section.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
        assert Section.objects.filter(pk=section.pk).exists()

    def test_bulk_delete_action_is_refused(self, browser, published):
        items = list(published.items.values_list("pk", flat=True))
        browser.post(
            "/admin/journeys/item/", {"action": "delete_selected", "_selected_action": items, "post": "yes"}
        )
        assert published.items.count() == len(items)

    def test_framework_rename_is_refused(self, browser, published):
        response = browser.post(f"/admin/journeys/framework/{published.pk}/change/", {"name": "Renamed"})
        assert response.status_code == 403
        published.refresh_from_db()
        assert published.name != "Renamed"


@pytest.mark.django_db
class TestAdminScope:
    def test_other_brands_framework_is_invisible(self, browser, chain, draft):
        foreign = complete_framework(brand=chain.other_brand)
        item = foreign.items.first()
        response = browser.get(f"/admin/journeys/item/{item.pk}/change/")
        assert response.status_code == 302  # the admin's "does not exist" redirect
        listed = browser.get("/admin/journeys/item/").context["cl"].result_list
        assert {i.framework_id for i in listed} == {draft.pk}

    def test_non_admin_roles_have_no_admin(self, chain):
        analyst = MembershipFactory(brand=chain.brand, role=Role.HQ_ANALYST, user__is_staff=True).user
        client = Client()
        client.force_login(analyst)
        assert client.get("/admin/journeys/item/").status_code == 403
