"""The risk register: the versioned matrix, categories, risks, their history, reviews and actions."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.limits import MAX_DURATION, LimitedTextField
from notifications.wording import LocalTime


def in_current_language(english: str, chinese: str) -> str:
    return chinese if (get_language() or "en").startswith("zh") and chinese else english


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


class RiskMatrix(models.Model):
    """One version of the organisation's matrix. The newest version is the active one; versions
    are never edited, so every score keeps meaning what it meant when it was made.

    `likelihood` and `impact` are scales `[{"value", "label_en", "label_zh"}]`; `levels` is
    `[{"key", "label_en", "label_zh", "color", "review_interval_days"}]`; `grid[l - 1][i - 1]`
    is the level key of likelihood l and impact i.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    likelihood = models.JSONField(_("likelihood scale"))
    impact = models.JSONField(_("impact scale"))
    levels = models.JSONField(_("levels"))
    grid = models.JSONField(_("grid"))
    appetite = models.CharField(
        _("appetite"),
        max_length=10,
        choices=Level.choices,
        help_text=_("The highest residual level the organisation accepts."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrix versions")

    def __str__(self) -> str:
        return _("Risk matrix v%(version)s") % {"version": self.version}

    def level_of(self, likelihood: int, impact: int) -> str:
        return self.grid[likelihood - 1][impact - 1]

    def level(self, key: str) -> dict:
        return next(level for level in self.levels if level["key"] == key)

    def review_interval(self, key: str) -> dt.timedelta:
        return dt.timedelta(days=self.level(key)["review_interval_days"])

    def above_appetite(self, level_key: str) -> bool:
        return LEVEL_RANK[level_key] > LEVEL_RANK[self.appetite]


class Category(models.Model):
    key = models.SlugField(_("key"), unique=True)
    label_en = models.CharField(_("label (English)"), max_length=100)
    label_zh = models.CharField(_("label (Chinese)"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # The category's own appetite, overriding the matrix's; and, optionally, its tolerance as a score.
    appetite = models.CharField(
        _("appetite"),
        max_length=10,
        choices=Level.choices,
        blank=True,
        help_text=_("The highest residual level accepted in this category. Empty: the matrix's appetite."),
    )
    appetite_score = models.PositiveSmallIntegerField(
        _("highest residual score accepted"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Optional: a risk whose residual likelihood × impact is above it is outside appetite."),
    )

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("risk category")
        verbose_name_plural = _("risk categories")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_current_language(self.label_en, self.label_zh)


class Source(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class Treatment(models.TextChoices):
    AVOID = "avoid", _("Avoid")
    TRANSFER = "transfer", _("Transfer")
    MITIGATE = "mitigate", _("Mitigate")
    ACCEPT = "accept", _("Accept")


class RiskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("risk status", "Open")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class RefCounter(models.Model):
    """The last reference number handed out; one row, incremented under a row lock."""

    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"R-{self.last:04d}"


class Risk(models.Model):
    number = models.PositiveIntegerField(unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    cause = LimitedTextField(_("cause"), blank=True)
    event = LimitedTextField(_("event"), blank=True)
    consequence = LimitedTextField(_("consequence"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="risks", verbose_name=_("category")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.INTERNAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks", verbose_name=_("owner")
    )
    matrix = models.ForeignKey(
        RiskMatrix, on_delete=models.PROTECT, related_name="+", verbose_name=_("matrix version")
    )
    # All empty until someone rates the risk: a new risk is "not rated", never a default 1 × 1.
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), null=True, blank=True)
    impact = models.PositiveSmallIntegerField(_("impact"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), null=True, blank=True)
    residual_level = models.CharField(_("residual level"), max_length=10, choices=Level.choices, blank=True)
    target_likelihood = models.PositiveSmallIntegerField(_("target likelihood"), null=True, blank=True)
    target_impact = models.PositiveSmallIntegerField(_("target impact"), null=True, blank=True)
    target_level = models.CharField(_("target level"), max_length=10, choices=Level.choices, blank=True)
    above_appetite = models.BooleanField(_("above appetite"), default=False)
    treatment = models.CharField(
        _("treatment"), max_length=10, choices=Treatment.choices, default=Treatment.MITIGATE
    )
    # Set when an acceptance lapsed: the treatment is to be decided again (a new treatment, or a new
    # approved acceptance, clears it).
    treatment_reopened_at = models.DateTimeField(_("treatment to be decided since"), null=True, blank=True)
    playbook = models.ForeignKey(
        "playbooks.Playbook",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("playbook"),
        help_text=_("Any version: an incident runs the current published version of its plan."),
    )
    review_interval_days = models.PositiveIntegerField(
        _("review interval (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION.days)],
        help_text=_("Empty: the interval of the level."),
    )
    next_review_at = models.DateTimeField(_("next review"), db_index=True)
    review_reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        indexes = [
            models.Index(fields=["status", "level"]),
            # A heat-map cell's risks in the order of their references: its first few read at once.
            models.Index(fields=["status", "likelihood", "impact", "number"]),
            models.Index(fields=["status", "residual_likelihood", "residual_impact", "number"]),
        ]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"R-{self.number:04d}"

    @property
    def description(self) -> str:
        return " → ".join(part for part in (self.cause, self.event, self.consequence) if part)

    @property
    def rated(self) -> bool:
        """False for a risk nobody has rated yet (no inherent likelihood and impact)."""
        return self.likelihood is not None and self.impact is not None

    @property
    def score(self) -> int | None:
        return self.likelihood * self.impact if self.rated else None

    @property
    def residual_score(self) -> int | None:
        if self.residual_likelihood is None or self.residual_impact is None:
            return None
        return self.residual_likelihood * self.residual_impact

    @property
    def target_score(self) -> int | None:
        if self.target_likelihood is None or self.target_impact is None:
            return None
        return self.target_likelihood * self.target_impact

    def review_overdue(self, now: dt.datetime | None = None) -> bool:
        return self.status == RiskStatus.OPEN and self.next_review_at < (now or timezone.now())


class ChangeSource(models.TextChoices):
    """Where a change of ratings came from; the history links to it."""

    IDENTIFIED = "identified", _("Identified")
    PAGE = "page", _("Edited on the risk's page")
    API = "api", _("Changed through the API")
    IMPORT = "import", _("Import")
    RISK_REVIEW = "risk_review", _("Periodic review")
    INCIDENT_REVIEW = "incident_review", _("Post-incident review")
    RESCORE = "rescore", _("Moved onto a new matrix version")
    OTHER = "other", _("Other")


class ScoreChange(models.Model):
    """One change of a risk's ratings: who, when, why (as written), from what to what, and where it
    came from (which review, which incident, which import). Append-only."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="score_changes")
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    reason = LimitedTextField(_("reason"), blank=True)
    incident_id = models.PositiveIntegerField(_("incident"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=ChangeSource.choices, default=ChangeSource.OTHER
    )
    review = models.ForeignKey(
        "RiskReview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="score_changes",
        verbose_name=_("review"),
    )
    import_job = models.ForeignKey(
        "ImportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="score_changes",
        verbose_name=_("import"),
    )
    before = models.JSONField(_("from"))
    after = models.JSONField(_("to"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")

    def __str__(self) -> str:
        return f"{self.risk_id} @ {self.at:%Y-%m-%d %H:%M}: {self.reason}"


class ReviewOutcome(models.TextChoices):
    UNCHANGED = "unchanged", _("No change")
    RERATED = "rerated", _("Ratings changed")
    ESCALATED = "escalated", _("Escalated")


class LookedAt(models.TextChoices):
    """What a periodic review looked at."""

    DESCRIPTION = "description", _("Cause, event and consequence")
    RATINGS = "ratings", _("Ratings")
    ACTIONS = "actions", _("Treatment actions")
    INDICATORS = "indicators", _("Key risk indicators")
    INCIDENTS = "incidents", _("Incidents")


class RiskReview(models.Model):
    """A risk officer's periodic review of one risk (post-incident reviews are reviews.Review):
    who, what they looked at, their note and the outcome. An empty review is refused."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_at = models.DateTimeField(_("reviewed at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    looked_at = models.JSONField(_("looked at"), default=list, blank=True)
    notes = LimitedTextField(_("notes"), blank=True)
    next_review_at = models.DateTimeField(_("next review"))

    class Meta:
        db_table = "risks_review"
        ordering = ["-reviewed_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.risk_id} @ {self.reviewed_at:%Y-%m-%d}: {self.outcome}"

    def looked_at_labels(self) -> list[str]:
        return [str(LookedAt(key).label) for key in self.looked_at if key in LookedAt.values]


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("treatment action status", "Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TreatmentAction(models.Model):
    """A piece of treatment work with an owner and a due time; overdue → the owner is told once."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("treatment action")
        verbose_name_plural = _("treatment actions")

    def __str__(self) -> str:
        return self.title

    def overdue(self, now: dt.datetime | None = None) -> bool:
        return self.status == ActionStatus.OPEN and self.due_at < (now or timezone.now())


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """An import of a CSV or XLSX file, with its progress and its report."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    changes = models.JSONField(default=list)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"


class AcceptanceState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Accepted")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")


LIVE_ACCEPTANCE = [AcceptanceState.REQUESTED, AcceptanceState.APPROVED]


class LapseCause(models.TextChoices):
    EXPIRED = "expired", _("It expired")
    KRI_RED = "kri_red", _("A key risk indicator went red")
    INCIDENT = "incident", _("An incident was declared")


class Acceptance(models.Model):
    """A request to accept a risk as it is, and what became of it: approved by someone with the
    authority (never the asker) until an expiry, or declined; an approved acceptance lapses on its
    own when it expires, when a KRI of the risk goes red or when an incident is declared for it."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="acceptances")
    state = models.CharField(
        _("state"), max_length=10, choices=AcceptanceState.choices, default=AcceptanceState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked at"))
    justification = LimitedTextField(_("justification"))
    conditions = LimitedTextField(_("conditions"), blank=True)
    expires_at = models.DateTimeField(_("expires"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = LimitedTextField(_("note of the decision"), blank=True)
    lapsed_at = models.DateTimeField(_("lapsed at"), null=True, blank=True)
    lapse_cause = models.CharField(_("lapsed because"), max_length=10, choices=LapseCause.choices, blank=True)
    # What made it lapse: {"kri", "name", "value", "unit"} or {"incident", "title"}.
    lapse_detail = models.JSONField(_("lapse detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk"],
                condition=models.Q(state__in=LIVE_ACCEPTANCE),
                name="risks_one_live_acceptance_per_risk",
            )
        ]
        indexes = [models.Index(fields=["state", "expires_at"])]
        verbose_name = _("risk acceptance")
        verbose_name_plural = _("risk acceptances")

    def __str__(self) -> str:
        return f"{self.risk_id}: {self.state} until {self.expires_at:%Y-%m-%d}"

    @property
    def decision(self):
        """What was decided: approved (it may have lapsed since), declined, or nothing yet."""
        if self.decided_at is None:
            return AcceptanceState.REQUESTED.label
        return AcceptanceState.DECLINED.label if self.state == AcceptanceState.DECLINED else _("Approved")

    @property
    def lapse_reason(self):
        """Why it lapsed, in the reader's language when read (a notification is written per reader)."""
        detail = self.lapse_detail
        if self.lapse_cause == LapseCause.KRI_RED:
            name = lazy(lambda: in_current_language(detail["name"], detail.get("name_zh", "")), str)()
            return format_lazy(
                _("{name} went red: {value} {unit}."),
                name=name,
                value=f"{detail['value']:g}",
                unit=detail["unit"],
            )
        if self.lapse_cause == LapseCause.INCIDENT:
            title = lazy(lambda: in_current_language(detail["title"], detail.get("title_zh", "")), str)()
            return format_lazy(
                _("Incident #{number} {title} was declared."), number=detail["incident"], title=title
            )
        if self.lapse_cause == LapseCause.EXPIRED:
            return format_lazy(_("It expired on {expires}."), expires=LocalTime(self.expires_at))
        return ""
