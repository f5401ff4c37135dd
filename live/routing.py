from django.urls import path

from live import consumers

websocket_urlpatterns = [
    path("ws/incidents/<int:incident_id>/", consumers.IncidentConsumer.as_asgi()),
    path("ws/teams/<int:team_id>/", consumers.TeamConsumer.as_asgi()),
    path("ws/dashboard/", consumers.DashboardConsumer.as_asgi()),
    path("ws/notifications/", consumers.BellConsumer.as_asgi()),
]
