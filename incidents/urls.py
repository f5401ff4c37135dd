from django.urls import path, re_path

from incidents import views

urlpatterns = [
    path("", views.incident_list, name="incident-list"),
    path("declare/", views.incident_declare, name="incident-declare"),
    path("mine/", views.my_tasks, name="my-tasks"),
    path("<int:incident_id>/", views.incident_detail, name="incident-detail"),
    # Only the war room's own sections, so that other apps' pages under /incidents/<id>/ stay theirs.
    re_path(
        r"^(?P<incident_id>[0-9]+)/(?P<part>header|board|timeline)/$",
        views.incident_fragment,
        name="incident-fragment",
    ),
    path("<int:incident_id>/actions/<slug:action>/", views.incident_action, name="incident-action"),
    path("<int:incident_id>/linkable-risks/", views.incident_linkable_risks, name="incident-linkable-risks"),
    path("tasks/<int:task_id>/<slug:action>/", views.task_action, name="task-action"),
]
