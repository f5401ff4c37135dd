"""Pages: the library, a playbook with its RACI chart, the timeline preview, the editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from core.errors import InvalidTransition
from core.permissions import may_write_register
from people.models import Team
from people.selectors import people_active
from playbooks import selectors, services
from playbooks.api import preview_parameters
from playbooks.models import Playbook, PlaybookStatus
from playbooks.raci_chart import raci_chart, raci_chart_csv
from playbooks.spec import playbook_spec
from playbooks.timeline_chart import legend, timeline_chart
from playbooks.validation import DEFAULT_TIERS


def _playbook(pk: int) -> Playbook:
    try:
        return selectors.playbook_get(playbook_id=pk)
    except Playbook.DoesNotExist as error:
        raise Http404 from error


def _writer(request) -> None:
    if not may_write_register(request.user):
        raise PermissionDenied


@login_required
def playbook_list(request):
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    search = request.GET.get("search", "").strip()
    return render(
        request,
        "playbooks/list.html",
        {
            "playbooks": selectors.playbook_list(
                status=status if status in PlaybookStatus.values else None, category=category, search=search
            ),
            "statuses": PlaybookStatus.choices,
            "categories": selectors.playbook_categories(),
            "filters": {"status": status, "category": category, "search": search},
        },
    )


@login_required
def playbook_detail(request, pk: int):
    playbook = _playbook(pk)
    tiers = list(playbook.tiers.all())
    steps = list(playbook.steps.all())
    return render(
        request,
        "playbooks/detail.html",
        {
            "playbook": playbook,
            "columns": [(tier, [step for step in steps if step.tier_id == tier.pk]) for tier in tiers],
            "chart": raci_chart(playbook),
            "versions": selectors.playbook_versions(playbook=playbook),
            "can_edit": may_write_register(request.user),
        },
    )


@login_required
def playbook_raci_csv(request, pk: int):
    playbook = _playbook(pk)
    response = HttpResponse(raci_chart_csv(raci_chart(playbook)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="raci-playbook-{playbook.pk}-v{playbook.version}.csv"'
    )
    return response


@login_required
def playbook_preview(request, pk: int):
    playbook = _playbook(pk)
    params = request.GET.copy()
    if params.get("declared_at"):
        params["declared_at"] = params["declared_at"].replace(" ", "T")
    errors = {}
    try:
        declared_at, clock_rate = preview_parameters(params)
    except ValidationError as error:
        errors = error.detail
        declared_at, clock_rate = timezone.now(), 1
    local = timezone.localtime(declared_at).replace(second=0, microsecond=0, tzinfo=None)
    preview = selectors.playbook_preview(playbook=playbook, declared_at=declared_at, clock_rate=clock_rate)
    return render(
        request,
        "playbooks/preview.html",
        {
            "playbook": playbook,
            "preview": preview,
            "chart": timeline_chart(preview),
            "legend": legend(),
            "declared_local": local.isoformat(timespec="minutes"),
            "errors": errors,
        },
    )


@login_required
def playbook_editor(request, pk: int | None = None):
    _writer(request)
    playbook = _playbook(pk) if pk else None
    spec = (
        playbook_spec(playbook)
        if playbook
        else {"name": "", "description": "", "category": "", "tiers": DEFAULT_TIERS, "steps": []}
    )
    all_teams = list(Team.objects.order_by("name"))
    teams = [{"value": f"team:{team.pk}", "label": team.name} for team in all_teams]
    on_call = [
        {"value": f"oncall:{team.pk}", "label": _("On call: {team}").format(team=team.name)}
        for team in all_teams
    ]
    people = [
        {"value": f"user:{person.pk}", "label": f"{person} ({person.username})"}
        for person in people_active().order_by("username")
    ]
    return render(
        request,
        "playbooks/editor.html",
        {
            "playbook": playbook,
            "editor": {
                "playbook": playbook.pk if playbook else None,
                "status": playbook.status if playbook else PlaybookStatus.DRAFT,
                "spec": spec,
                "teams": teams,
                "onCall": on_call,
                "people": people,
            },
        },
    )


@login_required
@require_POST
def playbook_publish(request, pk: int):
    _writer(request)
    return _transition(request, pk, services.playbook_publish, _("Published."))


@login_required
@require_POST
def playbook_retire(request, pk: int):
    _writer(request)
    return _transition(request, pk, services.playbook_retire, _("Retired."))


def _transition(request, pk: int, service, done: str):
    try:
        service(playbook=_playbook(pk), by=request.user)
        messages.success(request, done)
    except InvalidTransition as error:
        messages.error(request, error.detail)
    except ValidationError as error:
        messages.error(request, _("Cannot publish: %(errors)s") % {"errors": error.detail})
    return redirect("playbook-detail", pk=pk)
