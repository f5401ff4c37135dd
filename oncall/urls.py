"""Pages of on call (the API is routed in riskops/urls.py)."""

from django.urls import path

from oncall import views

urlpatterns = [
    path("", views.schedule_list, name="oncall-list"),
    path("new/", views.schedule_create, name="oncall-schedule-create"),
    path("<int:pk>/", views.schedule_detail, name="oncall-schedule"),
    path("<int:pk>/layers/", views.layer_add, name="oncall-layer-add"),
    path("<int:pk>/overrides/", views.override_add, name="oncall-override-add"),
    path("<int:pk>/layers/<int:layer_id>/remove/", views.layer_remove, name="oncall-layer-remove"),
    path(
        "<int:pk>/overrides/<int:override_id>/remove/", views.override_remove, name="oncall-override-remove"
    ),
    path("feeds/<str:token>.ics", views.feed, name="oncall-feed"),
]
