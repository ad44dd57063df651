"""Pages of bulk exports, under /scorecards/bulk/ beside the scorecards they print."""

from django.urls import path

from cx_audit.reports import pages

app_name = "reports"

urlpatterns = [
    path("", pages.BulkJobView.as_view(), name="bulk"),
    path("<int:pk>/", pages.BulkJobDetailView.as_view(), name="job"),
    path("<int:pk>/restart/", pages.BulkJobRestartView.as_view(), name="job_restart"),
]
