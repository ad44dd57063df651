"""What a share link opens, under /share/<token>/ (no sign-in)."""

from django.urls import path

from cx_audit.scorecards import share_views

app_name = "share"

urlpatterns = [
    path("<str:token>/", share_views.SharedScorecardView.as_view(), name="scorecard"),
    path("<str:token>/pdf/", share_views.SharedPdfView.as_view(), name="pdf"),
    path("<str:token>/photos/<int:pk>/", share_views.SharedPhotoView.as_view(), name="photo"),
    path("<str:token>/logo/", share_views.SharedLogoView.as_view(), name="logo"),
]
