"""Pages of audits, under /audits/ (the API's are under /api/audits/)."""

from django.urls import path

from cx_audit.audits import pages

urlpatterns = [
    path("", pages.AuditListView.as_view(), name="audit_list"),
    path("<int:pk>/", pages.AuditDetailView.as_view(), name="audit_detail"),
]
