"""Post-incident reviews (复盘): what happened, why, what changes, and who follows up by when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.limits import LimitedTextField

MAX_WHYS = 5


class ReviewStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("review status", "Open")
    COMPLETED = "completed", _("Completed")
    WAIVED = "waived", _("Waived")


class Review(models.Model):
    """Opened when its incident is resolved; the incident closes once it is completed (or waived)."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE, related_name="review")
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    summary = LimitedTextField(_("summary"), blank=True)
    root_cause = LimitedTextField(_("root cause"), blank=True)
    whys = models.JSONField(_("five whys"), default=list, blank=True)
    what_worked = LimitedTextField(_("what worked"), blank=True)
    what_did_not = LimitedTextField(_("what did not work"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    waiver_reason = LimitedTextField(_("waiver reason"), blank=True)

    class Meta:
        verbose_name = _("post-incident review")
        verbose_name_plural = _("post-incident reviews")

    def __str__(self) -> str:
        return f"{self.incident} ({self.get_status_display()})"


class PinnedEntry(models.Model):
    """A timeline entry the review points at: the moments that mattered."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="pinned")
    entry = models.ForeignKey("incidents.TimelineEntry", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["entry__seq"]
        constraints = [models.UniqueConstraint(fields=["review", "entry"], name="pin_an_entry_once")]

    def __str__(self) -> str:
        return f"{self.review} · #{self.entry.seq}"


class RatingDecision(models.TextChoices):
    UNDECIDED = "", _("Not decided")
    RERATE = "rerate", _("Re-rate")
    KEEP = "keep", _("Keep as is")


class RiskRating(models.Model):
    """What the review decides for one linked risk; applied through the register when completed."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    risk = models.ForeignKey("risks.Risk", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=8, choices=RatingDecision.choices, blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), null=True, blank=True)
    impact = models.PositiveSmallIntegerField(_("impact"), null=True, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), null=True, blank=True)
    note = LimitedTextField(_("note"), blank=True)
    # A drill's review never re-rates: a re-rating it decides stays a proposal until a risk officer
    # applies it, with a reason of their own.
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_reason = LimitedTextField(_("reason for applying"), blank=True)

    class Meta:
        ordering = ["risk__number"]
        constraints = [models.UniqueConstraint(fields=["review", "risk"], name="rate_a_risk_once")]

    def __str__(self) -> str:
        return f"{self.risk} · {self.get_decision_display()}"

    @property
    def is_drill_proposal(self) -> bool:
        """A re-rating decided in a completed drill's review: what it would re-rate, not applied."""
        return (
            self.decision == RatingDecision.RERATE
            and self.review.incident.drill
            and self.review.status == ReviewStatus.COMPLETED
        )


class PlaybookProposal(models.Model):
    """A proposed change to the playbook used: a new draft version, with its diff."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="proposals")
    used = models.ForeignKey("playbooks.Playbook", on_delete=models.PROTECT, related_name="+")
    draft = models.ForeignKey("playbooks.Playbook", on_delete=models.PROTECT, related_name="+")
    rationale = LimitedTextField(_("rationale"))
    diff = models.TextField(_("diff"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField()

    class Meta:
        ordering = ["proposed_at"]

    def __str__(self) -> str:
        return f"{self.used} → v{self.draft.version}"


class FollowUpState(models.TextChoices):
    OPEN = "open", pgettext_lazy("follow-up state", "Open")
    DONE = "done", _("Done")


class FollowUpAction(models.Model):
    """Work the review hands to someone, with a due date that reminds them (once at due, once overdue)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups")
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(
        _("state"), max_length=6, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    due_reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(state="open"), name="open_follow_ups_by_due"),
            models.Index(fields=["owner", "state"]),
        ]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.title
