from django.urls import path

from analytics import api, views

urlpatterns = [
    path("analytics/", views.analytics_page, name="analytics"),
    path("api/v1/analytics/", api.AnalyticsView.as_view(), name="api-analytics"),
]
