from django.urls import path

from live import views
from live.api import TicketView

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<int:team_id>/now/", views.team_now, name="team-now"),
    path("api/v1/ws-ticket/", TicketView.as_view(), name="ws-ticket"),
]
