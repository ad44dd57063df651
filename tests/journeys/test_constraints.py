"""Every database constraint of the framework holds even when validation is bypassed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from journeys.models import AnswerType, FrameworkStatus
from tests.factories import (
    DimensionFactory,
    FrameworkFactory,
    ItemFactory,
    JourneyFactory,
    SectionFactory,
    StageFactory,
    TouchpointFactory,
)


def violates(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.django_db
class TestFrameworkConstraints:
    def test_version_unique_per_brand(self):
        framework = FrameworkFactory(version=1)
        violates(lambda: FrameworkFactory(brand=framework.brand, version=1))

    def test_one_published_version_per_brand(self):
        now = timezone.now()
        first = FrameworkFactory(status=FrameworkStatus.PUBLISHED, published_at=now)
        violates(
            lambda: FrameworkFactory(brand=first.brand, status=FrameworkStatus.PUBLISHED, published_at=now)
        )
        FrameworkFactory(brand=first.brand, status=FrameworkStatus.RETIRED, published_at=now)

    def test_published_has_a_date(self):
        violates(lambda: FrameworkFactory(status=FrameworkStatus.PUBLISHED, published_at=None))

    def test_status_valid(self):
        violates(lambda: FrameworkFactory(status="archived"))


@pytest.mark.django_db
class TestPartConstraints:
    @pytest.mark.parametrize("field", ["importance", "expectation", "ideal"])
    @pytest.mark.parametrize("value", ["-0.1", "10.1"])
    def test_dimension_scores_0_to_10(self, field, value):
        violates(lambda: DimensionFactory(**{field: Decimal(value)}))

    def test_codes_unique_within_a_version(self):
        framework = FrameworkFactory()
        DimensionFactory(framework=framework, code="price")
        violates(lambda: DimensionFactory(framework=framework, code="price"))
        JourneyFactory(framework=framework, code="buy")
        violates(lambda: JourneyFactory(framework=framework, code="buy"))
        SectionFactory(framework=framework, code="signage")
        violates(lambda: SectionFactory(framework=framework, code="signage"))
        section = SectionFactory(framework=framework, code="display")
        ItemFactory(section=section, code="D-1")
        violates(lambda: ItemFactory(section=section, code="D-1"))

    def test_touchpoint_code_unique_per_stage(self):
        stage = StageFactory()
        TouchpointFactory(stage=stage, code="front")
        violates(lambda: TouchpointFactory(stage=stage, code="front"))

    def test_choices_enforced(self):
        violates(lambda: StageFactory(phase="someday"))
        violates(lambda: TouchpointFactory(channel="pigeon"))
        violates(lambda: ItemFactory(answer_type="essay"))

    def test_weights_not_negative(self):
        violates(lambda: SectionFactory(weight=Decimal("-1")))
        violates(lambda: ItemFactory(weight=Decimal("-1")))

    def test_item_applies_to_some_outlet_type(self):
        violates(lambda: ItemFactory(applies_to_direct=False, applies_to_authorized=False))

    @pytest.mark.parametrize("kind", ["direct", "authorized"])
    def test_price_band_ordered(self, kind):
        violates(
            lambda: ItemFactory(
                answer_type=AnswerType.PRICE,
                **{f"price_min_pct_{kind}": Decimal("101"), f"price_max_pct_{kind}": Decimal("100")},
            )
        )


@pytest.mark.django_db
class TestItemValidation:
    def errors(self, item) -> dict:
        with pytest.raises(ValidationError) as error:
            item.full_clean()
        return error.value.message_dict

    def test_number_needs_target_per_applicable_outlet_type(self):
        item = ItemFactory.build(
            section=SectionFactory(), answer_type=AnswerType.NUMBER, target_direct=Decimal("5")
        )
        item.framework = item.section.framework
        assert "target_authorized" in self.errors(item)
        item.applies_to_authorized = False
        item.full_clean()

    def test_price_needs_band(self):
        item = ItemFactory.build(section=SectionFactory(), answer_type=AnswerType.PRICE)
        item.framework = item.section.framework
        assert {"price_max_pct_direct", "price_max_pct_authorized"} <= set(self.errors(item))

    def test_signage_needs_terms(self):
        item = ItemFactory.build(section=SectionFactory(), answer_type=AnswerType.SIGNAGE_TEXT)
        item.framework = item.section.framework
        assert "forbidden_terms" in self.errors(item)

    def test_terms_must_be_strings(self):
        item = ItemFactory.build(section=SectionFactory(), forbidden_terms=["ok", ""])
        item.framework = item.section.framework
        assert "forbidden_terms" in self.errors(item)

    def test_parts_from_another_version_refused(self):
        item = ItemFactory(section=SectionFactory())
        item.dimension = DimensionFactory()
        item.touchpoint = TouchpointFactory()
        assert {"dimension", "touchpoint"} <= set(self.errors(item))
