"""The REST API: one router for every app, token auth, and the OpenAPI document."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from cx_audit.actions.api import CorrectiveActionViewSet, RoutingRuleViewSet
from cx_audit.audits.api import AuditPlanViewSet, AuditViewSet, EvidenceFileView, LocationExperienceView
from cx_audit.core.api_docs import ApiDocsView
from cx_audit.core.exceptions import ApiNotFoundView
from cx_audit.core.tokens import ObtainTokenView, TokenLogoutAllView, TokenLogoutView
from cx_audit.insights import api as insights
from cx_audit.reports.api import ScorecardJobViewSet
from cx_audit.scorecards.api import DisputeViewSet, ScorecardViewSet, ShareLinkViewSet
from cx_audit.tablet.api import ItemExamplePhotoView, TabletBootstrapView
from cx_audit.voice import dashboard_api as voice_dashboard
from cx_audit.voice.api import FeedbackViewSet, LexiconTermViewSet
from cx_audit.voice.recovery_api import RecoveryActionViewSet
from journeys.api import views as journeys
from locations.api import views as locations

router = DefaultRouter()
router.register("brands", locations.BrandViewSet)
router.register("regions", locations.RegionViewSet)
router.register("franchisees", locations.FranchiseeViewSet)
router.register("locations", locations.LocationViewSet)
router.register("memberships", locations.MembershipViewSet)
router.register("frameworks", journeys.FrameworkViewSet)
router.register("dimensions", journeys.DimensionViewSet)
router.register("journeys", journeys.JourneyViewSet)
router.register("stages", journeys.StageViewSet)
router.register("touchpoints", journeys.TouchpointViewSet)
router.register("sections", journeys.SectionViewSet)
router.register("items", journeys.ItemViewSet)
router.register("audits", AuditViewSet)
router.register("audit-plans", AuditPlanViewSet)
router.register("scorecards", ScorecardViewSet, basename="scorecard")
router.register("disputes", DisputeViewSet)
router.register("share-links", ShareLinkViewSet)
router.register("scorecard-jobs", ScorecardJobViewSet, basename="scorecard-job")
router.register("actions", CorrectiveActionViewSet)
router.register("routing-rules", RoutingRuleViewSet)
router.register("recovery-actions", RecoveryActionViewSet)
router.register("feedback", FeedbackViewSet)
router.register("lexicon-terms", LexiconTermViewSet)

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", TokenLogoutAllView.as_view(), name="api-logout-all"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    path("tablet/bootstrap/", TabletBootstrapView.as_view(), name="tablet-bootstrap"),
    path("items/<int:pk>/example-photo/", ItemExamplePhotoView.as_view(), name="item-example-photo"),
    path("evidence/<int:pk>/file/", EvidenceFileView.as_view(), name="evidence-file"),
    path("locations/<int:pk>/experience/", LocationExperienceView.as_view(), name="location-experience"),
    path("insights/", include(insights.urlpatterns)),
    path("voice/", include(voice_dashboard.urlpatterns)),  # the voice dashboard as JSON
    path("history/", include("cx_audit.history.api_urls")),
    path("", include(router.urls)),
    # Last: a path nothing above matches is a JSON 404, not Django's HTML page. Only paths ending
    # in "/", so APPEND_SLASH still redirects "/api/brands" to "/api/brands/".
    re_path(r"^[\s\S]*/$", ApiNotFoundView.as_view(), name="api-not-found"),
]
