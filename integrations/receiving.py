"""What a delivery does. A sender posts to its integration: a wrong secret is refused (401) and only
counted; an oversized body (413) and a payload that is not what the kind sends (400) are refused
and logged with why. Otherwise, with the integration's row locked so that its deliveries are taken
one after the other: a delivery seen before (the sender's Idempotency-Key, the deduplication keys
of generic JSON, or else the same body within IDEMPOTENCY_WINDOW) is logged as a duplicate and does
nothing; one inside a maintenance window is
logged, not acted on; any other feeds the KRI through indicators.services (a breach acts once) or
the alert groups: a group's first firing alert declares an incident from the playbook, the next
ones add to its timeline while it is live, and a group all resolved is recorded (and completes
the configured task), never resolving the incident itself."""

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from incidents import happenings
from incidents.models import Incident, Task, TaskState
from incidents.services import incident_declare, incident_lock, task_complete, timeline_append
from incidents.transitions import LIVE_STATUSES
from indicators.services import ReadingInput, ReadingsRejected, readings_record
from integrations.models import (
    AlertGroup,
    Delivery,
    GroupState,
    Integration,
    Kind,
    MaintenanceWindow,
    Outcome,
    Target,
)
from integrations.payloads import Alert, Malformed, Payload, payload_read
from integrations.services import token_matches
from integrations.words import Words
from playbooks.selectors import playbook_current_published

# The largest body a sender may post (a 1,000-alert group from Alertmanager is about 800 KB).
MAX_BODY_BYTES = 2 * 1024 * 1024
# The same body posted again within this time is a sender's retry, not news.
IDEMPOTENCY_WINDOW = dt.timedelta(minutes=10)
BODY_HASH = "sha256:"
# What a timeline entry names of a delivery's new alerts, at most.
NAMED_ALERTS = 5


@dataclass
class Receipt:
    """The answer to the sender: an HTTP status and its JSON body."""

    status: int
    body: dict = field(default_factory=dict)


def _refused(integration_id: int) -> Receipt:
    Integration.objects.filter(pk=integration_id).update(refused_count=F("refused_count") + 1)
    return Receipt(401, {"detail": _("Unknown integration or wrong token.")})


def _answer(
    integration: Integration,
    now: dt.datetime,
    *,
    status: int,
    outcome: str,
    why: Sequence[Words] = (),
    **fields,
) -> Receipt:
    """Logs the delivery and answers the sender: what became of it, the incident it acted on, and
    why it was refused or held."""
    delivery = Delivery.objects.create(
        integration=integration,
        received_at=now,
        outcome=outcome,
        http_status=status,
        why=[words.as_json() for words in why],
        **fields,
    )
    body = {"delivery": delivery.pk, "outcome": outcome, "incident": delivery.incident_id}
    if why:
        body["detail"] = "; ".join(str(words) for words in why)
    return Receipt(status, body)


def delivery_receive(
    *, integration_id: int, token: str, body: bytes, sender_id: str = "", now: dt.datetime | None = None
) -> Receipt:
    now = now or timezone.now()
    integration = Integration.objects.filter(pk=integration_id, active=True).first()
    if integration is None or not token_matches(integration=integration, token=token):
        return _refused(integration_id)
    if len(body) > MAX_BODY_BYTES:
        reason = Words(
            gettext_noop("The body has %(size)d bytes; at most %(max)d are accepted."),
            size=len(body),
            max=MAX_BODY_BYTES,
        )
        return _answer(integration, now, status=413, outcome=Outcome.REJECTED, why=[reason])
    try:
        payload = payload_read(integration=integration, body=body)
    except Malformed as error:
        receipt = _answer(integration, now, status=400, outcome=Outcome.REJECTED, why=error.errors)
        receipt.body["errors"] = [str(words) for words in error.errors]
        return receipt
    return _take(integration_id=integration.pk, payload=payload, key=_key(sender_id, payload, body), now=now)


def _key(sender_id: str, payload: Payload, body: bytes) -> str:
    """What names the delivery: the sender's id, else the deduplication keys its values carry
    (generic JSON), else the body's hash (then only within IDEMPOTENCY_WINDOW)."""
    if sender_id:
        return f"id:{sender_id[:77]}"
    if payload.values and all(value.key for value in payload.values):
        keys = "\n".join(value.key for value in payload.values)
        return f"key:{hashlib.sha256(keys.encode()).hexdigest()}"
    return f"{BODY_HASH}{hashlib.sha256(body).hexdigest()}"


