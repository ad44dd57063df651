"""The site's URLs: each feature's pages under its own prefix, the API under /api/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cx_audit.core import accounts
from cx_audit.home.pages import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("cx_audit.core.accounts")),  # password change and reset
    path("locations/", include("locations.urls")),
    path("frameworks/", include("journeys.urls")),
    path("audits/", include("cx_audit.audits.urls")),
    path("insights/", include("cx_audit.insights.urls")),
    path("scorecards/bulk/", include("cx_audit.reports.urls")),
    path("scorecards/", include("cx_audit.scorecards.urls")),
    path("actions/", include("cx_audit.actions.urls")),
    path("history/", include("cx_audit.history.urls")),
    path("voice/", include("cx_audit.voice.urls")),
    path("share/", include("cx_audit.scorecards.share_urls")),
    path("s/", include("cx_audit.voice.survey_urls")),  # the in-store survey (short: printed as a QR code)
    path("tablet/", include("cx_audit.tablet.urls")),
    path("api/", include("cx_audit.api_urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
