"""The voice pages: the customer dashboard (/voice/) and a location's voice (/voice/locations/<id>/).

Views stay thin: read the filters (`dashboard_filters`), call the selectors, render. Who sees what:

- the dashboard: HQ roles of a brand and franchisees (their own outlets' numbers only); anyone
  else finds nothing (404);
- a location's voice: HQ and the franchisee running it see everything, comments included; an
  auditor of the location sees its figures only (metrics, trends, the touchpoints customers
  praise or blame) — no comment, no customer data; anyone else 404.

Bad filters answer 400 with the form saying what to correct; a bad ``table``, ``sort``, ``page``
or ``by`` answers 400 naming it.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from cx_audit.core.scope import access_scope
from cx_audit.voice import flags, location_reads, points, selectors
from cx_audit.voice.charts import TrendPoint, trend_chart
from cx_audit.voice.dashboard_filters import (
    FILTER_FIELDS,
    BadParameter,
    VoiceFilterForm,
    VoiceQuery,
    choice,
    location_mode,
    location_query,
    voice_brands,
)
from cx_audit.voice.metrics import Period
from cx_audit.voice.revenue import RevenueAtRisk, quantize_money
from locations.models import Location

PAGE_SIZE = 25
PERIOD_FIELDS = ("date_from", "date_to")
TABLES = ("locations", *selectors.CUTS)
MONEY_FIELDS = ("revenue", "affected", "complainers", "silent", "lost", "at_risk", "retained")
TABLE_HEADINGS = {
    "locations": gettext_lazy("Location"),
    "region": gettext_lazy("Region"),
    "franchisee": gettext_lazy("Franchisee"),
    "outlet_type": gettext_lazy("Outlet type"),
    "channel": gettext_lazy("Channel"),
    "touchpoint": gettext_lazy("Touchpoint"),
}
COLUMNS = (  # in the order of the cells (_figures_cells.html)
    ("nps", gettext_lazy("NPS")),
    ("csat_share", gettext_lazy("CSAT top-two")),
    ("effort_mean", gettext_lazy("Effort")),
    ("complaint_share", gettext_lazy("Complaints")),
    ("volume", gettext_lazy("Volume")),
)


def page_number(params: Any) -> int:
    value = params.get("page") or "1"
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise BadParameter("page", _("A page number is a whole number from 1."))
    return int(value)


def sort_of(params: Any) -> str:
    allowed = tuple(prefix + name for name in selectors.SORTS for prefix in ("", "-"))
    return choice(params, "sort", allowed, "nps")


def year_of_months(query: VoiceQuery) -> VoiceQuery:
    """The twelve calendar months ending with the period's last day (for the monthly trend)."""
    end = query.date_to
    month = end.year * 12 + end.month - 1 - 11
    return query.between(date(month // 12, month % 12 + 1, 1), end)


def period_query(query: VoiceQuery) -> str:
    return urlencode({"date_from": query.date_from.isoformat(), "date_to": query.date_to.isoformat()})


def trend_figure(rows: list[selectors.TrendRow], title: str) -> str:
    points = [TrendPoint(row.label, row.figures.nps, row.figures.volume) for row in rows]
    return trend_chart(points, title=title, volume_label=_("Volume"))


def percent(share: Decimal) -> Decimal:
    return (Decimal(100) * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def money(revenue: RevenueAtRisk | None) -> dict[str, Any] | None:
    """A revenue-at-risk figure as the page shows it: money in cents, the share in percent."""
    if revenue is None:
        return None
    shown = {name: quantize_money(getattr(revenue, name)) for name in MONEY_FIELDS}
    return {**shown, "share_pct": percent(revenue.negative_share)}


def lever_of(view: location_reads.RevenueView) -> dict[str, Any] | None:
    if view.lever is None:
        return None
    return {
        "rate_pct": percent(view.complaint_rate),
        "target_pct": percent(view.lever_rate),
        "lost_now": quantize_money(view.lever.lost_now),
        "saved": quantize_money(view.lever.saved),
    }


def revenue_context(view: location_reads.RevenueView) -> dict[str, Any]:
    return {
        "total": money(view.total),
        "regions": [
            {"label": row.label, "locations": row.locations, "m": money(row.revenue)} for row in view.regions
        ],
        "lever": lever_of(view),
        "view": view,
    }


def kpis(top: selectors.Headline) -> list[dict[str, Any]]:
    """The headline tiles: value, change against the previous period and whether it is good news."""
    now, change = top.current, top.change

    def tile(
        label: str, value: Any, delta: Any, better: str, note: str = "", unit: str = ""
    ) -> dict[str, Any]:
        if delta is None or delta == 0 or not better:
            verdict = ""
        else:
            verdict = "good" if (delta > 0) == (better == "higher") else "bad"
        return {
            "label": label,
            "value": value,
            "change": delta,
            "verdict": verdict,
            "note": note,
            "unit": unit,
        }

    answered = ngettext("%(n)s answer", "%(n)s answers", now.nps_n) % {"n": now.nps_n}
    mean = _("mean %(m)s of 5") % {"m": "—" if now.csat_mean is None else now.csat_mean}
    return [
        tile(_("NPS"), now.nps, change.nps, "higher", answered),
        tile(_("CSAT top-two"), now.csat_share, change.csat_share, "higher", mean, "%"),
        tile(_("Effort"), now.effort_mean, change.effort_mean, "lower", _("mean of 1–7, lower is easier")),
        tile(_("Volume"), now.volume, change.volume, "", _("records")),
        tile(_("Complaints"), now.complaint_share, change.complaint_share, "lower", _("of all records"), "%"),
    ]


class VoicePage(LoginRequiredMixin, View):
    """Filters read once; 400 with the form for bad input."""

    template_name = ""

    def form(self, **kwargs: Any) -> VoiceFilterForm:
        return VoiceFilterForm(self.request.GET, user=self.request.user, **kwargs)

    def respond(self, form: VoiceFilterForm, build: Any) -> HttpResponse:
        context: dict[str, Any] = {
            "form": form,
            "filter_fields": FILTER_FIELDS,
            "period_fields": PERIOD_FIELDS,
        }
        if not form.is_valid():
            return render(self.request, self.template_name, context, status=400)
        try:
            context.update(build(form.voice_query()))
        except BadParameter as error:
            context["parameter_error"] = (error.field, str(error))
            return render(self.request, self.template_name, context, status=400)
        return render(self.request, self.template_name, context)

    def filters_only(self, *drop: str) -> str:
        query = self.request.GET.copy()
        for name in ("page", "sort", "table", *drop):
            query.pop(name, None)
        return query.urlencode()


class DashboardView(VoicePage):
    """Headline, every cut, the locations worst first, trends, top points, early warnings, revenue."""

    template_name = "cx_audit/voice/dashboard.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not voice_brands(request.user).exists():
            raise Http404(_("The customers' voice is for HQ and franchisees."))
        return self.respond(self.form(), self.dashboard)

    def dashboard(self, query: VoiceQuery) -> dict[str, Any]:
        params = self.request.GET
        table = choice(params, "table", TABLES, "locations")
        sort, page = sort_of(params), page_number(params)
        by = choice(params, "by", tuple(points.POINT_FIELDS), "touchpoint")
        top = selectors.headline(query)
        cut_tables = [
            self.table(selectors.cut(query, name), name, table, sort, page) for name in selectors.CUTS
        ]
        found = points.points(query, by, comments=top.comments)
        weeks = selectors.trend(query, Period.WEEK)
        months = selectors.trend(year_of_months(query), Period.MONTH)
        scope = access_scope(self.request.user)
        return {
            "query": query,
            "sees_survey_links": scope.is_superuser or bool(scope.hq_brand_ids),
            "headline": top,
            "kpis": kpis(top),
            "cut_tables": cut_tables,
            "locations": self.table(selectors.location_rows(query), "locations", table, sort, page),
            "weeks": weeks,
            "months": months,
            "week_chart": trend_figure(weeks, _("NPS and volume per week")),
            "month_chart": trend_figure(months, _("NPS and volume per month")),
            "points": found,
            "points_kinds": [("pain", found.pain), ("pleasure", found.pleasure)],
            "flags": flags.early_warning_flags(query),
            "revenue": revenue_context(location_reads.revenue_view(query)),
            "period_query": period_query(query),
            "filter_query": self.filters_only(),
            "by_query": self.filters_only("by"),
        }

    def table(self, rows: list, name: str, asked: str, sort: str, page: int) -> dict[str, Any]:
        """One table, sorted and paged as asked when it is the one asked about (else worst first)."""
        mine = name == asked
        rows, pages = selectors.paged(
            selectors.ordered(rows, sort if mine else "nps"), page if mine else 1, PAGE_SIZE
        )
        if mine and page > pages:
            raise Http404(_("There is no such page."))
        current = sort if mine else "nps"
        base = self.filters_only()
        columns = []
        for column, label in (("label", TABLE_HEADINGS[name]), *COLUMNS):
            aria = "ascending" if current == column else "descending" if current == f"-{column}" else ""
            flip = "-" if current == column else ""
            url = f"?{base}&table={name}&sort={flip}{column}#{name}"
            columns.append({"name": column, "label": label, "url": url, "aria": aria})
        number = page if mine else 1
        return {
            "name": name,
            "heading": TABLE_HEADINGS[name],
            "rows": rows,
            "sort": current,
            "columns": columns,
            "page": number,
            "pages": pages,
            "previous": f"?{base}&table={name}&sort={current}&page={number - 1}#{name}" if number > 1 else "",
            "next": f"?{base}&table={name}&sort={current}&page={number + 1}#{name}" if number < pages else "",
        }


def recovery_link(location: Location) -> str:
    try:
        return f"{reverse('voice:recovery_list')}?location={location.pk}"
    except NoReverseMatch:
        return ""


class LocationVoiceView(VoicePage):
    """A location's customers: figures and trends; for HQ and its franchisee also the two Delta
    models, the comments, the flags, revenue at risk and recovery."""

    template_name = "cx_audit/voice/location.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(
            Location.objects.visible_to(request.user).select_related("brand", "region", "franchisee"), pk=pk
        )
        mode = location_mode(request.user, location)
        if mode is None:
            raise Http404(_("No such location."))
        self.location, self.mode = location, mode
        return self.respond(self.form(brand=location.brand), self.voice)

    def voice(self, form_query: VoiceQuery) -> dict[str, Any]:
        location, full = self.location, self.mode == "full"
        query = location_query(form_query, location, self.mode)
        top = selectors.headline(query)
        weeks = selectors.trend(query, Period.WEEK)
        months = selectors.trend(year_of_months(query), Period.MONTH)
        found = points.points(query, "touchpoint", comments=top.comments, examples=False)
        context = {
            "location": location,
            "full": full,
            "query": query,
            "headline": top,
            "kpis": kpis(top),
            "weeks": weeks,
            "week_chart": trend_figure(weeks, _("NPS and volume per week")),
            "month_chart": trend_figure(months, _("NPS and volume per month")),
            "points_kinds": [("pain", found.pain), ("pleasure", found.pleasure)],
            "period_query": period_query(query),
        }
        if full:
            revenue = location_reads.revenue_view(query)
            context.update(
                revenue=revenue_context(revenue),
                location_revenue=money(revenue.by_location.get(location.pk)),
                flags=flags.early_warning_flags(query, touchpoints=False).of_location(location.pk),
                delta=location_reads.delta_comparison(query, location),
                comments=location_reads.recent_comments(query),
                recovery=location_reads.recovery_of(query, location),
                recovery_url=recovery_link(location),
            )
        return context