def _seen_before(integration: Integration, key: str, now: dt.datetime) -> Delivery | None:
    keyed = not key.startswith(BODY_HASH)
    if integration.kind == Kind.HEARTBEAT and not keyed:
        return None  # every ping has the same empty body: each is news
    earlier = integration.deliveries.filter(
        idempotency_key=key, outcome__in=[Outcome.ACCEPTED, Outcome.HELD]
    ).order_by("-received_at")
    if not keyed:
        earlier = earlier.filter(received_at__gte=now - IDEMPOTENCY_WINDOW)
    return earlier.first()


def maintenance_now(*, integration: Integration, now: dt.datetime) -> MaintenanceWindow | None:
    return integration.maintenance_windows.filter(starts_at__lte=now, ends_at__gt=now).first()


@transaction.atomic
def _take(*, integration_id: int, payload: Payload, key: str, now: dt.datetime) -> Receipt:
    integration = (
        Integration.objects.select_for_update(of=("self",))
        .select_related("kri", "commander")
        .get(pk=integration_id)
    )
    counts = {
        "alerts": len(payload.alerts),
        "firing": payload.firing,
        "resolved": len(payload.alerts) - payload.firing,
        "idempotency_key": key,
    }
    earlier = _seen_before(integration, key, now)
    if earlier is not None:
        return _answer(
            integration,
            now,
            status=200,
            outcome=Outcome.DUPLICATE,
            why=[Words(gettext_noop("The same delivery was taken before: nothing was done again."))],
            incident_id=earlier.incident_id,
            **{**counts, "idempotency_key": ""},
        )
    if integration.kind == Kind.HEARTBEAT:
        Integration.objects.filter(pk=integration.pk).update(last_ping_at=now, missed_pings_recorded=0)
    window = maintenance_now(integration=integration, now=now)
    if window is not None:
        why = [Words(gettext_noop("Maintenance window: %(reason)s"), reason=window.reason)]
        return _answer(integration, now, status=202, outcome=Outcome.HELD, why=why, **counts)
    if integration.target == Target.KRI:
        return _feed_kri(integration, payload, counts, now)
    try:
        with transaction.atomic():
            incident, opened = _feed_incidents(integration, payload, now)
    except CannotOpen as refusal:
        why = [refusal.words]
        return _answer(integration, now, status=409, outcome=Outcome.REJECTED, why=why, **counts)
    return _answer(
        integration,
        now,
        status=200,
        outcome=Outcome.ACCEPTED,
        incident=incident,
        opened_incident=opened,
        **counts,
    )


# A KRI ----------------------------------------------------------------------------------------


def _readings(integration: Integration, payload: Payload, now: dt.datetime) -> list[ReadingInput]:
    if integration.kind == Kind.HEARTBEAT:
        return [ReadingInput(kri=integration.kri, value=0, measured_at=now)]
    if integration.kind == Kind.GENERIC_JSON:
        return [
            ReadingInput(kri=integration.kri, value=value.value, measured_at=value.measured_at or now)
            for value in payload.values
        ]
    # An alert group: the reading is how many of its alerts fire.
    return [ReadingInput(kri=integration.kri, value=payload.firing, measured_at=now)]


def _feed_kri(integration: Integration, payload: Payload, counts: dict, now: dt.datetime) -> Receipt:
    entries = _readings(integration, payload, now)
    try:
        results = readings_record(entries=entries, by=None, now=now)
    except ReadingsRejected as rejected:
        why = [
            Words(
                gettext_noop("reading %(n)d: %(errors)s"),
                n=index + 1,
                errors=" ".join(message for messages in errors.values() for message in messages),
            )
            for index, errors in sorted(rejected.errors.items())
        ]
        return _answer(
            integration,
            now,
            status=400,
            outcome=Outcome.REJECTED,
            why=why,
            **{**counts, "idempotency_key": ""},
        )
    breaches = [
        (result.breach, entry) for result, entry in zip(results, entries, strict=True) if result.breach
    ]
    incident = next((breach.incident for breach, _entry in breaches if breach.incident_id), None)
    receipt = _answer(
        integration,
        now,
        status=200,
        outcome=Outcome.ACCEPTED,
        value=entries[-1].value,
        incident=incident,
        # The red action is taken by the reading that turned the breach red.
        opened_incident=any(b.incident_id and b.red_at == entry.measured_at for b, entry in breaches),
        **counts,
    )
    receipt.body["band"] = results[-1].reading.band
    return receipt


# Incidents ------------------------------------------------------------------------------------


