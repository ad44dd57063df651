"""Pages of corrective actions, under /actions/ (the API's are under /api/actions/)."""

from django.urls import path

from cx_audit.actions import pages as action_pages

app_name = "actions"

urlpatterns = [
    path("", action_pages.ActionListView.as_view(), name="list"),
    path("<int:pk>/", action_pages.ActionDetailView.as_view(), name="detail"),
    path("<int:pk>/respond/", action_pages.ActionRespondView.as_view(), name="respond"),
    path("<int:pk>/decide/", action_pages.ActionDecideView.as_view(), name="decide"),
]
