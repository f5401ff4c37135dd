"""Every API endpoint × every kind of user, with the exact status each gets.

The table is the specification: a new endpoint without a row fails `test_every_endpoint_has_a_row`.
The world is built once for the module, in a transaction rolled back at its end; each row runs in
a savepoint of it, and each kind of user acts inside a savepoint of that, rolled back afterwards,
so one person's write never changes what the next one meets. A permitted write may still be
refused for its input (400) or the incident's state (409): what matters is that it got past the
permission check, and a reader never does.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.views import APIView

from tests.factories import PASSWORD
from tests.fixtures.database import built_once
from tests.fixtures.world import KINDS, build_world

pytestmark = pytest.mark.django_db


world = built_once(build_world, "world")  # for this module's hundred tests (see the docstring above)


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # as the OpenAPI schema spells it
    ids: str | None  # the world's key for the {id} of the path
    expected: tuple[int, int, int, int, int, int]  # in the order of KINDS
    body: Callable[[dict], dict | list] = field(default=lambda world: {})

    def url(self, world) -> str:
        """Each {placeholder} of the path, in order, takes the id of the next of `ids` (space-separated)."""
        path = self.path
        for key in (self.ids or "").split():
            placeholder = path[path.index("{") : path.index("}") + 1]
            path = path.replace(placeholder, str(world[key]), 1)
        return path


def schedule_body(world):
    return {
        "team": world["team"],
        "name": "Supply nights",
        "time_zone": "Asia/Shanghai",
        "working_calendar": "cn",
    }


def layer_body(world):
    return {
        "schedule": world["schedule"],
        "name": "Nights",
        "people": [world["user"]],
        "start_date": "2026-01-01",
        "handoff_time": "18:00",
        "shift_unit": "weeks",
    }


def reading(world):
    return {"value": 95, "measured_at": "2026-01-01T00:00:00Z"}


ROWS = [
    # Auth: the token endpoint is public; its answer depends on the credentials, not on who asks.
    Row(
        "POST", "/api/v1/auth/token/", None, (200,) * 6, lambda w: {"username": "buyer", "password": PASSWORD}
    ),
    Row("POST", "/api/v1/ws-ticket/", None, (401, 201, 201, 201, 201, 201)),
    # People: everyone signed in reads them (to pick owners and RACI); admins write.
    Row("GET", "/api/v1/users/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/users/", None, (401, 403, 403, 403, 403, 400)),
    Row("GET", "/api/v1/users/{id}/", "user", (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/users/me/", None, (401, 200, 200, 200, 200, 200)),
    Row("PATCH", "/api/v1/users/me/", None, (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/teams/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/teams/", None, (401, 403, 403, 403, 403, 400)),
    Row("GET", "/api/v1/teams/{id}/", "team", (401, 200, 200, 200, 200, 200)),
    Row("PUT", "/api/v1/teams/{id}/", "team", (401, 403, 403, 403, 403, 400)),
    Row("PATCH", "/api/v1/teams/{id}/", "team", (401, 403, 403, 403, 403, 200)),
    # A team named in a playbook's RACI is kept: 409, not a 500.
    Row("DELETE", "/api/v1/teams/{id}/", "team", (401, 403, 403, 403, 403, 409)),
    Row("POST", "/api/v1/teams/{id}/members/", "team", (401, 403, 403, 403, 403, 400)),
    # Notifications: each person's own; someone else's is 404.
    Row("GET", "/api/v1/notifications/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/notifications/{id}/read/", "notification", (401, 200, 404, 404, 404, 404)),
    Row("POST", "/api/v1/notifications/read-all/", None, (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/notifications/unread-count/", None, (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/notification-preferences/", None, (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/notification-preferences/{kind}/", "kind", (401, 200, 200, 200, 200, 200)),
    Row("PATCH", "/api/v1/notification-preferences/{kind}/", "kind", (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/notification-preferences/drills/", None, (401, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        "/api/v1/notification-preferences/drills/",
        None,
        (401, 200, 200, 200, 200, 200),
        lambda w: {"drills": "all"},
    ),
    Row("GET", "/api/v1/notification-preferences/rule/", None, (401, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        "/api/v1/notification-preferences/rule/",
        None,
        (401, 200, 200, 200, 200, 200),
        lambda w: {"repeat_minutes": 10},
    ),
    # Subscriptions: each person's own; an incident one may not see cannot be followed.
    Row("GET", "/api/v1/subscriptions/", None, (401, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        "/api/v1/subscriptions/",
        None,
        (401, 201, 400, 201, 201, 201),
        lambda w: {"follows": "incident", "incident": w["incident"]},
    ),
    Row("DELETE", "/api/v1/subscriptions/{id}/", "subscription", (401, 204, 404, 404, 404, 404)),
    # A link from an e-mail or chat message: the signed token is the credential, whoever asks; a
    # forged one is refused for everyone (a real one: tests/notifications/test_action_links.py).
    Row("POST", "/api/v1/links/{token}/", "link_token", (409,) * 6),
    # The register: everyone signed in reads it; risk officers and admins write it.
    Row("GET", "/api/v1/risk-matrix/", None, (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/risk-categories/", None, (401, 200, 200, 200, 200, 200)),
    Row(
        "PATCH",
        "/api/v1/risk-categories/{key}/",
        "category_key",
        (401, 403, 403, 200, 403, 200),
        lambda w: {"appetite": ""},
    ),
    Row("GET", "/api/v1/risks/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/risks/", None, (401, 403, 403, 400, 403, 400)),
    Row("GET", "/api/v1/risks/{id}/", "risk", (401, 200, 200, 200, 200, 200)),
    Row("PUT", "/api/v1/risks/{id}/", "risk", (401, 403, 403, 400, 403, 400)),
    Row("PATCH", "/api/v1/risks/{id}/", "risk", (401, 403, 403, 200, 403, 200)),
    Row("DELETE", "/api/v1/risks/{id}/", "risk", (401, 403, 403, 204, 403, 204)),
    Row("GET", "/api/v1/risks/{id}/actions/", "risk", (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/risks/{id}/actions/", "risk", (401, 403, 403, 400, 403, 400)),
    Row("GET", "/api/v1/risks/{id}/history/", "risk", (401, 200, 200, 200, 200, 200)),
    # Acceptances: everyone reads them; register writers and the risk's owner ask for one; a risk
    # officer or an executive other than the asker (the world's risk officer) decides it.
    Row("GET", "/api/v1/risks/{id}/acceptances/", "risk", (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/risks/{id}/acceptances/", "risk", (401, 403, 403, 400, 403, 400)),
    Row(
        "POST",
        "/api/v1/risks/{id}/acceptances/{acceptance_id}/approve/",
        "risk acceptance",
        (401, 403, 403, 403, 200, 403),
    ),
    Row(
        "POST",
        "/api/v1/risks/{id}/acceptances/{acceptance_id}/decline/",
        "risk acceptance",
        (401, 403, 403, 403, 400, 403),
    ),
    Row("POST", "/api/v1/risks/{id}/rescore/", "risk", (401, 403, 403, 400, 403, 400)),
    Row("POST", "/api/v1/risks/{id}/review/", "risk", (401, 403, 403, 400, 403, 400)),
    Row("GET", "/api/v1/risks/export/", None, (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/risks/heatmap/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/risks/import/", None, (401, 403, 403, 400, 403, 400)),
    Row("GET", "/api/v1/risk-imports/{id}/", "import", (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/risk-actions/{id}/", "action", (401, 200, 200, 200, 200, 200)),
    Row("PATCH", "/api/v1/risk-actions/{id}/", "action", (401, 403, 403, 400, 403, 400)),
    # KRIs: everyone reads; risk officers and admins write; readings also by the KRI's owner.
    Row("GET", "/api/v1/kris/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/kris/", None, (401, 403, 403, 400, 403, 400)),
    Row("GET", "/api/v1/kris/{id}/", "kri", (401, 200, 200, 200, 200, 200)),
    Row("PUT", "/api/v1/kris/{id}/", "kri", (401, 403, 403, 400, 403, 400)),
    Row("PATCH", "/api/v1/kris/{id}/", "kri", (401, 403, 403, 200, 403, 200)),
    Row("GET", "/api/v1/kris/{id}/breaches/", "kri", (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/kris/{id}/readings/", "kri", (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/kris/{id}/readings/", "kri", (401, 403, 403, 201, 403, 201), reading),
    Row(
        "POST",
        "/api/v1/kris/readings/",
        None,
        (401, 403, 403, 201, 403, 201),
        lambda w: [{**reading(w), "kri": w["kri"]}],
    ),
    Row("POST", "/api/v1/kris/readings/import/", None, (401, 400, 400, 400, 400, 400)),
    # Playbooks: everyone reads them; risk officers and admins write them.
    Row("GET", "/api/v1/playbooks/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/playbooks/", None, (401, 403, 403, 400, 403, 400)),
    Row("GET", "/api/v1/playbooks/{id}/", "playbook", (401, 200, 200, 200, 200, 200)),
    Row("PUT", "/api/v1/playbooks/{id}/", "playbook", (401, 403, 403, 400, 403, 400)),
    Row("PATCH", "/api/v1/playbooks/{id}/", "playbook", (401, 403, 403, 201, 403, 201)),
    Row("GET", "/api/v1/playbooks/{id}/export/", "playbook", (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/playbooks/{id}/preview/", "playbook", (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/playbooks/{id}/publish/", "playbook", (401, 403, 403, 409, 403, 409)),
    Row("POST", "/api/v1/playbooks/{id}/retire/", "playbook", (401, 403, 403, 200, 403, 200)),
    Row("POST", "/api/v1/playbooks/import/", None, (401, 403, 403, 400, 403, 400)),
    Row("POST", "/api/v1/playbooks/validate/", None, (401, 403, 403, 400, 403, 400)),
    # Incidents: an outsider gets 404 on everything of an incident they are not in.
    Row("GET", "/api/v1/incidents/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/incidents/", None, (401, 400, 400, 400, 400, 400)),
    Row("GET", "/api/v1/incidents/{id}/", "incident", (401, 200, 404, 200, 200, 200)),
    Row("GET", "/api/v1/incidents/{id}/timeline/", "incident", (401, 200, 404, 200, 200, 200)),
    Row(
        "POST",
        "/api/v1/incidents/{id}/updates/",
        "incident",
        (401, 201, 404, 201, 201, 201),
        lambda w: {"body": "Backup pool called"},
    ),
    # The incident's status and tier are the commander's and admins'.
    Row("POST", "/api/v1/incidents/{id}/advance-tier/", "incident", (401, 403, 404, 403, 403, 200)),
    Row("POST", "/api/v1/incidents/{id}/stabilize/", "incident", (401, 403, 404, 403, 403, 200)),
    Row("POST", "/api/v1/incidents/{id}/resolve/", "incident", (401, 403, 404, 403, 403, 200)),
    Row("POST", "/api/v1/incidents/{id}/close/", "incident", (401, 403, 404, 403, 403, 409)),
    Row("POST", "/api/v1/incidents/{id}/reopen/", "incident", (401, 403, 404, 403, 403, 400)),
    # So are what it is and who runs it, the risks it is linked to, and tasks added to it.
    Row(
        "POST",
        "/api/v1/incidents/{id}/severity/",
        "incident",
        (401, 403, 404, 403, 403, 200),
        lambda w: {"severity": 2, "reason": "Contained to one plant"},
    ),
    Row(
        "POST",
        "/api/v1/incidents/{id}/title/",
        "incident",
        (401, 403, 404, 403, 403, 200),
        lambda w: {"title": "Plant fire at the main supplier", "reason": "Clearer"},
    ),
    Row(
        "POST",
        "/api/v1/incidents/{id}/commander/",
        "incident",
        (401, 403, 404, 403, 403, 200),
        lambda w: {"commander": w["user"], "reason": "Shift change"},
    ),
    Row(
        "POST",
        "/api/v1/incidents/{id}/roles/",
        "incident",
        (401, 403, 404, 403, 403, 200),
        lambda w: {"role": "communications", "user": w["user"]},
    ),
    # The incident is linked to the world's risk already: linking it again is refused for its input.
    Row(
        "POST",
        "/api/v1/incidents/{id}/risks/",
        "incident",
        (401, 403, 404, 403, 403, 400),
        lambda w: {"risk": w["risk"]},
    ),
    Row(
        "POST",
        "/api/v1/incidents/{id}/risks/unlink/",
        "incident",
        (401, 403, 404, 403, 403, 200),
        lambda w: {"risk": w["risk"], "reason": "Not this risk"},
    ),
    Row(
        "POST",
        "/api/v1/incidents/{id}/tasks/",
        "incident",
        (401, 403, 404, 403, 403, 201),
        lambda w: {
            "title": "Call the insurer",
            "responsible": [{"user": w["user"]}],
            "accountable": {"user": w["user"]},
            "due_after": "PT1H",
            "escalate_after": "PT30M",
        },
    ),
    # Tasks: their Responsible and Accountable act, the commander and admins too; readers do not.
    Row("GET", "/api/v1/tasks/", None, (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/tasks/{id}/", "task", (401, 200, 404, 200, 200, 200)),
    Row("POST", "/api/v1/tasks/{id}/acknowledge/", "task", (401, 200, 404, 403, 403, 200)),
    Row(
        "POST",
        "/api/v1/tasks/{id}/complete/",
        "task",
        (401, 200, 404, 403, 403, 200),
        lambda w: {"note": "done"},
    ),
    Row(
        "POST",
        "/api/v1/tasks/{id}/skip/",
        "task",
        (401, 200, 404, 403, 403, 200),
        lambda w: {"reason": "moot"},
    ),
    Row("POST", "/api/v1/tasks/{id}/reassign/", "task", (401, 400, 404, 403, 403, 400)),
    # The review of the resolved incident: its viewers read it, its writers (commander, risk
    # officers, admins) change it, only admins waive it.
    Row("GET", "/api/v1/incidents/{incident_id}/review/", "resolved", (401, 200, 404, 200, 200, 200)),
    Row("PATCH", "/api/v1/incidents/{incident_id}/review/", "resolved", (401, 403, 404, 200, 403, 200)),
    Row(
        "POST", "/api/v1/incidents/{incident_id}/review/complete/", "resolved", (401, 403, 404, 400, 403, 400)
    ),
    Row(
        "POST",
        "/api/v1/incidents/{incident_id}/review/follow-ups/",
        "resolved",
        (401, 403, 404, 400, 403, 400),
    ),
    Row(
        "POST",
        "/api/v1/incidents/{incident_id}/review/proposals/",
        "resolved",
        (401, 403, 404, 400, 403, 400),
    ),
    Row("POST", "/api/v1/incidents/{incident_id}/review/waive/", "resolved", (401, 403, 404, 403, 403, 400)),
    # Applying a drill's proposed re-rating: risk officers and admins; a real incident's review
    # proposes nothing (409).
    Row(
        "POST",
        "/api/v1/incidents/{incident_id}/review/ratings/{risk_id}/apply/",
        "resolved risk",
        (401, 403, 404, 409, 403, 409),
        lambda w: {"reason": "The drill showed it."},
    ),
    Row("GET", "/api/v1/follow-ups/", None, (401, 200, 200, 200, 200, 200)),
    Row("GET", "/api/v1/follow-ups/{id}/", "follow_up", (401, 200, 404, 200, 200, 200)),
    Row("POST", "/api/v1/follow-ups/{id}/complete/", "follow_up", (401, 403, 404, 200, 403, 200)),
    # The audit log: administrators only.
    Row("GET", "/api/v1/audit-log/", None, (401, 403, 403, 403, 403, 200)),
    Row("GET", "/api/v1/audit-log/{id}/", "audit_entry", (401, 403, 403, 403, 403, 200)),
    # Integrations: risk officers and administrators set them up; a sender's token is its only
    # credential, so without it everyone is refused (with it: tests/integrations/).
    Row("GET", "/api/v1/integrations/", None, (401, 403, 403, 200, 403, 200)),
    Row("POST", "/api/v1/integrations/", None, (401, 403, 403, 400, 403, 400)),
    Row("GET", "/api/v1/integrations/{id}/", "integration", (401, 403, 403, 200, 403, 200)),
    Row("PUT", "/api/v1/integrations/{id}/", "integration", (401, 403, 403, 400, 403, 400)),
    Row("PATCH", "/api/v1/integrations/{id}/", "integration", (401, 403, 403, 200, 403, 200)),
    Row("POST", "/api/v1/integrations/{id}/reset-token/", "integration", (401, 403, 403, 200, 403, 200)),
    Row("GET", "/api/v1/integrations/{id}/deliveries/", "integration", (401, 403, 403, 200, 403, 200)),
    Row(
        "GET", "/api/v1/integrations/{id}/maintenance-windows/", "integration", (401, 403, 403, 200, 403, 200)
    ),
    Row(
        "POST",
        "/api/v1/integrations/{id}/maintenance-windows/",
        "integration",
        (401, 403, 403, 400, 403, 400),
    ),
    Row("POST", "/api/v1/integrations/{id}/alerts/", "integration", (401,) * 6),
    # On call: everyone signed in reads the schedules; the team's escalation contact (not one of
    # the kinds here) and administrators run them; a swap is answered by its other person only.
    Row("GET", "/api/v1/schedules/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/schedules/", None, (401, 403, 403, 403, 403, 201), lambda w: schedule_body(w)),
    Row("GET", "/api/v1/schedules/{id}/", "schedule", (401, 200, 200, 200, 200, 200)),
    Row(
        "PUT",
        "/api/v1/schedules/{id}/",
        "schedule",
        (401, 403, 403, 403, 403, 200),
        lambda w: schedule_body(w),
    ),
    Row(
        "PATCH",
        "/api/v1/schedules/{id}/",
        "schedule",
        (401, 403, 403, 403, 403, 200),
        lambda w: {"name": "Nights"},
    ),
    Row("DELETE", "/api/v1/schedules/{id}/", "schedule", (401, 403, 403, 403, 403, 204)),
    Row("GET", "/api/v1/schedules/{id}/shifts/", "schedule", (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/schedules/{id}/feed/", "schedule", (401, 403, 403, 403, 403, 200)),
    Row("GET", "/api/v1/schedule-layers/", None, (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/schedule-layers/", None, (401, 403, 403, 403, 403, 201), lambda w: layer_body(w)),
    Row("GET", "/api/v1/schedule-layers/{id}/", "layer", (401, 200, 200, 200, 200, 200)),
    Row(
        "PUT",
        "/api/v1/schedule-layers/{id}/",
        "layer",
        (401, 403, 403, 403, 403, 200),
        lambda w: layer_body(w),
    ),
    Row(
        "PATCH",
        "/api/v1/schedule-layers/{id}/",
        "layer",
        (401, 403, 403, 403, 403, 200),
        lambda w: {"priority": 2},
    ),
    Row("DELETE", "/api/v1/schedule-layers/{id}/", "layer", (401, 403, 403, 403, 403, 204)),
    Row("GET", "/api/v1/schedule-overrides/", None, (401, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        "/api/v1/schedule-overrides/",
        None,
        (401, 403, 403, 403, 403, 201),
        lambda w: {
            "schedule": w["schedule"],
            "person": w["user"],
            "starts_at": "2026-01-05T09:00:00Z",
            "ends_at": "2026-01-05T12:00:00Z",
        },
    ),
    Row("GET", "/api/v1/schedule-overrides/{id}/", "override", (401, 200, 200, 200, 200, 200)),
    Row("DELETE", "/api/v1/schedule-overrides/{id}/", "override", (401, 403, 403, 403, 403, 204)),
    # Proposing a swap of one's own shift: the others have no shift in the layer (400).
    Row("GET", "/api/v1/schedule-swaps/", None, (401, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        "/api/v1/schedule-swaps/",
        None,
        (401, 201, 400, 400, 400, 400),
        lambda w: {
            "layer": w["layer"],
            "partner": w["logistics"],
            "requester_shift_at": "2026-01-03T12:00:00Z",
            "partner_shift_at": "2026-01-04T12:00:00Z",
        },
    ),
    Row("GET", "/api/v1/schedule-swaps/{id}/", "swap", (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/schedule-swaps/{id}/accept/", "swap", (401, 403, 403, 403, 403, 403)),
    Row("POST", "/api/v1/schedule-swaps/{id}/decline/", "swap", (401, 403, 403, 403, 403, 403)),
    Row("POST", "/api/v1/schedule-swaps/{id}/cancel/", "swap", (401, 200, 403, 403, 403, 200)),
    Row("GET", "/api/v1/calendar-days/", None, (401, 200, 200, 200, 200, 200)),
    Row(
        "POST",
        "/api/v1/calendar-days/",
        None,
        (401, 403, 403, 403, 403, 201),
        lambda w: {"date": "2026-10-10", "kind": "working_day", "name": "Make-up day"},
    ),
    Row("DELETE", "/api/v1/calendar-days/{id}/", "calendar_day", (401, 403, 403, 403, 403, 204)),
    Row("GET", "/api/v1/teams/{id}/on-call/", "team", (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/v1/on-call-feed/", None, (401, 201, 201, 201, 201, 201)),
    # Analytics cover every incident: only those who see every incident.
    Row("GET", "/api/v1/analytics/", None, (401, 403, 403, 200, 200, 200)),
]


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {(method.upper(), path) for path, operations in schema["paths"].items() for method in operations}


def api_routes(patterns=None, prefix="") -> list[tuple[str, object]]:
    """Every route of the URL resolver under api/, with its view."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            routes.append((route, pattern.callback))
    return routes


