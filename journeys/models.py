"""The unified brand experience framework: what good looks like, versioned per brand.

A framework version is a tree: dimensions (what customers value), journeys → stages →
touchpoints (where they meet the brand), and checklist sections → items (the standards an
auditor checks). A draft may change; a published version is frozen forever, because audits
keep pointing at the version they were taken against. `journeys.services` is the only place
that changes a framework's status or its parts.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cx_audit.core.history import TrackedHistory
from journeys.querysets import FrameworkPartQuerySet, FrameworkQuerySet
from locations.models import Brand, OutletType

ZERO = Decimal("0")
TEN = Decimal("10")


def zero_to_ten() -> list:
    return [MinValueValidator(ZERO), MaxValueValidator(TEN)]


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published (current)")
    RETIRED = "retired", _("Retired")


class Phase(models.TextChoices):
    BEFORE = "before", _("Before purchase")
    DURING = "during", _("During purchase")
    AFTER = "after", _("After purchase")


class Channel(models.TextChoices):
    IN_STORE = "in_store", _("In store")
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web")
    APP = "app", _("App")
    SOCIAL = "social", _("Social")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    RATING = "rating", _("Rating 1–5")
    NUMBER = "number", _("Number against a target")
    PRICE = "price", _("Price observed vs list")
    TEXT = "text", _("Free text")
    PHOTO = "photo", _("Photo")
    SIGNAGE_TEXT = "signage_text", _("Signage text")


class Framework(models.Model):
    """One version of a brand's experience framework. Exactly one published version is current."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="frameworks")
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_versions",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = FrameworkQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        ordering = ["brand", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "version"], name="%(app_label)s_%(class)s_unique_version"
            ),
            models.UniqueConstraint(
                fields=["brand"],
                condition=Q(status=FrameworkStatus.PUBLISHED),
                name="%(app_label)s_%(class)s_one_current_per_brand",
            ),
            models.CheckConstraint(
                condition=Q(status=FrameworkStatus.DRAFT) | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FrameworkStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("journeys:framework_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == FrameworkStatus.DRAFT


class Dimension(models.Model):
    """An experience dimension customers judge the brand on (product, service, price, …)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    importance = models.DecimalField(
        _("importance"),
        max_digits=3,
        decimal_places=1,
        validators=zero_to_ten(),
        help_text=_("How much customers care, 0–10."),
    )
    expectation = models.DecimalField(
        _("expectation"),
        max_digits=3,
        decimal_places=1,
        validators=zero_to_ten(),
        help_text=_("What customers expect, 0–10."),
    )
    ideal = models.DecimalField(
        _("ideal"),
        max_digits=3,
        decimal_places=1,
        validators=zero_to_ten(),
        help_text=_("The target the brand chooses to reach, 0–10."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = FrameworkPartQuerySet.as_manager()
    history = TrackedHistory()
    framework_path = "framework"

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="%(app_label)s_%(class)s_unique_code"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 10}),
                    name=f"%(app_label)s_%(class)s_{name}_0_to_10",
                )
                for name in ("importance", "expectation", "ideal")
            ],
        ]

    def __str__(self) -> str:
        return self.name


class Journey(models.Model):
    """A customer journey, e.g. "buy a phone in store", made of stages."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="journeys")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = FrameworkPartQuerySet.as_manager()
    history = TrackedHistory()
    framework_path = "framework"

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="%(app_label)s_%(class)s_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """A step of a journey, in one of the phases before / during / after purchase."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=200)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = FrameworkPartQuerySet.as_manager()
    history = TrackedHistory()
    framework_path = "journey__framework"

    class Meta:
        ordering = ["journey", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values), name="%(app_label)s_%(class)s_phase_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.journey} › {self.name}"


class Touchpoint(models.Model):
    """Where the customer meets the brand within a stage: shop front, greeting, hotline, …"""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="touchpoints")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = FrameworkPartQuerySet.as_manager()
    history = TrackedHistory()
    framework_path = "stage__journey__framework"

    class Meta:
        ordering = ["stage", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "code"], name="%(app_label)s_%(class)s_unique_code_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="%(app_label)s_%(class)s_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A checklist section (signage, display, staffing, …) with its weight in the overall score."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(ZERO)],
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = FrameworkPartQuerySet.as_manager()
    history = TrackedHistory()
    framework_path = "framework"

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="%(app_label)s_%(class)s_weight_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """One standard an auditor checks, with how it is answered and what passes per outlet type.

    Targets and price bands are per outlet type because the brand holds its own stores and its
    authorized outlets to different standards (DESIGN §2): more demo units in direct stores,
    list price in direct stores but a discount band for authorized ones, and signage words
    reserved for the brand's own stores.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=40)
    question = models.CharField(_("question"), max_length=500)
    guidance = models.TextField(_("guidance for the auditor"), blank=True)
    example_photo = models.ImageField(
        _("example photo"),
        upload_to="examples/",
        blank=True,
        help_text=_("What good looks like, shown to the auditor beside the question."),
    )
    answer_type = models.CharField(_("answer type"), max_length=20, choices=AnswerType.choices)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(ZERO)],
    )
    critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_("Failing it caps the overall score at the brand's ceiling."),
    )
    photo_required = models.BooleanField(_("photo required"), default=False)
    na_allowed = models.BooleanField(_("N/A allowed"), default=False)
    cannot_check_allowed = models.BooleanField(_("'cannot check' allowed"), default=True)
    applies_to_direct = models.BooleanField(_("applies to direct stores"), default=True)
    applies_to_authorized = models.BooleanField(_("applies to authorized outlets"), default=True)
    target_direct = models.DecimalField(
        _("target, direct"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Number items: the value that earns full points."),
    )
    target_authorized = models.DecimalField(
        _("target, authorized"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    pass_fail = models.BooleanField(
        _("pass/fail"),
        default=False,
        help_text=_("Number items: all points at or above the target, none below (no partial credit)."),
    )
    price_min_pct_direct = models.DecimalField(
        _("lowest price, direct (% of list)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    price_max_pct_direct = models.DecimalField(
        _("highest price, direct (% of list)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    price_min_pct_authorized = models.DecimalField(
        _("lowest price, authorized (% of list)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    price_max_pct_authorized = models.DecimalField(
        _("highest price, authorized (% of list)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    required_terms = models.JSONField(
        _("required terms"),
        default=list,
        blank=True,
        help_text=_("Signage text: every one of these must appear (case-insensitive)."),
    )
    forbidden_terms = models.JSONField(
        _("forbidden terms"),
        default=list,
        blank=True,
        help_text=_("Signage text: none of these may appear (whole words; CJK as substrings)."),
    )
    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = FrameworkPartQuerySet.as_manager()
    history = TrackedHistory()
    framework_path = "framework"

    class Meta:
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(
                condition=Q(applies_to_direct=True) | Q(applies_to_authorized=True),
                name="%(app_label)s_%(class)s_applies_somewhere",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="%(app_label)s_%(class)s_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(answer_type__in=AnswerType.values),
                name="%(app_label)s_%(class)s_answer_type_valid",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"price_min_pct_{kind}__isnull": True})
                    | Q(**{f"price_max_pct_{kind}__isnull": True})
                    | Q(**{f"price_min_pct_{kind}__lte": F(f"price_max_pct_{kind}")}),
                    name=f"%(app_label)s_%(class)s_price_band_{kind}_ordered",
                )
                for kind in OutletType.values
            ],
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.question}"

    def applies_to(self, outlet_type: str) -> bool:
        return getattr(self, f"applies_to_{outlet_type}")

    def target_for(self, outlet_type: str) -> Decimal | None:
        return getattr(self, f"target_{outlet_type}")

    def price_band_for(self, outlet_type: str) -> tuple[Decimal | None, Decimal | None]:
        return (
            getattr(self, f"price_min_pct_{outlet_type}"),
            getattr(self, f"price_max_pct_{outlet_type}"),
        )

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        if not (self.applies_to_direct or self.applies_to_authorized):
            errors["applies_to_authorized"] = _("An item must apply to at least one outlet type.")
        applicable = [kind for kind in OutletType.values if self.applies_to(kind)]
        if self.answer_type == AnswerType.NUMBER:
            for kind in applicable:
                if self.target_for(kind) is None:
                    errors[f"target_{kind}"] = _(
                        "A number item needs a target for each outlet type it applies to."
                    )
        if self.answer_type == AnswerType.PRICE:
            for kind in applicable:
                low, high = self.price_band_for(kind)
                if low is None or high is None:
                    errors[f"price_max_pct_{kind}"] = _(
                        "A price item needs a price band for each outlet type it applies to."
                    )
                elif low > high:
                    errors[f"price_min_pct_{kind}"] = _("The lowest price is above the highest.")
        for name in ("required_terms", "forbidden_terms"):
            terms = getattr(self, name)
            if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
                errors[name] = _("Give a list of non-empty words or phrases.")
        if self.answer_type == AnswerType.SIGNAGE_TEXT and not (self.required_terms or self.forbidden_terms):
            errors["forbidden_terms"] = _("A signage text item needs required or forbidden terms.")
        if self.section_id and self.framework_id and self.section.framework_id != self.framework_id:
            errors["section"] = _("The section belongs to another framework version.")
        if self.dimension_id and self.dimension.framework_id != self.framework_id:
            errors["dimension"] = _("The dimension belongs to another framework version.")
        if self.touchpoint_id and self.touchpoint.stage.journey.framework_id != self.framework_id:
            errors["touchpoint"] = _("The touchpoint belongs to another framework version.")
        if errors:
            raise ValidationError(errors)
