from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cx_audit.audits import pages as audit_pages
from cx_audit.core import pages as views
from cx_audit.tablet import pages as tablet_pages

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("locations/", include("locations.urls")),
    path("frameworks/", include("journeys.urls")),
    path("audits/", audit_pages.AuditListView.as_view(), name="audit_list"),
    path("audits/<int:pk>/", audit_pages.AuditDetailView.as_view(), name="audit_detail"),
    path("insights/", include("cx_audit.insights.urls")),
    path("scorecards/", include("cx_audit.scorecards.urls")),
    path("actions/", include("cx_audit.actions.urls")),
    path("share/", include("cx_audit.scorecards.share_urls")),
    path("tablet/", tablet_pages.TabletView.as_view(), name="tablet"),
    path("tablet/sw.js", tablet_pages.service_worker, name="tablet_sw"),
    path("api/", include("cx_audit.api_urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
