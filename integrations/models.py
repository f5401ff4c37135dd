"""Integrations: inbound endpoints that monitoring systems and scripts post to, each with its own
secret, what it feeds (a KRI or incidents), its deliveries, its alert groups and maintenance windows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from integrations.words import words_read


class Kind(models.TextChoices):
    ALERTMANAGER = "alertmanager", _("Prometheus Alertmanager")
    GRAFANA = "grafana", _("Grafana alerting")
    GENERIC_JSON = "generic_json", _("Generic JSON")
    HEARTBEAT = "heartbeat", _("Heartbeat")


# Kinds whose payload is a group of alerts, each firing or resolved, with a fingerprint.
ALERT_KINDS = {Kind.ALERTMANAGER, Kind.GRAFANA}


class Target(models.TextChoices):
    KRI = "kri", _("A key risk indicator")
    INCIDENT = "incident", _("Incidents")


class Integration(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    target = models.CharField(_("feeds"), max_length=16, choices=Target.choices)
    active = models.BooleanField(_("active"), default=True)
    # The secret: only its SHA-256 is kept; the token itself is shown once, when made or reset.
    token_hash = models.CharField(max_length=64, editable=False)
    token_hint = models.CharField(_("token ends with"), max_length=8, editable=False)
    kri = models.ForeignKey(
        "indicators.KRI",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("key risk indicator"),
    )
    playbook = models.ForeignKey(
        "playbooks.Playbook",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("playbook"),
        help_text=_("Incidents run its current published version."),
    )
    severity = models.PositiveSmallIntegerField(_("severity"), default=2, help_text=_("1 is the worst."))
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("incident commander"),
    )
    risks = models.ManyToManyField("risks.Risk", blank=True, related_name="+", verbose_name=_("risks"))
    group_by = models.CharField(
        _("group by label"),
        max_length=100,
        blank=True,
        help_text=_(
            "Empty: the sender's own group. Otherwise alerts sharing this label's value are one group."
        ),
    )
    alert_task_title = models.CharField(
        _("task completed when the alerts resolve"),
        max_length=300,
        blank=True,
        help_text=_("The title of a task in the playbook; empty: a resolved alert is only recorded."),
    )
    value_path = models.CharField(_("value selector"), max_length=200, blank=True)
    time_path = models.CharField(_("time selector"), max_length=200, blank=True)
    key_path = models.CharField(_("deduplication key selector"), max_length=200, blank=True)
    ping_every = models.DurationField(_("expected ping every"), null=True, blank=True)
    last_ping_at = models.DateTimeField(_("last ping"), null=True, blank=True, editable=False)
    missed_pings_recorded = models.PositiveIntegerField(default=0, editable=False)
    refused_count = models.PositiveIntegerField(_("refused for a wrong secret"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return self.name


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("delivery", "Accepted")  # a risk's acceptance is another word
    DUPLICATE = "duplicate", _("Duplicate delivery")
    HELD = "held", _("Held: maintenance window")
    REJECTED = "rejected", _("Rejected")
    MISSED = "missed", _("Ping missed")


class Delivery(models.Model):
    """One request to an integration (a wrong secret is only counted), or a heartbeat's missed ping."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="deliveries")
    received_at = models.DateTimeField(_("received at"))
    outcome = models.CharField(pgettext_lazy("delivery", "outcome"), max_length=12, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(_("answer"))
    # Why it was refused or held: [[message id, values], ...] (integrations.words), read in the
    # reader's language.
    why = models.JSONField(default=list, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True)
    alerts = models.PositiveIntegerField(_("alerts"), default=0)
    firing = models.PositiveIntegerField(_("firing"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("incident"),
    )
    opened_incident = models.BooleanField(default=False)
    value = models.FloatField(_("value"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["integration", "-received_at"]),
            models.Index(fields=["integration", "idempotency_key"]),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.integration_id} {self.outcome} @ {self.received_at:%Y-%m-%d %H:%M:%S}"

    @property
    def reason(self) -> str:
        return words_read(self.why)


class GroupState(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert group state", "Open")
    CLOSED = "closed", pgettext_lazy("alert group state", "Closed")


class AlertGroup(models.Model):
    """The alerts of one group (the sender's group key, or a configured label or key) and the
    incident they opened. While it is open, the group's alerts add to that incident's timeline."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="groups")
    key = models.CharField(max_length=500)
    state = models.CharField(max_length=8, choices=GroupState.choices, default=GroupState.OPEN)
    incident = models.ForeignKey("incidents.Incident", null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    last_alert_at = models.DateTimeField()
    # Fingerprints of the alerts firing now.
    firing = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "key"], condition=Q(state="open"), name="one_open_alert_group_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.integration_id}: {self.key}"


class MaintenanceWindow(models.Model):
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="maintenance_windows")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("maintenance window")
        verbose_name_plural = _("maintenance windows")

    def __str__(self) -> str:
        return f"{self.integration_id}: {self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"
