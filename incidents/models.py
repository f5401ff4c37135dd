"""Incidents run from a pinned playbook version: tasks, durable timers, an append-only timeline."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.limits import LimitedTextField
from playbooks.models import RaciRole, party_name

MAX_CLOCK_RATE = 3600


class IncidentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    STABILIZED = "stabilized", _("Stabilized")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Incident(models.Model):
    title = models.CharField(_("title"), max_length=300)
    title_zh = models.CharField(
        _("title in Chinese"),
        max_length=300,
        blank=True,
        help_text=_("Empty: everyone reads the title. A KRI that opens an incident writes both."),
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"), validators=[MinValueValidator(1), MaxValueValidator(4)], help_text=_("1 is the worst.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.ACTIVE
    )
    drill = models.BooleanField(_("drill"), default=False)
    clock_rate = models.PositiveIntegerField(
        _("clock rate"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_CLOCK_RATE)]
    )
    playbook = models.ForeignKey("playbooks.Playbook", on_delete=models.PROTECT, related_name="incidents")
    risks = models.ManyToManyField(
        "risks.Risk", blank=True, related_name="incidents", verbose_name=_("risks")
    )
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commanded_incidents"
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared at"))
    current_tier = models.ForeignKey("playbooks.Tier", on_delete=models.PROTECT, related_name="+")
    tier_started_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_seq = models.PositiveIntegerField(default=0, help_text="Sequence number of the last timeline entry.")
    resolution_summary = LimitedTextField(_("resolution summary"), blank=True)

    class Meta:
        ordering = ["-declared_at"]
        indexes = [models.Index(fields=["status", "-declared_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(clock_rate=1) | Q(drill=True), name="only_drills_run_a_fast_clock"
            ),
        ]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (the active one), where the incident has both."""
        if self.title_zh and (get_language() or "").startswith("zh"):
            return self.title_zh
        return self.title

    def plan_moment(self, at: dt.datetime) -> dt.datetime:
        """The moment of the plan at real time `at`: a drill's clock runs `clock_rate` times faster
        from its declaration, so its on-call schedules are read at plan time."""
        return self.declared_at + (at - self.declared_at) * self.clock_rate

    @property
    def reader_title(self):
        """`shown_title`, worked out when read: a notification is written in each reader's language."""
        return lazy(lambda: self.shown_title, str)()


class TaskState(models.TextChoices):
    PENDING = "pending", _("Pending")
    OPEN = "open", pgettext_lazy("task state", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class Task(models.Model):
    """One step of the playbook, in one incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    step = models.ForeignKey(
        "playbooks.Step",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The playbook step; none for a task added during the incident.",
    )
    tier = models.ForeignKey("playbooks.Tier", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    state = models.CharField(_("state"), max_length=12, choices=TaskState.choices, default=TaskState.PENDING)
    opened_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = LimitedTextField(_("note"), blank=True)
    # Only for a task added during the incident (a playbook task follows its step's).
    escalate_after = models.DurationField(_("escalate after"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["incident_id", "tier__starts_after", "step__order", "pk"]
        indexes = [models.Index(fields=["incident", "state"])]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def escalation_delay(self):
        """Plan time between escalation levels: the step's, or the task's own if added by hand."""
        return self.escalate_after if self.step_id is None else self.step.escalate_after

    @property
    def ad_hoc(self) -> bool:
        return self.step_id is None


class TaskAssignment(models.Model):
    """The RACI of a task: a snapshot of the step's, changed only by reassigning the task. An
    on-call party (`on_call`, with its team) records who was on call when the task opened
    (`on_call_person`; None: nobody was, so the whole team is told), moved on at each hand-off."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=12, choices=RaciRole.choices)
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_call = models.BooleanField(default=False)
    on_call_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["task_id", "role", "pk"]
        indexes = [models.Index(fields=["team"]), models.Index(fields=["user"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(team__isnull=False) & Q(user__isnull=True))
                | (Q(team__isnull=True) & Q(user__isnull=False)),
                name="task_raci_names_a_team_or_a_person",
            ),
            models.CheckConstraint(
                condition=Q(on_call=True, team__isnull=False) | Q(on_call=False, on_call_person__isnull=True),
                name="task_raci_on_call_of_a_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {party_name(self)}"


class TimerKind(models.TextChoices):
    TIER_START = "tier_start", _("Tier starts")
    ESCALATION = "escalation", _("Escalation")
    # Level 1: a status update falls due; level 2: it was missed by another cadence period.
    UPDATE_DUE = "update_due", _("Status update due")


class TimerState(models.TextChoices):
    PENDING = "pending", _("Pending")
    FIRED = "fired", _("Fired")
    CANCELLED = "cancelled", _("Cancelled")


class Timer(models.Model):
    """A deadline. Whoever moves it out of `pending` first (a conditional UPDATE) fires it."""

    kind = models.CharField(max_length=12, choices=TimerKind.choices)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timers")
    tier = models.ForeignKey(
        "playbooks.Tier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="timers")
    level = models.PositiveSmallIntegerField(default=0, help_text="Escalation level, 1 to 3.")
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=TimerState.choices, default=TimerState.PENDING)
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a punctual ETA message was sent."
    )
    fired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["due_at"], condition=Q(state="pending"), name="pending_timers_by_due"),
            models.Index(fields=["task", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M:%S} ({self.state})"


class TimelineEntry(models.Model):
    """Append-only record of everything that happened in an incident, numbered per incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    type = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["incident_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["incident", "seq"], name="unique_timeline_seq")]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.type}"


class IncidentRole(models.TextChoices):
    COMMANDER = "commander", _("Commander")
    COMMUNICATIONS = "communications", _("Communications lead")
    SCRIBE = "scribe", _("Scribe")


class RoleHolding(models.Model):
    """Who held an incident role, from when until when: handing over ends one row and starts another."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="role_holdings")
    role = models.CharField(_("role"), max_length=16, choices=IncidentRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("since"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = LimitedTextField(_("reason"), blank=True)

    class Meta:
        ordering = ["incident_id", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "role"], condition=Q(ended_at=None), name="one_holder_per_incident_role"
            ),
        ]
        verbose_name = _("incident role")
        verbose_name_plural = _("incident roles")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user}"


class UpdateCadence(models.Model):
    """How often the commander owes a status update, per severity; a severity with no row uses
    `cadence.DEFAULT_CADENCE`. Edited by administrators."""

    severity = models.PositiveSmallIntegerField(
        _("severity"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    interval = models.DurationField(
        _("interval"), null=True, blank=True, help_text=_("Empty: no status updates are expected.")
    )

    class Meta:
        ordering = ["severity"]
        verbose_name = _("status update cadence")
        verbose_name_plural = _("status update cadences")

    def __str__(self) -> str:
        return f"SEV{self.severity}: {self.interval or '—'}"
