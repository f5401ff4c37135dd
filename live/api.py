"""POST /api/v1/ws-ticket/: a single-use ticket for a WebSocket connection."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from live.tickets import ticket_issue


class TicketView(APIView):
    """Anyone signed in; the ticket opens one WebSocket as them within 60 s (`?ticket=`)."""

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "WebSocketTicket",
                {"ticket": serializers.CharField(), "expires_at": serializers.DateTimeField()},
            )
        },
    )
    def post(self, request):
        ticket = ticket_issue(user_id=request.user.pk)
        return Response(
            {"ticket": ticket.ticket, "expires_at": ticket.expires_at}, status=status.HTTP_201_CREATED
        )
