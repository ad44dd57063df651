"""What every insight page shares: the filters read once, the tabs and breadcrumbs, and one page of a
declared table (`catalogue`) with its paging, sort links and CSV link.

Bad input answers 400 with the form (or the parameter) explaining what to correct; a page past the
end is a 404; non-HQ users get 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from cx_audit.insights.access import can_see_insights
from cx_audit.insights.catalogue import Asked, InsightTable
from cx_audit.insights.filters import InsightFilterSet, InsightQuery
from cx_audit.insights.labels import query_regions
from cx_audit.insights.regions import ancestors
from cx_audit.insights.tables import (
    PAGE_SIZE,
    BadParameter,
    PastTheEnd,
    RowSource,
    RowsPage,
    read_page,
    whole_number,
)

TABS = (
    ("dashboard", gettext_lazy("Overview")),
    ("league", gettext_lazy("League table")),
    ("standards", gettext_lazy("Standards")),
    ("location_gaps", gettext_lazy("Location gaps")),
    ("consistency", gettext_lazy("Consistency")),
    ("comparisons", gettext_lazy("Comparisons")),
    ("trends", gettext_lazy("Trends")),
    ("regressions", gettext_lazy("Regressions")),
    ("heatmaps", gettext_lazy("Heat maps")),
    ("predict", gettext_lazy("Audits and NPS")),
)


class InsightPage(LoginRequiredMixin, View):
    """Filters read once, a selector per table, the page rendered (400 for bad input, 403 for non-HQ)."""

    template_name = ""
    tab = ""
    # The filters the page's form shows (``location`` is for the API; a location has its own page).
    filter_fields = (
        "brand",
        "region",
        "outlet_type",
        "franchisee",
        "city_tier",
        "city",
        "kind",
        "date_from",
        "date_to",
    )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not can_see_insights(request.user):
            raise PermissionDenied(_("Chain insights are for HQ admins and HQ analysts."))
        return super().dispatch(request, *args, **kwargs)

    def filter_data(self) -> QueryDict:
        return self.request.GET

    def known_brand(self) -> Any:
        """A brand this request has read already from the user's insight brands (None: look it up)."""
        return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.filterset = InsightFilterSet(self.filter_data(), request=request, brand=self.known_brand())
        context: dict[str, Any] = {
            "filterset": self.filterset,
            "filter_fields": self.filter_fields,
            "tabs": self.tabs(),
            "tab": self.tab,
        }
        if not self.filterset.is_valid():
            return render(request, self.template_name, context, status=400)
        query = self.filterset.insight_query()
        context.update(self.common(query))
        try:
            context.update(self.insight(query, **kwargs))
        except BadParameter as error:
            context["parameter_error"] = (error.field, str(error))
            return render(request, self.template_name, context, status=400)
        except PastTheEnd as error:
            raise Http404(_("There is no such page.")) from error
        return render(request, self.template_name, context)

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        raise NotImplementedError

    def tabs(self) -> list[dict[str, Any]]:
        keep = self.filters_only().urlencode()
        return [
            {
                "label": label,
                "url": reverse(f"insights:{name}") + (f"?{keep}" if keep else ""),
                "current": name == self.tab,
            }
            for name, label in TABS
        ]

    def filters_only(self) -> QueryDict:
        """The request's query without paging, ordering and page-specific choices."""
        query = self.request.GET.copy()
        for name in ("page", "ordering", "by", "format"):
            query.pop(name, None)
        return query

    def common(self, query: InsightQuery) -> dict[str, Any]:
        regions = query_regions(query)
        names = {region.id: region for region in regions}
        trail = ancestors(regions, query.region.pk) if query.region else []
        base = self.filters_only()
        base.pop("region", None)
        crumbs = [{"label": query.brand.name, "url": f"{reverse('insights:dashboard')}?{base.urlencode()}"}]
        for region_id in trail:
            base["region"] = str(region_id)
            crumbs.append(
                {"label": names[region_id].name, "url": f"{reverse('insights:dashboard')}?{base.urlencode()}"}
            )
        filters = self.filters_only()
        without_page = self.request.GET.copy()
        without_page.pop("page", None)
        return {
            "query": query,
            "crumbs": crumbs,
            "filter_query": filters.urlencode(),
            "query_without_page": without_page.urlencode(),
        }

    # --- declared tables -------------------------------------------------------------------------

    def asked(self, table: InsightTable, message: str | None = None) -> Asked:
        """What this request asks of ``table`` (its ordering, its argument), read by the table."""
        return table.asked(self.request.GET, message)

    def table_context(
        self, table: InsightTable, query: InsightQuery, asked: Asked, size: int = PAGE_SIZE
    ) -> dict[str, Any]:
        """One page of ``table`` as the templates show it: the rows, the paging, the sort links and
        the link to the whole table as CSV (the API's, with the page's filters)."""
        page = self.rows_page(table.rows(query, asked), size)
        context = {
            "page_obj": page,
            "is_paginated": page.num_pages > 1,
            "rows": page.rows,
            "csv_url": self.table_csv_url(table, asked),
        }
        if table.orderings:
            context["sort"] = self.sort_links(table.orderings, asked.ordering)
        return context

    def rows_page(self, source: RowSource, size: int = PAGE_SIZE) -> RowsPage:
        number = whole_number(
            self.request.GET, "page", 1, message=_("A page number is a whole number from 1.")
        )
        return read_page(source, number, size)

    def csv_url(self, api_name: str, **extra: str) -> str:
        """The API's CSV of a table (``api_name``: its route's name) with the page's filters."""
        query = self.request.GET.copy()
        query.pop("page", None)
        for key, value in extra.items():
            query[key] = value
        query["format"] = "csv"
        return f"{reverse(api_name)}?{query.urlencode()}"

    def table_csv_url(self, table: InsightTable, asked: Asked | None = None) -> str:
        """The whole of a declared table as CSV, as asked (``by``, the standard's code)."""
        argument = (
            {table.argument.name: asked.argument} if table.argument and asked and asked.argument else {}
        )
        return self.csv_url(table.api_name, **argument)

    def sort_links(self, orderings: Any, current: str | None) -> dict[str, dict[str, Any]]:
        """For each ordering: the URL that sorts by it and whether it is the current one."""
        links = {}
        for name in orderings:
            query = self.request.GET.copy()
            query.pop("page", None)
            query["ordering"] = name
            links[name.replace("-", "desc_")] = {"url": f"?{query.urlencode()}", "current": name == current}
        return links
