"""The framework services: publish freezes a version forever; a new version is an equal draft."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model

from journeys.models import Dimension, Framework, FrameworkStatus, Item, Journey, Section, Stage, Touchpoint
from journeys.services import (
    FrameworkFrozen,
    LastPublishedFramework,
    framework_create,
    framework_delete,
    framework_new_version,
    framework_part_delete,
    framework_part_save,
    framework_publish,
    framework_retire,
    framework_update,
)
from tests.factories import BrandFactory, SectionFactory, complete_framework

IGNORED = {"id", "framework", "section", "journey", "stage", "dimension", "touchpoint"}


def fields(obj: Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in IGNORED}


def canonical(framework: Framework) -> dict:
    """The whole tree with ids replaced by codes, so two versions can be compared."""
    return {
        "dimensions": [fields(d) for d in Dimension.objects.filter(framework=framework).order_by("code")],
        "journeys": [
            {
                **fields(j),
                "stages": [
                    {**fields(s), "touchpoints": [fields(t) for t in s.touchpoints.order_by("code")]}
                    for s in j.stages.order_by("order", "name")
                ],
            }
            for j in Journey.objects.filter(framework=framework).order_by("code")
        ],
        "sections": [fields(s) for s in Section.objects.filter(framework=framework).order_by("code")],
        "items": [
            {
                **fields(i),
                "section": i.section.code,
                "dimension": i.dimension.code if i.dimension else None,
                "touchpoint": i.touchpoint.code if i.touchpoint else None,
            }
            for i in Item.objects.filter(framework=framework)
            .select_related("section", "dimension", "touchpoint")
            .order_by("code")
        ],
    }


@pytest.fixture
def published(db) -> Framework:
    return framework_publish(framework=complete_framework())


@pytest.mark.django_db
class TestPublish:
    def test_publish_makes_current_and_dates_it(self, admin_user):
        framework = framework_publish(framework=complete_framework(), user=admin_user)
        assert framework.status == FrameworkStatus.PUBLISHED
        assert framework.published_at is not None
        assert framework.published_by == admin_user
        assert list(Framework.objects.current()) == [framework]

    def test_publishing_a_new_version_retires_the_old(self, published):
        draft = framework_new_version(framework=published)
        framework_publish(framework=draft)
        published.refresh_from_db()
        assert published.status == FrameworkStatus.RETIRED
        assert published.retired_at is not None
        assert list(Framework.objects.filter(brand=published.brand).current()) == [draft]

    def test_cannot_publish_twice(self, published):
        with pytest.raises(FrameworkFrozen):
            framework_publish(framework=published)

    def test_empty_draft_cannot_be_published(self):
        draft = framework_create(brand=BrandFactory(), name="Empty")
        with pytest.raises(ValidationError) as error:
            framework_publish(framework=draft)
        assert "items" in error.value.message_dict
        draft.refresh_from_db()
        assert draft.is_draft

    def test_invalid_item_blocks_publishing_and_is_named(self):
        draft = complete_framework()
        Item.objects.filter(code="DIS-01").update(target_authorized=None)
        with pytest.raises(ValidationError) as error:
            framework_publish(framework=draft)
        assert any("DIS-01" in message for message in error.value.message_dict["items"])

    def test_retire_refuses_the_last_published_version(self, published):
        """Auditors need a current version: publishing a new one retires it instead (finding 10)."""
        with pytest.raises(LastPublishedFramework):
            framework_retire(framework=published)
        assert Framework.objects.filter(brand=published.brand).current().get() == published
        framework_publish(framework=framework_new_version(framework=published))
        published.refresh_from_db()
        assert published.status == FrameworkStatus.RETIRED
        with pytest.raises(ValidationError):
            framework_retire(framework=published)


@pytest.mark.django_db
class TestFrozenVersions:
    """Nothing in a published or retired version can change through the services."""

    def parts(self, framework: Framework) -> list[Model]:
        return [
            framework.dimensions.first(),
            framework.journeys.first(),
            Stage.objects.filter(journey__framework=framework).first(),
            Touchpoint.objects.filter(stage__journey__framework=framework).first(),
            framework.sections.first(),
            framework.items.first(),
        ]

    def test_no_part_can_be_changed(self, published):
        before = canonical(published)
        for part in self.parts(published):
            setattr(part, "question" if isinstance(part, Item) else "name", "Changed")
            with pytest.raises(FrameworkFrozen):
                framework_part_save(part=part)
        assert canonical(published) == before

    def test_no_part_can_be_deleted(self, published):
        before = canonical(published)
        for part in self.parts(published):
            with pytest.raises(FrameworkFrozen):
                framework_part_delete(part=part)
        assert canonical(published) == before

    def test_no_part_can_be_added(self, published):
        with pytest.raises(FrameworkFrozen):
            framework_part_save(part=Section(framework=published, code="new", name="New"))
        with pytest.raises(FrameworkFrozen):
            framework_part_save(
                part=Item(
                    framework=published,
                    section=published.sections.first(),
                    code="X",
                    question="?",
                    answer_type="yes_no",
                )
            )

    def test_part_cannot_be_moved_out_of_a_frozen_version(self, published):
        draft = framework_create(brand=published.brand, name="Next")
        section = published.sections.first()
        section.framework = draft
        with pytest.raises(FrameworkFrozen):
            framework_part_save(part=section)

    def test_framework_itself_cannot_change_or_be_deleted(self, published):
        with pytest.raises(FrameworkFrozen):
            framework_update(framework=published, name="Renamed")
        with pytest.raises(FrameworkFrozen):
            framework_delete(framework=published)
        published.refresh_from_db()
        assert published.name == "Brand experience standard"

    def test_stale_object_cannot_sneak_a_change_in(self, published):
        stale = Framework.objects.get(pk=published.pk)
        stale.status = FrameworkStatus.DRAFT  # an old in-memory copy still thinks it is a draft
        section = Section(framework=stale, code="late", name="Late")
        with pytest.raises(FrameworkFrozen):
            framework_part_save(part=section)

    def test_retired_is_frozen_too(self, published):
        framework_publish(framework=framework_new_version(framework=published))
        with pytest.raises(FrameworkFrozen):
            framework_part_delete(part=published.items.first())


@pytest.mark.django_db
class TestNewVersion:
    def test_copy_is_an_equal_draft(self, published):
        draft = framework_new_version(framework=published)
        assert draft.status == FrameworkStatus.DRAFT
        assert draft.version == published.version + 1
        assert draft.based_on == published
        assert draft.brand == published.brand
        assert canonical(draft) == canonical(published)

    def test_copy_points_only_at_its_own_parts(self, published):
        draft = framework_new_version(framework=published)
        for item in draft.items.select_related("section", "dimension", "touchpoint__stage__journey"):
            assert item.section.framework_id == draft.pk
            if item.dimension:
                assert item.dimension.framework_id == draft.pk
            if item.touchpoint:
                assert item.touchpoint.stage.journey.framework_id == draft.pk

    def test_copy_is_editable_and_the_original_is_untouched(self, published):
        before = canonical(published)
        draft = framework_new_version(framework=published, name="2027 standard")
        item = draft.items.get(code="DIS-01")
        item.target_authorized = Decimal("8")
        framework_part_save(part=item)
        framework_part_delete(part=draft.items.get(code="SIG-02"))
        assert canonical(published) == before
        assert draft.name == "2027 standard"
        assert draft.items.count() == published.items.count() - 1

    def test_copy_query_count_does_not_grow_with_the_framework(
        self, published, django_assert_max_num_queries
    ):
        # 20, and one insert per level for the parts' change history (6)
        with django_assert_max_num_queries(26):
            framework_new_version(framework=published)
        for n in range(30):
            Item.objects.create(
                framework=published,
                section=published.sections.first(),
                code=f"EXTRA-{n}",
                question="?",
                answer_type="yes_no",
            )
        with django_assert_max_num_queries(26):
            framework_new_version(framework=published)

    def test_draft_can_be_deleted(self, published):
        draft = framework_new_version(framework=published)
        framework_delete(framework=draft)
        assert not Framework.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_draft_parts_are_validated_on_save():
    section = SectionFactory()
    item = Item(
        framework=section.framework, section=section, code="N-1", question="Demo units", answer_type="number"
    )
    with pytest.raises(ValidationError) as error:
        framework_part_save(part=item)
    assert "target_direct" in error.value.message_dict
