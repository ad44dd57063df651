"""The one filterset of the chain insights: every page, API endpoint and CSV export reads it.

Filters apply to the audit's *snapshot* (DESIGN §3, 4a): outlet type, franchisee, region and
city tier as the store was when it was audited, so a store that changed hands is ranked with the
operator who ran it at the time. City is the location's own (a store that moves is a new store).

Defaults, so that a bare URL answers the morning question: the user's first HQ brand (insights
are always about one brand: its framework, its regions, its thresholds), the last 180 days, and
the audits HQ and its auditors made — franchisee self-assessments are kept apart (DESIGN §1) and
count only when ``kind=self_assessment`` is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

import django_filters
from django import forms
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from cx_audit.audits.choices import COUNTED_KINDS, AuditKind
from cx_audit.audits.models.audits import Audit
from cx_audit.core.filters import BoundedDateFilter
from cx_audit.insights.access import insight_audits, insight_brands, insight_locations
from locations.models import Brand, Franchisee, Location, LocationStatus, OutletType, Region

WINDOW_DAYS = 180
T = TypeVar("T")


@dataclass(frozen=True)
class InsightQuery:
    """What the filters resolved to, as the selectors need it."""

    brand: Brand
    audits: QuerySet  # counted audits matching every filter, submitted before the window closes
    locations: QuerySet  # open locations matching the location-side filters (coverage)
    date_from: date
    date_to: date
    start: datetime  # the window opens (aware, local midnight of date_from)
    end: datetime  # the window closes (aware, local midnight after date_to)
    today: date
    region: Region | None
    # What one request has already worked out from these filters (`once`); never shared further.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def window_audits(self) -> QuerySet:
        """Every counted audit inside the window (not only each location's latest)."""
        return self.audits.filter(submitted_at__gte=self.start)

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for, the same answer after.

        A page shows several tables over the same latest audits (the dashboard: key figures,
        comparisons, consistency…); each is worked out once per request, then shared. The query
        lives as long as the request, so nothing here can outlive a change to the data.
        """
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


class InsightFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period must not be before its start (date_from)."))
        return data


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class KnownChoiceField(ModelChoiceField):
    """A model choice that takes an object this request has already read from the same choices.

    The default brand (the user's first) is read to fill in the filter, and a location's page
    reads the location with its brand: validating the same id again would read the row again.
    Any other value is looked up in the choices as usual.
    """

    def __init__(self, *args: Any, known: Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known = known

    def to_python(self, value: Any) -> Any:
        if self.known is not None and str(value) == str(self.known.pk):
            return self.known
        return super().to_python(value)


class KnownChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = KnownChoiceField


class InsightFilterSet(django_filters.FilterSet):
    brand = KnownChoiceFilter(
        queryset=Brand.objects.none(), label=_("Brand"), required=True, empty_label=None
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.none(),
        method="in_region",
        label=_("Region (with sub-regions)"),
        empty_label=_("Any"),
    )
    outlet_type = django_filters.ChoiceFilter(
        choices=OutletType.choices, label=_("Outlet type"), empty_label=_("Any"), widget=forms.RadioSelect
    )
    franchisee = django_filters.ModelChoiceFilter(
        queryset=Franchisee.objects.none(), label=_("Franchisee"), empty_label=_("Any")
    )
    city_tier = django_filters.MultipleChoiceFilter(
        choices=[(t, str(t)) for t in (1, 2, 3, 4)],
        label=_("City tier"),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a column of the audit itself: no join can repeat a row
    )
    city = django_filters.CharFilter(field_name="location__city", lookup_expr="iexact", label=_("City"))
    location = django_filters.ModelChoiceFilter(
        queryset=Location.objects.none(), label=_("Location"), widget=forms.HiddenInput
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=AuditKind.choices, label=_("Audit kind"), widget=forms.CheckboxSelectMultiple, distinct=False
    )
    date_from = BoundedDateFilter(
        method="window_opens",
        label=_("From"),
        required=True,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = BoundedDateFilter(
        method="window_closes",
        label=_("To"),
        required=True,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Audit
        form = InsightFilterForm
        fields = [
            "brand",
            "region",
            "outlet_type",
            "franchisee",
            "city_tier",
            "city",
            "location",
            "kind",
            "date_from",
            "date_to",
        ]

    def __init__(
        self,
        data: QueryDict | dict | None = None,
        *,
        request: Any,
        today: date | None = None,
        brand: Brand | None = None,
    ) -> None:
        """``brand``: a brand the caller has read already from the user's insight brands (a location's)."""
        self.today = today or timezone.localdate()
        self.known_brand = brand
        user = request.user
        brands = insight_brands(user)
        data = self.with_defaults(data, brands)
        super().__init__(data, queryset=insight_audits(user), request=request)
        # Choices are the chosen brand's own: another brand's region is "not a valid choice".
        brand_id = self._brand_id(data)
        self.filters["brand"].queryset = brands
        self.filters["brand"].extra["known"] = self.known_brand
        self.filters["region"].queryset = Region.objects.filter(brand_id=brand_id)
        self.filters["franchisee"].queryset = Franchisee.objects.filter(brand_id=brand_id)
        self.filters["location"].queryset = insight_locations(user).filter(brand_id=brand_id)

    def with_defaults(self, data: QueryDict | dict | None, brands: QuerySet) -> QueryDict:
        """The request's filters with the defaults filled in where nothing was given."""
        query = QueryDict(mutable=True)
        if isinstance(data, QueryDict):
            query = data.copy()
        elif data:
            for key, value in data.items():
                query.setlist(key, value if isinstance(value, list | tuple) else [value])
        if not query.get("brand"):
            # The whole row, not only its id: validating the default then reads nothing more.
            self.known_brand = brands.order_by("name", "pk").first()
            query["brand"] = "" if self.known_brand is None else str(self.known_brand.pk)
        if not [kind for kind in query.getlist("kind") if kind]:
            query.setlist("kind", list(COUNTED_KINDS))
        if not query.get("date_to"):
            query["date_to"] = self.today.isoformat()
        if not query.get("date_from"):
            try:
                end = date.fromisoformat(query["date_to"])
                query["date_from"] = (end - timedelta(days=WINDOW_DAYS)).isoformat()
            except (ValueError, OverflowError):  # date_to itself is then refused, naming it
                query["date_from"] = (self.today - timedelta(days=WINDOW_DAYS)).isoformat()
        return query

    @staticmethod
    def _brand_id(data: QueryDict) -> int | None:
        value = data.get("brand", "")
        return int(value) if value.isascii() and value.isdigit() else None

    def region_ids(self, region: Region) -> set[int]:
        """The region and everything nested below it (looked up once per request)."""
        if getattr(self, "_region_ids", (None,))[0] != region.pk:
            self._region_ids = (region.pk, Region.objects.with_descendants([region.pk]))
        return self._region_ids[1]

    def in_region(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(region_id__in=self.region_ids(value))

    def window_opens(self, queryset: QuerySet, name: str, value: date | None) -> QuerySet:
        # Not a filter: the audit *before* the window still gives each location's change.
        return queryset

    def window_closes(self, queryset: QuerySet, name: str, value: date | None) -> QuerySet:
        return (
            queryset.filter(submitted_at__lt=_local_midnight(value + timedelta(days=1)))
            if value
            else queryset
        )

    def insight_query(self) -> InsightQuery:
        """The resolved filters; call only once ``is_valid()``."""
        data = self.form.cleaned_data
        brand: Brand = data["brand"]
        return InsightQuery(
            brand=brand,
            audits=self.qs,
            locations=self._locations(data),
            date_from=data["date_from"],
            date_to=data["date_to"],
            start=_local_midnight(data["date_from"]),
            end=_local_midnight(data["date_to"] + timedelta(days=1)),
            today=self.today,
            region=data.get("region"),
        )

    def _locations(self, data: dict[str, Any]) -> QuerySet:
        """The same filters on today's locations: the open stores that could have been audited."""
        locations = insight_locations(self.request.user).filter(
            brand=data["brand"], status=LocationStatus.OPEN
        )
        if data.get("region"):
            locations = locations.filter(region_id__in=self.region_ids(data["region"]))
        if data.get("outlet_type"):
            locations = locations.filter(outlet_type=data["outlet_type"])
        if data.get("franchisee"):
            locations = locations.filter(franchisee=data["franchisee"])
        if data.get("city_tier"):
            locations = locations.filter(city_tier__in=data["city_tier"])
        if data.get("city"):
            locations = locations.filter(city__iexact=data["city"])
        if data.get("location"):
            locations = locations.filter(pk=data["location"].pk)
        return locations
