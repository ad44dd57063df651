"""The voice dashboard's filters, read once per request into a `VoiceQuery` the selectors share.

Who reads the dashboard: HQ roles of a brand (its every record) and franchisees (their own outlets'
records, as `Feedback.objects.visible_to` cuts them); everyone else finds nothing (404). The filters
are the same for the pages and the API (STYLE §2): brand (default the user's first), the period
(default the last 90 days, today included), region with its sub-regions, franchisee (who ran the
store when the customer spoke), outlet type, channel and touchpoint. A bad value is a form error
naming the field; the pages show it, the API answers 400 with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cx_audit.core.choices import Role
from cx_audit.core.filters import BoundedDateField
from cx_audit.core.scope import access_scope
from cx_audit.voice.choices import FeedbackChannel
from cx_audit.voice.models import Feedback, FeedbackTag
from cx_audit.voice.tallies import WINDOW_DAYS
from locations.models import Brand, Franchisee, Location, OutletType, Region

MAX_DAYS = 731  # two years: a weekly trend stays a readable hundred points, a query stays bounded
FILTER_FIELDS = (
    "brand",
    "date_from",
    "date_to",
    "region",
    "franchisee",
    "outlet_type",
    "channel",
    "touchpoint",
)


def voice_brands(user: Any) -> QuerySet:
    """The brands whose customers the user may read: HQ roles' brands and franchisees' brands."""
    scope = access_scope(user)
    if scope.is_superuser:
        return Brand.objects.all()
    reach = set(scope.hq_brand_ids) | {
        b for b, role in scope.roles_by_brand.items() if role == Role.FRANCHISEE
    }
    return Brand.objects.filter(pk__in=reach)


def reads_whole_brand(user: Any, brand_id: int) -> bool:
    """Whether every record of the brand is the user's (HQ, superuser): then the tags can be cut by
    their own copied brand and time, without asking the feedback who may read it."""
    scope = access_scope(user)
    return scope.is_superuser or brand_id in scope.hq_brand_ids


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class VoiceQuery:
    """What the filters resolved to. ``start``/``end``: the period as aware datetimes, end exclusive."""

    user: Any
    brand: Brand
    date_from: date
    date_to: date
    region: Region | None = None
    region_ids: frozenset[int] | None = None
    franchisee: Franchisee | None = None
    outlet_type: str = ""
    channel: str = ""
    touchpoint: str = ""
    location: Location | None = None
    whole_brand: bool = False
    # An auditor's summary of one location they audit: every record of that location, read for
    # figures only (the page and the API never read comments in this mode, DESIGN §1).
    location_summary: bool = False
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def start(self) -> datetime:
        return local_midnight(self.date_from)

    @property
    def end(self) -> datetime:
        return local_midnight(self.date_to + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def between(self, date_from: date, date_to: date) -> VoiceQuery:
        """The same filters over other days (the previous period, a warning window, the year)."""
        return replace(self, date_from=date_from, date_to=date_to, memo=self.memo)

    def previous(self) -> VoiceQuery:
        """The period of the same length just before this one, for the change."""
        return self.between(self.date_from - timedelta(days=self.days), self.date_from - timedelta(days=1))

    def about_locations(self) -> VoiceQuery:
        """Only the filters that describe stores (for revenue at risk: a store's whole year)."""
        return replace(self, channel="", touchpoint="", memo=self.memo)

    def at(self, location: Location) -> VoiceQuery:
        return replace(self, location=location, memo=self.memo)

    def once(self, key: str, compute: Any) -> Any:
        """``compute()`` once per request (the policy, names), then the same answer."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    # --- the rows -------------------------------------------------------------------------------

    def feedback(self) -> QuerySet:
        """The feedback the user may read that matches every filter, in the period."""
        return self._readable().filter(self._matching())

    def _readable(self) -> QuerySet:
        if self.location_summary:
            if self.location is None:
                raise ValueError("a location summary needs its location")
            return Feedback.objects.filter(location=self.location)
        return Feedback.objects.visible_to(self.user)

    def tags(self) -> QuerySet:
        """The tags of that feedback, about the touchpoint when one is asked for (a tag naming it, or
        naming no touchpoint in a comment about it): what the pain points rank."""
        tags = self._tag_base()
        if self.touchpoint:
            tags = tags.filter(
                Q(touchpoint_code=self.touchpoint)
                | Q(touchpoint_code="", feedback__touchpoint_code=self.touchpoint)
            )
        return tags

    def record_tags(self) -> QuerySet:
        """Every tag of exactly the records `feedback` returns (for the touchpoints they name)."""
        tags = self._tag_base()
        if self.touchpoint:
            tags = tags.filter(self._about_touchpoint("feedback__", OuterRef("feedback_id")))
        return tags

    def _tag_base(self) -> QuerySet:
        """For a reader of the whole brand, the filters run on the tags' own copies of brand, location
        and time (the (brand, received_at) index), and the feedback is joined only for the filters
        that live there (franchisee, channel) — or to ask who may read it."""
        whole = self.whole_brand or self.location_summary
        tags = FeedbackTag.objects.all() if whole else FeedbackTag.objects.visible_to(self.user)
        tags = tags.filter(brand=self.brand, received_at__gte=self.start, received_at__lt=self.end)
        tags = tags.filter(self._stores("location__"))
        if self.location is not None:
            tags = tags.filter(location=self.location)
        if self.franchisee is not None:
            tags = tags.filter(feedback__franchisee=self.franchisee)
        if self.channel:
            tags = tags.filter(feedback__channel=self.channel)
        return tags

    def _about_touchpoint(self, prefix: str, record: Any) -> Q:
        """Records asked about the touchpoint, or whose comment names it."""
        mentioned = FeedbackTag.objects.filter(feedback_id=record, touchpoint_code=self.touchpoint)
        return Q(**{f"{prefix}touchpoint_code": self.touchpoint}) | Q(Exists(mentioned))

    def locations(self) -> QuerySet:
        """The stores the user may read that match the store filters (their current operator)."""
        locations = Location.objects.visible_to(self.user).filter(brand=self.brand).filter(self._stores(""))
        if self.franchisee is not None:
            locations = locations.filter(franchisee=self.franchisee)
        if self.location is not None:
            locations = locations.filter(pk=self.location.pk)
        return locations

    def _stores(self, prefix: str) -> Q:
        q = Q()
        if self.region_ids is not None:
            q &= Q(**{f"{prefix}region_id__in": self.region_ids})
        if self.outlet_type:
            q &= Q(**{f"{prefix}outlet_type": self.outlet_type})
        return q

    def _matching(self) -> Q:
        q = Q(brand=self.brand, received_at__gte=self.start, received_at__lt=self.end)
        q &= self._stores("location__")
        if self.location is not None:
            q &= Q(location=self.location)
        if self.franchisee is not None:
            q &= Q(franchisee=self.franchisee)
        if self.channel:
            q &= Q(channel=self.channel)
        if self.touchpoint:
            q &= self._about_touchpoint("", OuterRef("pk"))
        return q


class VoiceFilterForm(forms.Form):
    """The filters; choices are the chosen brand's own and, for a franchisee, its own."""

    brand = forms.ModelChoiceField(queryset=Brand.objects.none(), label=_("Brand"), empty_label=None)
    date_from = BoundedDateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = BoundedDateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        required=False,
        label=_("Region (with sub-regions)"),
        empty_label=_("Any"),
    )
    franchisee = forms.ModelChoiceField(
        queryset=Franchisee.objects.none(),
        required=False,
        label=_("Franchisee (when the customer spoke)"),
        empty_label=_("Any"),
    )
    outlet_type = forms.ChoiceField(
        choices=[("", _("Any")), *OutletType.choices], required=False, label=_("Outlet type")
    )
    channel = forms.ChoiceField(
        choices=[("", _("Any")), *FeedbackChannel.choices], required=False, label=_("Channel")
    )
    touchpoint = forms.SlugField(max_length=40, required=False, label=_("Touchpoint (code)"))

    def __init__(
        self,
        data: QueryDict | dict | None,
        *,
        user: Any,
        today: date | None = None,
        brand: Brand | None = None,
    ) -> None:
        """``brand``: the one brand a page is about (a location's), whatever the data says."""
        self.user = user
        self.today = today or timezone.localdate()
        brands = (
            voice_brands(user).order_by("name", "pk") if brand is None else Brand.objects.filter(pk=brand.pk)
        )
        super().__init__(self.with_defaults(data, brands, fixed=brand))
        brand_id = _whole(self.data.get("brand", ""))
        self.fields["brand"].queryset = brands
        self.fields["region"].queryset = Region.objects.filter(brand_id=brand_id).order_by("name")
        franchisees = Franchisee.objects.filter(brand_id=brand_id).order_by("name")
        if brand_id is not None and not reads_whole_brand(user, brand_id):
            franchisees = franchisees.filter(pk__in=access_scope(user).franchisee_ids)
        self.fields["franchisee"].queryset = franchisees

    def with_defaults(
        self, data: QueryDict | dict | None, brands: QuerySet, fixed: Brand | None = None
    ) -> QueryDict:
        query = QueryDict(mutable=True)
        if isinstance(data, QueryDict):
            query = data.copy()
        elif data:
            for key, value in data.items():
                query.setlist(key, value if isinstance(value, list | tuple) else [value])
        if fixed is not None:
            query["brand"] = str(fixed.pk)
        elif not query.get("brand"):
            first = brands.values_list("pk", flat=True).first()
            query["brand"] = "" if first is None else str(first)
        if not query.get("date_to"):
            query["date_to"] = self.today.isoformat()
        if not query.get("date_from"):
            try:
                end = date.fromisoformat(query["date_to"])
            except ValueError:  # date_to itself is then refused, naming it
                end = self.today
            query["date_from"] = (end - timedelta(days=WINDOW_DAYS - 1)).isoformat()
        return query

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period must not be before its start (date_from)."))
        elif start and end and (end - start).days + 1 > MAX_DAYS:
            self.add_error("date_from", _("A period is at most %(days)s days.") % {"days": MAX_DAYS})
        return data

    def voice_query(self) -> VoiceQuery:
        """The resolved filters; call only once ``is_valid()``."""
        data = self.cleaned_data
        brand: Brand = data["brand"]
        region: Region | None = data.get("region")
        return VoiceQuery(
            user=self.user,
            brand=brand,
            date_from=data["date_from"],
            date_to=data["date_to"],
            region=region,
            region_ids=None if region is None else frozenset(Region.objects.with_descendants([region.pk])),
            franchisee=data.get("franchisee"),
            outlet_type=data.get("outlet_type") or "",
            channel=data.get("channel") or "",
            touchpoint=data.get("touchpoint") or "",
            whole_brand=reads_whole_brand(self.user, brand.pk),
        )


def _whole(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() else None


# --- shared by the pages and the API ------------------------------------------------------------


class BadParameter(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def choice(params: Any, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = params.get(name) or default
    if value not in allowed:
        raise BadParameter(name, _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
    return value


def location_mode(user: Any, location: Location) -> str | None:
    """``full`` (HQ, the franchisee running it), ``summary`` (an auditor of it), or None."""
    scope = access_scope(user)
    if scope.is_superuser or location.brand_id in scope.hq_brand_ids:
        return "full"
    role = scope.role_in(location.brand_id)
    if role == Role.FRANCHISEE and location.franchisee_id in scope.franchisee_ids:
        return "full"
    return "summary" if role == Role.AUDITOR else None


def location_query(form_query: VoiceQuery, location: Location, mode: str) -> VoiceQuery:
    """The form's period about one location (only the period: the store is the rest of the filter)."""
    return VoiceQuery(
        user=form_query.user,
        brand=location.brand,
        date_from=form_query.date_from,
        date_to=form_query.date_to,
        location=location,
        whole_brand=form_query.whole_brand,
        location_summary=mode == "summary",
    )
