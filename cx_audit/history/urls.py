from django.urls import path

from cx_audit.history.pages import HistoryListView

app_name = "history"
urlpatterns = [path("", HistoryListView.as_view(), name="list")]
