"""/links/<token>/ and /api/v1/links/<token>/: acting from an e-mail or chat message itself.

Opening the link shows what it will do and a button (mail scanners that open links act on nothing);
pressing it acts as the person it was sent to, signs them in and opens the war room.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents import services
from incidents.models import Incident, Task
from notifications.links import LinkRefused, link_peek
from notifications.models import ActionLink

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def link_page(request, token: str):
    try:
        if request.method == "POST":
            link = services.link_act(token=token, user=request.user)
            if not request.user.is_authenticated:
                login(request, link.user, backend=MODEL_BACKEND)
            if link.action == ActionLink.Action.ACKNOWLEDGE:
                messages.success(request, _("Acknowledged: the task is yours."))
            return redirect("incident-detail", incident_id=link.incident_id)
        link = link_peek(token=token)
    except LinkRefused as refused:
        return render(request, "incidents/link.html", {"refused": refused.detail}, status=410)
    incident = Incident.objects.filter(pk=link.incident_id).first()
    task = Task.objects.filter(pk=link.task_id).first() if link.task_id else None
    return render(request, "incidents/link.html", {"link": link, "incident": incident, "task": task})


class LinkActView(APIView):
    """Uses a link from an e-mail or chat message, as the person it was sent to (the token is the
    credential; signed in as someone else, it is refused)."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "LinkUsed",
            {
                "action": serializers.ChoiceField(choices=ActionLink.Action.choices),
                "incident": serializers.IntegerField(),
                "task": serializers.IntegerField(allow_null=True),
            },
        ),
    )
    def post(self, request, token: str):
        link = services.link_act(token=token, user=request.user)
        return Response({"action": link.action, "incident": link.incident_id, "task": link.task_id})
