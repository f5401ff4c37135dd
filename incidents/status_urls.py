from django.urls import path

from incidents import status_pages

urlpatterns = [
    path("", status_pages.status_index, name="status-index"),
    path("<int:incident_id>/", status_pages.status_detail, name="status-detail"),
    path("<int:incident_id>/summary/", status_pages.status_fragment, name="status-fragment"),
    path("<int:incident_id>/follow/", status_pages.status_follow, name="status-follow"),
]
