"""factory_boy factories for the chain and the framework."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from cx_audit.core.choices import Role
from journeys.models import (
    AnswerType,
    Channel,
    Dimension,
    Framework,
    Item,
    Journey,
    Phase,
    Section,
    Stage,
    Touchpoint,
)
from locations.models import Brand, Franchisee, Location, Membership, OutletType, Region

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    brand = factory.SubFactory(BrandFactory)
    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class FranchiseeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Franchisee

    brand = factory.SubFactory(BrandFactory)
    code = factory.Sequence(lambda n: f"F{n}")
    name = factory.Sequence(lambda n: f"Partner {n} Trading Co.")


class LocationFactory(factory.django.DjangoModelFactory):
    """A direct store by default; pass ``franchisee=`` for an authorized outlet."""

    class Meta:
        model = Location

    brand = factory.SubFactory(BrandFactory)
    code = factory.Sequence(lambda n: f"L{n:04d}")
    name = factory.Sequence(lambda n: f"Store {n}")
    outlet_type = factory.LazyAttribute(
        lambda o: OutletType.AUTHORIZED if o.franchisee else OutletType.DIRECT
    )
    franchisee = None
    city = "Shanghai"
    city_tier = 1
    latitude = Decimal("31.230400")
    longitude = Decimal("121.473700")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    brand = factory.SubFactory(BrandFactory)
    role = Role.HQ_ADMIN

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.regions.set(extracted)

    @factory.post_generation
    def locations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.locations.set(extracted)


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    brand = factory.SubFactory(BrandFactory)
    version = factory.Sequence(lambda n: n + 1)
    name = "Brand experience standard"


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"dim-{n}")
    name = factory.Sequence(lambda n: f"Dimension {n}")
    importance = Decimal("8")
    expectation = Decimal("7")
    ideal = Decimal("9")


class JourneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journey

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"journey-{n}")
    name = "Buy a phone in store"


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    journey = factory.SubFactory(JourneyFactory)
    name = "Arrive"
    phase = Phase.BEFORE


class TouchpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Touchpoint

    stage = factory.SubFactory(StageFactory)
    code = factory.Sequence(lambda n: f"tp-{n}")
    name = "Shop front"
    channel = Channel.IN_STORE


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"section-{n}")
    name = "Signage"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    section = factory.SubFactory(SectionFactory)
    framework = factory.LazyAttribute(lambda o: o.section.framework)
    code = factory.Sequence(lambda n: f"I{n:03d}")
    question = "Is the shop front clean and lit?"
    answer_type = AnswerType.YES_NO


def complete_framework(brand: Brand | None = None, **kwargs) -> Framework:
    """A small draft that can be published: every part type and every answer type."""
    framework = FrameworkFactory(brand=brand or BrandFactory(), **kwargs)
    service = DimensionFactory(framework=framework, code="service", name="Service")
    price = DimensionFactory(framework=framework, code="price", name="Price", importance=Decimal("9"))
    journey = JourneyFactory(framework=framework, code="buy", name="Buy a phone in store")
    arrive = StageFactory(journey=journey, name="Arrive", phase=Phase.BEFORE, order=1)
    buy = StageFactory(journey=journey, name="Buy", phase=Phase.DURING, order=2)
    front = TouchpointFactory(stage=arrive, code="front", name="Shop front")
    checkout = TouchpointFactory(stage=buy, code="checkout", name="Checkout")
    signage = SectionFactory(framework=framework, code="signage", name="Signage", order=1)
    display = SectionFactory(framework=framework, code="display", name="Display", order=2)
    ItemFactory(
        section=signage,
        code="SIG-01",
        question="Shop sign text",
        answer_type=AnswerType.SIGNAGE_TEXT,
        applies_to_direct=False,
        required_terms=["Authorized Dealer"],
        forbidden_terms=["Experience Store", "体验店"],
        critical=True,
        touchpoint=front,
        dimension=service,
    )
    ItemFactory(section=signage, code="SIG-02", question="Logo lit", touchpoint=front, dimension=service)
    ItemFactory(
        section=display,
        code="DIS-01",
        question="Working demo units",
        answer_type=AnswerType.NUMBER,
        target_direct=Decimal("12"),
        target_authorized=Decimal("6"),
        dimension=service,
    )
    ItemFactory(
        section=display,
        code="DIS-02",
        question="Price of the flagship phone",
        answer_type=AnswerType.PRICE,
        price_min_pct_direct=Decimal("100"),
        price_max_pct_direct=Decimal("100"),
        price_min_pct_authorized=Decimal("90"),
        price_max_pct_authorized=Decimal("100"),
        touchpoint=checkout,
        dimension=price,
    )
    ItemFactory(
        section=display,
        code="DIS-03",
        question="Greeting",
        answer_type=AnswerType.RATING,
        na_allowed=True,
    )
    return framework


class AuditPlanFactory(factory.django.DjangoModelFactory):
    """How often a brand's locations are audited; a plan naming no outlet type or tier by default."""

    class Meta:
        model = "cx_audit.AuditPlan"  # by label: the audit packages are being moved

    brand = factory.SubFactory(BrandFactory)
    outlet_type = ""
    city_tier = None
    interval_days = 90


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    """A brand's default routing rule (it names no item, dimension, section or severity)."""

    class Meta:
        model = "cx_audit.RoutingRule"

    brand = factory.SubFactory(BrandFactory)
    department = "store_manager"
