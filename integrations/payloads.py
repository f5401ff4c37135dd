"""What each kind of sender posts, read as its sender documents it: Alertmanager's webhook
(version 4), Grafana alerting's webhook (an Alertmanager-like group with Grafana's extras), any
JSON with selectors, and a heartbeat's ping. A payload that is not what its kind sends is
Malformed, with what was wrong."""

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_noop

from core.limits import TooComplex, check_shape
from integrations.models import Integration, Kind, Target
from integrations.paths import NotFound, path_read, path_steps
from integrations.words import Words

# The most items a generic JSON delivery may carry.
MAX_ITEMS = 1000


class Malformed(ValueError):
    """The payload is not what the integration's kind sends: `errors` say what was wrong."""

    def __init__(self, errors: list[Words]):
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(str(error) for error in self.errors)


@dataclass(frozen=True)
class Alert:
    fingerprint: str
    group: str
    firing: bool
    name: str  # what a person reads: the alert's name and summary


@dataclass(frozen=True)
class Value:
    value: float
    measured_at: dt.datetime | None
    key: str


@dataclass(frozen=True)
class Payload:
    alerts: list[Alert]
    values: list[Value]

    @property
    def firing(self) -> int:
        return sum(1 for alert in self.alerts if alert.firing)


def payload_read(*, integration: Integration, body: bytes) -> Payload:
    if integration.kind == Kind.HEARTBEAT:
        return Payload(alerts=[], values=[])
    try:
        data = json.loads(body)
        check_shape(data)
    except (ValueError, TooComplex) as error:
        raise Malformed([Words(gettext_noop("The body is not JSON: %(error)s"), error=str(error))]) from None
    if integration.kind == Kind.GENERIC_JSON:
        return _generic(integration, data)
    return Payload(alerts=_alert_group(integration, data), values=[])


def _alert_group(integration: Integration, data) -> list[Alert]:
    """Alertmanager's and Grafana's webhook: a group of alerts, each firing or resolved."""
    if not isinstance(data, dict):
        raise Malformed(
            [Words(gettext_noop("Expected a JSON object with “alerts”, as the sender posts it."))]
        )
    errors = []
    alerts = data.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        errors.append(Words(gettext_noop("“alerts” must be a list of at least one alert.")))
    group_key = data.get("groupKey")
    if not isinstance(group_key, str):
        errors.append(Words(gettext_noop("“groupKey” must be text.")))
    if errors:
        raise Malformed(errors)
    read = []
    for index, alert in enumerate(alerts):
        if not isinstance(alert, dict):
            errors.append(Words(gettext_noop("alert %(n)d: expected an object."), n=index + 1))
            continue
        status = alert.get("status")
        labels = alert.get("labels")
        if status not in {"firing", "resolved"}:
            errors.append(
                Words(gettext_noop("alert %(n)d: “status” must be firing or resolved."), n=index + 1)
            )
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            errors.append(
                Words(gettext_noop("alert %(n)d: “labels” must be an object of texts."), n=index + 1)
            )
            continue
        annotations = alert.get("annotations") if isinstance(alert.get("annotations"), dict) else {}
        fingerprint = alert.get("fingerprint")
        if not isinstance(fingerprint, str) or not fingerprint:
            # Older senders leave it out: the alert is its labels, as Alertmanager itself defines it.
            fingerprint = hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16]
        group = labels.get(integration.group_by, "") if integration.group_by else group_key
        name = " — ".join(str(part) for part in (labels.get("alertname"), annotations.get("summary")) if part)
        read.append(
            Alert(fingerprint=fingerprint, group=group, firing=status == "firing", name=name or fingerprint)
        )
    if errors:
        raise Malformed(errors)
    return read


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _instant(value) -> dt.datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            moment = parse_datetime(value)
        except ValueError:
            return None
        if moment is not None and moment.tzinfo is not None:
            return moment
    return None


def _generic(integration: Integration, data) -> Payload:
    """Any JSON: one object or a list of them, each read with the integration's selectors."""
    items = data if isinstance(data, list) else [data]
    if not items or len(items) > MAX_ITEMS:
        raise Malformed(
            [Words(gettext_noop("Send one object or a list of 1 to %(max)d objects."), max=MAX_ITEMS)]
        )
    value_steps = path_steps(integration.value_path) if integration.value_path else None
    time_steps = path_steps(integration.time_path) if integration.time_path else None
    key_steps = path_steps(integration.key_path) if integration.key_path else None
    errors, values, alerts = [], [], []
    for index, item in enumerate(items):
        n = index + 1
        value = measured_at = None
        key = ""
        try:
            if value_steps is not None:
                value = _number(path_read(item, value_steps))
                if value is None:
                    errors.append(
                        Words(
                            gettext_noop("item %(n)d: %(path)s is not a number."),
                            n=n,
                            path=integration.value_path,
                        )
                    )
            if time_steps is not None:
                measured_at = _instant(path_read(item, time_steps))
                if measured_at is None:
                    errors.append(
                        Words(
                            gettext_noop(
                                "item %(n)d: %(path)s is not a time (ISO 8601 with offset, or seconds)."
                            ),
                            n=n,
                            path=integration.time_path,
                        )
                    )
            if key_steps is not None:
                key = str(path_read(item, key_steps))[:200]
        except NotFound as missing:
            errors.append(
                Words(gettext_noop("item %(n)d: it has no “%(step)s”."), n=n, step=str(missing.args[0]))
            )
            continue
        values.append(Value(value=value, measured_at=measured_at, key=key))
        digest = hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:16]
        shown = key or (f"{value:g}" if value is not None else integration.name)
        alerts.append(Alert(fingerprint=key or digest, group=key, firing=True, name=shown))
    if errors:
        raise Malformed(errors)
    if integration.target == Target.KRI:
        return Payload(alerts=[], values=values)
    return Payload(alerts=alerts, values=values)
