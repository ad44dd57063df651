"""Do audit scores predict NPS? One page for HQ: ρ overall and per section, and the scatter chart.

Unlike the other insight pages (403), anyone without an HQ role is answered 404: the page is about
customers, and the voice hides what a user may not read rather than saying it is there.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from cx_audit.core import charts
from cx_audit.insights.access import can_see_insights
from cx_audit.insights.filters import InsightQuery
from cx_audit.insights.pages.base import InsightPage
from cx_audit.insights.predict import Prediction, predict


def scatter(prediction: Prediction) -> str:
    """Audit score against NPS, one dot per location compared (the page and a PDF alike)."""
    return charts.scatter_chart(
        [charts.Dot(f"{p.location_code} {p.location_name}", p.score, p.nps) for p in prediction.points],
        title=_("Audit score and NPS of each location"),
        x_label=_("Audit score"),
        y_label=_("NPS"),
        description=prediction.overall.reading,
    )


class PredictView(InsightPage):
    """ρ of the audit score and of each section against NPS, with n, the chart and its reading."""

    template_name = "cx_audit/insights/predict.html"
    tab = "predict"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not can_see_insights(request.user):
            raise Http404(_("There is no such page."))
        return super().dispatch(request, *args, **kwargs)

    def insight(self, query: InsightQuery, **kwargs: Any) -> dict[str, Any]:
        prediction = predict(query)
        return {
            "prediction": prediction,
            "rows": [prediction.overall, *prediction.sections],
            "chart": scatter(prediction) if prediction.points else "",
            "api_url": f"{reverse('insights-predict')}?{self.filters_only().urlencode()}",
        }
