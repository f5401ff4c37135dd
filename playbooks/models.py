"""Tiered response playbooks: versions, tiers (time windows), steps and their RACI."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.limits import LimitedTextField


class PlaybookStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Playbook(models.Model):
    """One version of a playbook. All versions of the same plan share a `lineage`."""

    lineage = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = LimitedTextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlaybookStatus.choices, default=PlaybookStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("based on")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    first_update_within = models.DurationField(
        _("first status update within"),
        null=True,
        blank=True,
        help_text=_(
            "Plan time from the declaration by which the first status update is owed, when sooner "
            "than the severity's update cadence (e.g. the golden 3 hours of a public-opinion crisis)."
        ),
    )

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="unique_playbook_version"),
            models.UniqueConstraint(
                fields=["lineage"],
                condition=Q(status="published"),
                name="one_published_version_per_playbook",
            ),
        ]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Tier(models.Model):
    """A time window of the response, relative to the declaration (T1: 0–6 h, …)."""

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="tiers")
    key = models.CharField(_("key"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    starts_after = models.DurationField(_("starts after"))
    ends_after = models.DurationField(_("ends after"), null=True, blank=True)

    class Meta:
        ordering = ["playbook", "starts_after"]
        constraints = [models.UniqueConstraint(fields=["playbook", "key"], name="unique_tier_key")]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class Step(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    instructions = LimitedTextField(_("instructions"), blank=True)
    due_after = models.DurationField(_("due after"), help_text=_("From the start of the step's tier."))
    escalate_after = models.DurationField(_("escalate after"), help_text=_("After the due time."))

    class Meta:
        ordering = ["tier__starts_after", "order"]
        constraints = [models.UniqueConstraint(fields=["tier", "order"], name="unique_step_order_in_tier")]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.tier.key}.{self.order} {self.title}"


class RaciRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Responsible")
    ACCOUNTABLE = "accountable", _("Accountable")
    CONSULTED = "consulted", _("Consulted")
    INFORMED = "informed", _("Informed")


class RaciAssignment(models.Model):
    """One R, A, C or I of a step: a team, a named person, or the person on call for a team
    (`on_call` with the team: told first, before the rest of the team)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="raci")
    role = models.CharField(_("role"), max_length=12, choices=RaciRole.choices)
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on_call = models.BooleanField(_("the team's on-call person"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["step", "role", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(team__isnull=False) & Q(user__isnull=True))
                | (Q(team__isnull=True) & Q(user__isnull=False)),
                name="raci_names_a_team_or_a_person",
            ),
            models.CheckConstraint(
                condition=Q(on_call=False) | Q(team__isnull=False), name="raci_on_call_of_a_team"
            ),
        ]
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI assignments")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {party_name(self)}"


def party_name(party):
    """How a page or a message names a RACI party: a person, a team, or a team's on-call person."""
    if party.user_id:
        return str(party.user)
    if party.on_call:
        return format_lazy(_("On call: {team}"), team=party.team.name)
    return party.team.name
