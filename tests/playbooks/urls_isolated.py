# TEMPORARY while other apps' routes are half-written: only this app's routes and the shell's.
from django.contrib.auth import views as auth_views
from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from people.views import switch_language
from playbooks.api import PlaybookViewSet
from riskops.views import home

router = DefaultRouter()
router.register("playbooks", PlaybookViewSet, basename="playbook")
urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", switch_language, name="switch-language"),
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/v1/", include(router.urls)),
]
