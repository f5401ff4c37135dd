"""Pages of the playbook library (the API is routed in riskops/urls.py)."""

from django.urls import path

from playbooks import views

urlpatterns = [
    path("", views.playbook_list, name="playbook-list"),
    path("new/", views.playbook_editor, name="playbook-create"),
    path("<int:pk>/", views.playbook_detail, name="playbook-detail"),
    path("<int:pk>/edit/", views.playbook_editor, name="playbook-edit"),
    path("<int:pk>/preview/", views.playbook_preview, name="playbook-preview"),
    path("<int:pk>/raci.csv", views.playbook_raci_csv, name="playbook-raci-csv"),
    path("<int:pk>/publish/", views.playbook_publish, name="playbook-publish"),
    path("<int:pk>/retire/", views.playbook_retire, name="playbook-retire"),
]
