"""Pages of the chain insights, under /insights/ (the API's are under /api/insights/)."""

from django.urls import path

from cx_audit.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("league/", views.LeagueView.as_view(), name="league"),
    path("regressions/", views.RegressionsView.as_view(), name="regressions"),
    path("location-gaps/", views.LocationGapsView.as_view(), name="location_gaps"),
    path("standards/", views.StandardsView.as_view(), name="standards"),
    path("standards/<str:code>/", views.StandardDetailView.as_view(), name="standard"),
    path("consistency/", views.ConsistencyView.as_view(), name="consistency"),
    path("comparisons/", views.ComparisonsView.as_view(), name="comparisons"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("heatmaps/", views.HeatMapsView.as_view(), name="heatmaps"),
    path("locations/<int:pk>/", views.LocationView.as_view(), name="location"),
]