def _open_group(integration: Integration, key: str, now: dt.datetime) -> AlertGroup | None:
    """The group's open row, locked; a group whose incident is no longer live is closed first, so
    that its next firing alert opens a new incident."""
    group = (
        AlertGroup.objects.select_for_update(of=("self",))
        .select_related("incident")
        .filter(integration=integration, key=key, state=GroupState.OPEN)
        .first()
    )
    if group is not None and (group.incident is None or group.incident.status not in LIVE_STATUSES):
        group.state, group.closed_at = GroupState.CLOSED, now
        group.save(update_fields=["state", "closed_at"])
        return None
    return group


def _feed_incidents(
    integration: Integration, payload: Payload, now: dt.datetime
) -> tuple[Incident | None, bool]:
    """Each group of the delivery, in the order first seen. Returns the (first) incident acted on,
    and whether this delivery opened it."""
    groups: dict[str, list[Alert]] = {}
    for alert in payload.alerts:
        groups.setdefault(alert.group, []).append(alert)
    first, opened = None, False
    for key, alerts in groups.items():
        incident, new = _feed_group(integration, key[:500], alerts, now)
        if first is None and incident is not None:
            first, opened = incident, new
    return first, opened


def _feed_group(integration: Integration, key: str, alerts: list[Alert], now: dt.datetime) -> tuple:
    firing = {alert.fingerprint: alert for alert in alerts if alert.firing}
    resolved = {alert.fingerprint for alert in alerts if not alert.firing}
    group = _open_group(integration, key, now)
    if group is None:
        if not firing:
            return None, False  # resolved with nothing open: recorded in the delivery log only
        incident = _declare(integration, list(firing.values()), key, now)
        AlertGroup.objects.create(
            integration=integration,
            key=key,
            incident=incident,
            opened_at=now,
            last_alert_at=now,
            firing=sorted(firing),
        )
        return incident, True
    was_firing = set(group.firing)
    new = [alert.name for fingerprint, alert in firing.items() if fingerprint not in was_firing]
    still = (was_firing | set(firing)) - resolved
    incident = incident_lock(group.incident_id)
    timeline_append(
        incident=incident,
        type=happenings.ALERT_RECEIVED.timeline,
        at=now,
        data={
            "integration": integration.pk,
            "name": integration.name,
            "firing": len(firing),
            "resolved": len(resolved),
            "new": new[:NAMED_ALERTS],
            "new_count": len(new),
        },
    )
    if was_firing and not still:
        _all_resolved(integration, incident, now)
    group.firing, group.last_alert_at = sorted(still), now
    group.save(update_fields=["firing", "last_alert_at"])
    return incident, False


class CannotOpen(Exception):
    """The integration's settings no longer allow an incident (its playbook retired, its
    commander gone): the delivery is refused with why, and nothing of it is kept but the log."""

    def __init__(self, words: Words):
        super().__init__(str(words))
        self.words = words


def _declare(integration: Integration, firing: list[Alert], key: str, now: dt.datetime) -> Incident:
    playbook = playbook_current_published(lineage=integration.playbook.lineage)
    if playbook is None:
        raise CannotOpen(
            Words(gettext_noop("No incident was opened: the playbook has no published version."))
        )
    if not integration.commander.is_active:
        raise CannotOpen(Words(gettext_noop("No incident was opened: the commander is no longer active.")))
    title = f"{integration.name}: {firing[0].name}"
    return incident_declare(
        title=title[:300],
        severity=integration.severity,
        playbook_id=playbook.pk,
        commander=integration.commander,
        declared_by=None,
        declared_for={
            "integration": integration.pk,
            "name": integration.name,
            "alert": firing[0].name,
            "firing": len(firing),
            "group": key,
        },
        risks=list(integration.risks.all()),
        now=now,
    )


def _all_resolved(integration: Integration, incident: Incident, now: dt.datetime) -> None:
    """Every alert of the group resolved: recorded; the configured task completed. The incident
    itself stays as it is: its commander resolves it."""
    timeline_append(
        incident=incident,
        type=happenings.ALERTS_RESOLVED.timeline,
        at=now,
        data={"integration": integration.pk, "name": integration.name},
    )
    if not integration.alert_task_title:
        return
    task = (
        Task.objects.filter(incident=incident, title=integration.alert_task_title)
        .filter(Q(state=TaskState.OPEN) | Q(state=TaskState.ACKNOWLEDGED))
        .order_by("pk")
        .first()
    )
    if task is not None:
        task_complete(
            task_id=task.pk,
            by=None,
            note=_("Every alert from %(name)s resolved.") % {"name": integration.name},
            now=now,
        )
