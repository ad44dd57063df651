from django.urls import path

from cx_audit.history.api import HistoryView

urlpatterns = [path("", HistoryView.as_view(), name="api-history")]
