"""Pages of the integrations (the API is routed in riskops/urls.py)."""

from django.urls import path

from integrations import views

urlpatterns = [
    path("", views.integration_list, name="integration-list"),
    path("new/", views.integration_create, name="integration-create"),
    path("<int:pk>/", views.integration_detail, name="integration-detail"),
    path("<int:pk>/edit/", views.integration_edit, name="integration-edit"),
    path("<int:pk>/reset-token/", views.integration_reset_token, name="integration-reset-token"),
    path("<int:pk>/maintenance-windows/", views.maintenance_window_add, name="integration-maintenance"),
]
