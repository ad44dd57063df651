"""The auditor's tablet app under /tablet/: the app shell and its service worker."""

from django.urls import path

from cx_audit.tablet import pages

urlpatterns = [
    path("", pages.TabletView.as_view(), name="tablet"),
    path("sw.js", pages.service_worker, name="tablet_sw"),
]
