"""The chain: brands, their regions and franchisees, their locations, and who may see what."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cx_audit.core.bands import bands_from_json, default_score_bands, weak_below
from cx_audit.core.choices import Role
from cx_audit.core.history import TrackedHistory
from locations.querysets import (
    BrandQuerySet,
    FranchiseeQuerySet,
    LocationQuerySet,
    MembershipQuerySet,
    RegionQuerySet,
)

CITY_TIERS = (1, 2, 3, 4)


class OutletType(models.TextChoices):
    """Who runs the outlet: the brand itself or an authorized partner."""

    DIRECT = "direct", _("Direct (brand-operated)")
    AUTHORIZED = "authorized", _("Authorized (partner-operated)")


class LocationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
    CLOSED = "closed", _("Closed")


class Brand(models.Model):
    """The company whose customer experience is audited across its locations."""

    brand_path = "pk"  # where `cx_audit.core.permissions` finds an object's brand

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    direct_max_city_tier = models.PositiveSmallIntegerField(
        _("largest city tier for direct stores"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_(
            "Direct stores may open only in cities of this tier or larger (1 = largest). "
            "A direct store in a smaller city shows up in the policy check."
        ),
    )
    geofence_m = models.PositiveIntegerField(
        _("check-in geofence (m)"),
        default=300,
        help_text=_("An audit started farther than this from the store is flagged for HQ."),
    )
    critical_cap = models.DecimalField(
        _("score ceiling after a critical failure"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("A failed critical standard caps the overall score here; the raw score is kept beside."),
    )
    regression_threshold = models.DecimalField(
        _("regression threshold (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "A location whose score drops by more than this since its previous audit is flagged "
            "as a regression in the chain insights."
        ),
    )
    score_bands = models.JSONField(
        _("score bands"),
        default=default_score_bands,
        help_text=_('Lower bounds, e.g. [{"name": "Good", "min_score": 75}, …]; one must start at 0.'),
    )
    dispute_days = models.PositiveSmallIntegerField(
        _("days to dispute a finding"),
        default=14,
        validators=[MaxValueValidator(365)],
        help_text=_("A franchisee may dispute a failed item this many days after submission (0: never)."),
    )
    colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1f5fa8",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give a colour as #rrggbb, e.g. #1f5fa8."))],
        help_text=_("Headings and the band of PDF scorecards."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="brands/",
        blank=True,
        help_text=_("Printed on PDF scorecards (PNG or JPEG, a few hundred pixels wide is plenty)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BrandQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direct_max_city_tier__gte=1, direct_max_city_tier__lte=4),
                name="%(app_label)s_%(class)s_direct_tier_range",
            ),
            models.CheckConstraint(
                condition=Q(critical_cap__gte=0, critical_cap__lte=100),
                name="%(app_label)s_%(class)s_critical_cap_range",
            ),
            models.CheckConstraint(
                condition=Q(regression_threshold__gte=0, regression_threshold__lte=100),
                name="%(app_label)s_%(class)s_regression_threshold_range",
            ),
            models.CheckConstraint(
                condition=Q(dispute_days__lte=365), name="%(app_label)s_%(class)s_dispute_days_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weak_below(self) -> Decimal:
        """Scores under this are weak: they fall in the brand's lowest band (60 with the defaults)."""
        return weak_below(bands_from_json(self.score_bands))

    def clean(self) -> None:
        try:
            bands_from_json(self.score_bands)
        except ValueError as error:
            raise ValidationError({"score_bands": str(error)}) from error


