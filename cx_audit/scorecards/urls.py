"""Pages of the scorecards, under /scorecards/ (the API's are under /api/scorecards/ and beside)."""

from django.urls import path

from cx_audit.scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.ScorecardListView.as_view(), name="list"),
    path("<int:pk>/", views.ScorecardDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", views.ScorecardPdfView.as_view(), name="pdf"),
    path("brands/<int:pk>/logo/", views.BrandLogoView.as_view(), name="logo"),
    path("<int:pk>/disputes/", views.DisputeCreateView.as_view(), name="dispute_create"),
    path("<int:pk>/share-links/", views.ShareLinkCreateView.as_view(), name="share_create"),
    path("share-links/<int:pk>/revoke/", views.ShareLinkRevokeView.as_view(), name="share_revoke"),
    path("disputes/", views.DisputeListView.as_view(), name="disputes"),
    path("disputes/<int:pk>/", views.DisputeDetailView.as_view(), name="dispute"),
]
