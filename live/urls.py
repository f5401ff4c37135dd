from django.urls import path

from live.api import TicketView

urlpatterns = [
    path("api/v1/ws-ticket/", TicketView.as_view(), name="ws-ticket"),
]