def test_every_endpoint_has_a_row():
    rows = {(row.method, row.path) for row in ROWS}
    assert len(rows) == len(ROWS), "a row is listed twice"
    assert schema_operations() - rows == set(), "endpoints without a row in the permission matrix"
    assert rows - schema_operations() == set(), "rows for endpoints that no longer exist"


def test_every_api_route_is_a_documented_endpoint():
    """A plain Django view under api/v1/ would escape the schema, and with it the matrix."""
    undocumented = [
        route for route, view in api_routes() if not issubclass(getattr(view, "cls", object), APIView)
    ]
    assert undocumented == []


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.path}")
def test_permission_matrix(row, world, api):
    observed = {}
    for kind in KINDS:
        api.credentials()
        if world["users"][kind] is not None:
            api.as_user(world["users"][kind])
        with transaction.atomic():
            response = api.generic(row.method, row.url(world), **request_body(row.body(world)))
            transaction.set_rollback(True)
        observed[kind] = response.status_code
    assert observed == dict(zip(KINDS, row.expected, strict=True))


def request_body(body) -> dict:
    import json

    return {"data": json.dumps(body), "content_type": "application/json"}


def listed(api, path) -> set[int]:
    body = api.get(path).json()
    return {item["id"] for item in body.get("results", body)}


@pytest.mark.parametrize(
    ("path", "sees_both_incidents"),
    [
        ("/api/v1/incidents/", {"insider", "risk_officer", "executive", "admin"}),
        ("/api/v1/tasks/", {"insider", "risk_officer", "executive", "admin"}),
        ("/api/v1/follow-ups/", {"insider", "risk_officer", "executive", "admin"}),
    ],
)
def test_lists_hold_only_the_incidents_a_person_sees(path, sees_both_incidents, world, api):
    """Who is doing what in an incident is not listed to a responder outside its RACI."""
    everything = listed(api.as_user(world["users"]["admin"]), path)
    assert everything, "the world has something to list"
    for kind in KINDS[1:]:
        seen = listed(api.as_user(world["users"][kind]), path)
        assert seen == (everything if kind in sees_both_incidents else set()), kind
