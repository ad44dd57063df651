"""Pages of the chain insights, under /insights/ (the API's are under /api/insights/)."""

from django.urls import path

from cx_audit.insights.pages import chain, locations, predict, standards

app_name = "insights"

urlpatterns = [
    path("", chain.DashboardView.as_view(), name="dashboard"),
    path("league/", locations.LeagueView.as_view(), name="league"),
    path("regressions/", locations.RegressionsView.as_view(), name="regressions"),
    path("location-gaps/", locations.LocationGapsView.as_view(), name="location_gaps"),
    path("standards/", standards.StandardsView.as_view(), name="standards"),
    path("standards/<str:code>/", standards.StandardDetailView.as_view(), name="standard"),
    path("consistency/", standards.ConsistencyView.as_view(), name="consistency"),
    path("comparisons/", chain.ComparisonsView.as_view(), name="comparisons"),
    path("trends/", chain.TrendsView.as_view(), name="trends"),
    path("heatmaps/", locations.HeatMapsView.as_view(), name="heatmaps"),
    path("locations/<int:pk>/", locations.LocationView.as_view(), name="location"),
    path("predict/", predict.PredictView.as_view(), name="predict"),
]
