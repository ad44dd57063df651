"""The in-store survey, under /s/<token>/ (no sign-in; short, because it is printed as a QR code)."""

from django.urls import path

from cx_audit.voice import survey_pages

app_name = "survey"

urlpatterns = [
    path("<str:token>/", survey_pages.SurveyView.as_view(), name="form"),
    path("<str:token>/thanks/", survey_pages.SurveyThanksView.as_view(), name="thanks"),
]
