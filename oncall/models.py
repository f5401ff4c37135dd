"""On-call schedules: a team's schedules, their layers of rotations, overrides, swaps, the
organisation's own calendar days, and the secret calendar feeds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import validate_timezone


class WorkingCalendar(models.TextChoices):
    WEEKDAYS = "weekdays", _("Monday to Friday")
    CHINA = "cn", _("China mainland public holidays and make-up working days")


class Schedule(models.Model):
    team = models.ForeignKey(
        "people.Team", on_delete=models.CASCADE, related_name="schedules", verbose_name=_("team")
    )
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_timezone]
    )
    working_calendar = models.CharField(
        _("working calendar"),
        max_length=16,
        choices=WorkingCalendar.choices,
        default=WorkingCalendar.WEEKDAYS,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team_id", "id"]
        verbose_name = _("on-call schedule")
        verbose_name_plural = _("on-call schedules")

    def __str__(self) -> str:
        return self.name


class ShiftUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")


class Layer(models.Model):
    """A rotation: its people take turns, one shift each, from `start_date` at `handoff_time` in the
    schedule's time zone. A layer with a higher `priority` wins where both cover the moment."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="layers")
    name = models.CharField(_("name"), max_length=200)
    priority = models.PositiveIntegerField(_("priority"), default=1)
    start_date = models.DateField(_("starts on"))
    handoff_time = models.TimeField(_("hand-off time"))
    shift_count = models.PositiveIntegerField(_("shift length"), default=1)
    shift_unit = models.CharField(_("unit"), max_length=8, choices=ShiftUnit.choices, default=ShiftUnit.DAYS)
    # Covered only on these weekdays (0 = Monday), from `covers_from` to `covers_until` (past
    # midnight when it is earlier), and only on working days when `working_days_only`; each
    # window belongs to the day it starts on.
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    covers_from = models.TimeField(_("covers from"), null=True, blank=True)
    covers_until = models.TimeField(_("covers until"), null=True, blank=True)
    working_days_only = models.BooleanField(_("working days only"), default=False)
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="LayerMember", related_name="+", verbose_name=_("people")
    )

    class Meta:
        ordering = ["schedule_id", "-priority", "id"]
        verbose_name = _("layer")
        verbose_name_plural = _("layers")

    def __str__(self) -> str:
        return self.name


class LayerMember(models.Model):
    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["layer_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["layer", "position"], name="oncall_unique_layer_position")
        ]

    def __str__(self) -> str:
        return f"{self.layer} #{self.position}: {self.person}"


class Override(models.Model):
    """Someone covers a span of the schedule, over every layer."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="oncall_override_span"
            )
        ]
        indexes = [models.Index(fields=["schedule", "ends_at"])]
        verbose_name = _("override")
        verbose_name_plural = _("overrides")

    def __str__(self) -> str:
        return f"{self.person} {self.starts_at:%Y-%m-%d %H:%M}"


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("awaiting the other person")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled")


class Swap(models.Model):
    """Two people of a layer trade shifts: the partner covers the requester's shift and the
    requester the partner's. It counts only once the partner accepts."""

    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="swaps")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requester_shift_start = models.DateTimeField()
    requester_shift_end = models.DateTimeField()
    partner_shift_start = models.DateTimeField()
    partner_shift_end = models.DateTimeField()
    status = models.CharField(max_length=16, choices=SwapStatus.choices, default=SwapStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requester_shift_start", "id"]
        verbose_name = _("swap")
        verbose_name_plural = _("swaps")

    def __str__(self) -> str:
        return f"{self.requester} ⇄ {self.partner}"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday")
    WORKING_DAY = "working_day", _("working day")


class CalendarDay(models.Model):
    """The organisation's own holiday or working day, over the official calendar."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class CalendarFeed(models.Model):
    """The secret address of a calendar feed: a schedule's shifts, or one person's. Only the
    token's SHA-256 is kept; the address is shown once, when made or reset."""

    schedule = models.OneToOneField(
        Schedule, null=True, blank=True, on_delete=models.CASCADE, related_name="feed"
    )
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="on_call_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(schedule__isnull=False, person__isnull=True)
                | Q(schedule__isnull=True, person__isnull=False),
                name="oncall_feed_of_one",
            )
        ]

    def __str__(self) -> str:
        return f"feed of {self.schedule or self.person}"


class NoticeKind(models.TextChoices):
    GAP = "gap", _("nobody on call")
    UNREACHABLE = "unreachable", _("on call but cannot be reached")
    SHIFT_START = "shift_start", _("shift starts")
    SHIFT_END = "shift_end", _("shift ends")


class Notice(models.Model):
    """What someone was told about a span of a schedule: a gap or an unreachable person warned about
    ahead (to the team's escalation contact), a shift's start or end (to its person). A sweep tells
    nobody twice about the same kind, schedule and person over overlapping spans."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person on call"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    told = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("told")
    )
    created_at = models.DateTimeField(_("told at"))

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["schedule", "kind", "ends_at"])]
        verbose_name = _("on-call notice")
        verbose_name_plural = _("on-call notices")

    def __str__(self) -> str:
        return f"{self.schedule} · {self.kind} · {self.starts_at:%Y-%m-%d %H:%M}"
