"""Key risk indicators: the measured series, each reading with its band, and the breaches."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.limits import LimitedTextField


class Direction(models.TextChoices):
    HIGHER_IS_WORSE = "higher_is_worse", _("Higher is worse")
    LOWER_IS_WORSE = "lower_is_worse", _("Lower is worse")


class Band(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


BAND_RANK = {Band.GREEN: 0, Band.AMBER: 1, Band.RED: 2}


class OnRed(models.TextChoices):
    NOTIFY = "notify", _("Notify")
    REVIEW = "review", _("Review the linked risks now")
    OPEN_INCIDENT = "open_incident", _("Open an incident")


class KRI(models.Model):
    """A measured series tied to risks, with amber and red thresholds and a rule (see rules.py)."""

    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name in Chinese"), max_length=200, blank=True)
    description = LimitedTextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    risks = models.ManyToManyField("risks.Risk", blank=True, related_name="kris", verbose_name=_("risks"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kris", verbose_name=_("owner")
    )
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    amber = models.FloatField(_("amber threshold"))
    red = models.FloatField(_("red threshold"))
    rule = models.JSONField(_("rule"), default=dict, blank=True)
    on_red = models.CharField(_("on red"), max_length=16, choices=OnRed.choices, default=OnRed.NOTIFY)
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("incident commander"),
        help_text=_("Empty: the owner of the linked risk commands the incident."),
    )
    expected_every = models.DurationField(
        _("expected reading frequency"), null=True, blank=True, help_text=_("Empty: no reading is expected.")
    )
    band = models.CharField(_("current band"), max_length=8, choices=Band.choices, default=Band.GREEN)
    last_value = models.FloatField(_("last value"), null=True, blank=True)
    last_measured_at = models.DateTimeField(_("last measured at"), null=True, blank=True)
    missed_periods_flagged = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("key risk indicator")
        verbose_name_plural = _("key risk indicators")

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        """The name in the reader's language (the active one), where the KRI has both."""
        if self.name_zh and (get_language() or "").startswith("zh"):
            return self.name_zh
        return self.name

    @property
    def reader_name(self):
        """`shown_name`, worked out when read: a notification is written in each reader's language."""
        return lazy(lambda: self.shown_name, str)()


class Reading(models.Model):
    kri = models.ForeignKey(KRI, on_delete=models.CASCADE, related_name="readings")
    value = models.FloatField(_("value"))
    measured_at = models.DateTimeField(_("measured at"))
    band = models.CharField(_("band"), max_length=8, choices=Band.choices)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = LimitedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["kri", "measured_at"]
        constraints = [
            models.UniqueConstraint(fields=["kri", "measured_at"], name="one_reading_per_kri_and_time")
        ]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")

    def __str__(self) -> str:
        return f"{self.kri_id} @ {self.measured_at:%Y-%m-%d %H:%M}: {self.value} ({self.band})"


class BreachState(models.TextChoices):
    OPEN = "open", pgettext_lazy("breach state", "Open")
    CLOSED = "closed", _("Back to green")


class Breach(models.Model):
    """From the first reading out of green to the next green one. Red acts once per breach:
    `red_at` is claimed by a conditional update, so only one reading ever takes the red action."""

    kri = models.ForeignKey(KRI, on_delete=models.CASCADE, related_name="breaches")
    state = models.CharField(_("state"), max_length=8, choices=BreachState.choices, default=BreachState.OPEN)
    band = models.CharField(_("worst band"), max_length=8, choices=Band.choices)
    opened_at = models.DateTimeField(_("opened at"))
    red_at = models.DateTimeField(_("red at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("back to green at"), null=True, blank=True)
    action = models.CharField(_("action taken"), max_length=16, choices=OnRed.choices, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("incident"),
    )
    note = LimitedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kri"], condition=Q(state="open"), name="one_open_breach_per_kri")
        ]
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")

    def __str__(self) -> str:
        return f"{self.kri_id} {self.band} @ {self.opened_at:%Y-%m-%d %H:%M}"
