from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from audit.api import AuditEntryViewSet
from incidents.api import IncidentViewSet, TaskViewSet
from incidents.subscriptions_api import SubscriptionViewSet
from indicators.api import KRIViewSet
from integrations.api import AlertsInView, IntegrationViewSet
from notifications.api import NotificationViewSet, PreferenceViewSet
from oncall.api import (
    CalendarDayViewSet,
    LayerViewSet,
    MyFeedView,
    OnCallView,
    OverrideViewSet,
    ScheduleViewSet,
    SwapViewSet,
)
from people.api import TeamViewSet, UserViewSet
from people.token import TokenView
from people.views import switch_language
from playbooks.api import PlaybookViewSet
from reviews.api import FollowUpViewSet
from riskops.landing import home
from riskops.views import healthz, metrics, readyz
from risks.api import ActionViewSet, CategoryViewSet, ImportJobViewSet, MatrixView, RiskViewSet

# The interactive docs' page has one inline <style> (drf-spectacular's template), allowed by its hash.
SWAGGER_UI_STYLE = {"style-src": ["'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"]}

router = DefaultRouter()
router.register("users", UserViewSet, basename="user")
router.register("teams", TeamViewSet, basename="team")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("notification-preferences", PreferenceViewSet, basename="notification-preference")
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
router.register("risks", RiskViewSet, basename="api-risk")
router.register("risk-actions", ActionViewSet, basename="api-risk-action")
router.register("risk-imports", ImportJobViewSet, basename="api-risk-import")
router.register("risk-categories", CategoryViewSet, basename="api-risk-category")
router.register("incidents", IncidentViewSet, basename="api-incident")
router.register("tasks", TaskViewSet, basename="api-task")
router.register("follow-ups", FollowUpViewSet, basename="api-follow-up")
router.register("playbooks", PlaybookViewSet, basename="api-playbook")
router.register("kris", KRIViewSet, basename="api-kri")
router.register("audit-log", AuditEntryViewSet, basename="api-audit-entry")
router.register("integrations", IntegrationViewSet, basename="api-integration")
router.register("schedules", ScheduleViewSet, basename="api-schedule")
router.register("schedule-layers", LayerViewSet, basename="api-schedule-layer")
router.register("schedule-overrides", OverrideViewSet, basename="api-schedule-override")
router.register("schedule-swaps", SwapViewSet, basename="api-schedule-swap")
router.register("calendar-days", CalendarDayViewSet, basename="api-calendar-day")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", switch_language, name="switch-language"),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("risks/", include("risks.urls")),
    path("playbooks/", include("playbooks.urls")),
    path("", include("live.urls")),
    path("", include("reviews.urls")),
    path("", include("analytics.urls")),
    path("incidents/", include("incidents.urls")),
    path("status/", include("incidents.status_urls")),
    path("", include("incidents.link_urls")),
    path("kris/", include("indicators.urls")),
    path("integrations/", include("integrations.urls")),
    path("api/v1/risk-matrix/", MatrixView.as_view(), name="risk-matrix"),
    path("oncall/", include("oncall.urls")),
    path("api/v1/teams/<int:pk>/on-call/", OnCallView.as_view(), name="api-team-on-call"),
    path("api/v1/on-call-feed/", MyFeedView.as_view(), name="api-my-on-call-feed"),
    path("api/v1/integrations/<int:pk>/alerts/", AlertsInView.as_view(), name="api-integration-alerts"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        csp_update(SWAGGER_UI_STYLE)(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]

handler400 = "riskops.problem_pages.bad_request"
handler403 = "riskops.problem_pages.permission_denied"
handler404 = "riskops.problem_pages.not_found"
handler500 = "riskops.problem_pages.server_error"
