"""Pages of on call (the API is routed in riskops/urls.py)."""

from django.urls import path

from oncall import views

urlpatterns = [
    path("", views.schedule_list, name="oncall-list"),
    path("<int:pk>/", views.schedule_detail, name="oncall-schedule"),
    path("feeds/<str:token>.ics", views.feed, name="oncall-feed"),
]
