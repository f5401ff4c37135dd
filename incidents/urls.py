from django.urls import path

from incidents import views

urlpatterns = [
    path("", views.incident_list, name="incident-list"),
    path("declare/", views.incident_declare, name="incident-declare"),
    path("mine/", views.my_tasks, name="my-tasks"),
    path("<int:incident_id>/", views.incident_detail, name="incident-detail"),
    path("<int:incident_id>/<slug:part>/", views.incident_fragment, name="incident-fragment"),
    path("<int:incident_id>/actions/<slug:action>/", views.incident_action, name="incident-action"),
    path("tasks/<int:task_id>/<slug:action>/", views.task_action, name="task-action"),
]