class Region(models.Model):
    """A brand's geography for roll-ups; regions nest (country › province › city cluster)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="regions")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)

    objects = RegionQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        ordering = ["brand", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "code"], name="%(app_label)s_%(class)s_unique_code_per_brand"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="%(app_label)s_%(class)s_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent.brand_id != self.brand_id:
            raise ValidationError({"parent": _("The parent region belongs to another brand.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A region cannot be inside itself.")})
            ancestor = ancestor.parent


class Franchisee(models.Model):
    """A partner company that operates authorized outlets of a brand."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="franchisees")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    objects = FranchiseeQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        ordering = ["brand", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "code"], name="%(app_label)s_%(class)s_unique_code_per_brand"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A store or outlet of a brand, run by the brand (direct) or by a franchisee (authorized)."""

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="locations")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    outlet_type = models.CharField(_("outlet type"), max_length=20, choices=OutletType.choices)
    franchisee = models.ForeignKey(
        Franchisee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
        help_text=_("Required for authorized outlets; direct stores have none."),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="locations"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="CN", help_text=_("ISO 3166-1 alpha-2"))
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    city_tier = models.PositiveSmallIntegerField(
        _("city tier"),
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("1 = largest cities / provincial capitals … 4 = smallest."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LocationStatus.choices, default=LocationStatus.OPEN
    )
    opening_date = models.DateField(_("opening date"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    annual_revenue = models.DecimalField(
        _("annual revenue"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Optional; used for revenue at risk."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocationQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        ordering = ["brand", "code"]
        indexes = [
            models.Index(fields=["brand", "outlet_type"]),
            models.Index(fields=["brand", "city"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "code"], name="%(app_label)s_%(class)s_unique_code_per_brand"
            ),
            models.CheckConstraint(
                condition=Q(outlet_type=OutletType.DIRECT, franchisee__isnull=True)
                | Q(outlet_type=OutletType.AUTHORIZED, franchisee__isnull=False),
                name="%(app_label)s_%(class)s_franchisee_matches_outlet_type",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="%(app_label)s_%(class)s_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="%(app_label)s_%(class)s_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="%(app_label)s_%(class)s_coordinates_together",
            ),
            models.CheckConstraint(
                condition=Q(city_tier__gte=1, city_tier__lte=4),
                name="%(app_label)s_%(class)s_city_tier_range",
            ),
            models.CheckConstraint(
                condition=Q(floor_area__isnull=True) | Q(floor_area__gte=0),
                name="%(app_label)s_%(class)s_floor_area_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(annual_revenue__isnull=True) | Q(annual_revenue__gte=0),
                name="%(app_label)s_%(class)s_revenue_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(outlet_type__in=OutletType.values),
                name="%(app_label)s_%(class)s_outlet_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=LocationStatus.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("locations:location_detail", args=[self.pk])

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def breaks_city_policy(self) -> bool:
        """A direct store in a city smaller than the brand allows for direct stores."""
        return self.outlet_type == OutletType.DIRECT and self.city_tier > self.brand.direct_max_city_tier

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.outlet_type == OutletType.AUTHORIZED and self.franchisee_id is None:
            errors["franchisee"] = _("An authorized outlet must have a franchisee.")
        if self.outlet_type == OutletType.DIRECT and self.franchisee_id is not None:
            errors["franchisee"] = _("A direct store is run by the brand and has no franchisee.")
        if self.franchisee_id and self.brand_id and self.franchisee.brand_id != self.brand_id:
            errors["franchisee"] = _("The franchisee belongs to another brand.")
        if self.region_id and self.brand_id and self.region.brand_id != self.brand_id:
            errors["region"] = _("The region belongs to another brand.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Give latitude and longitude together, or neither."
            )
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    """A user's role in one brand, and for auditors and franchisees the scope of that role.

    HQ roles see the whole brand. An auditor sees the locations in the assigned regions
    (sub-regions included) plus any individually assigned locations. A franchisee sees only
    the locations its franchisee company runs.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    franchisee = models.ForeignKey(
        Franchisee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Required for the franchisee role, and only for it."),
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="auditor_memberships", help_text=_("Auditors only.")
    )
    locations = models.ManyToManyField(
        Location, blank=True, related_name="auditor_memberships", help_text=_("Auditors only.")
    )

    objects = MembershipQuerySet.as_manager()
    history = TrackedHistory(m2m_fields=["regions", "locations"])

    class Meta:
        ordering = ["brand", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "brand"], name="%(app_label)s_%(class)s_one_role_per_brand"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.FRANCHISEE, franchisee__isnull=False)
                | (~Q(role=Role.FRANCHISEE) & Q(franchisee__isnull=True)),
                name="%(app_label)s_%(class)s_franchisee_matches_role",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="%(app_label)s_%(class)s_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.brand}"

    def clean(self) -> None:
        if self.role == Role.FRANCHISEE and self.franchisee_id is None:
            raise ValidationError({"franchisee": _("A franchisee user must be tied to a franchisee.")})
        if self.role != Role.FRANCHISEE and self.franchisee_id is not None:
            raise ValidationError({"franchisee": _("Only franchisee users are tied to a franchisee.")})
        if self.franchisee_id and self.brand_id and self.franchisee.brand_id != self.brand_id:
            raise ValidationError({"franchisee": _("The franchisee belongs to another brand.")})


class GeocodeResult(models.Model):
    """A cached answer of the geocoder, so re-imports never ask twice for one address."""

    query = models.CharField(max_length=500, unique=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    display_name = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.query

    @property
    def found(self) -> bool:
        return self.latitude is not None
