"""People, their roles, and the teams they belong to."""

import functools
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RISK_OFFICER = "risk_officer", _("Risk officer")
    RESPONDER = "responder", _("Responder")
    EXECUTIVE = "executive", _("Executive")
    ADMIN = "admin", _("Administrator")


@functools.cache
def known_time_zones() -> frozenset[str]:
    """The IANA zone names installed here: read from disk once per process (about 40 ms each time)."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class PersonManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESPONDER)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")

    objects = PersonManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def sees_everything(self) -> bool:
        """Admins, executives and risk officers see every incident."""
        return self.is_admin or self.role in {Role.EXECUTIVE, Role.RISK_OFFICER}

    @property
    def writes_register(self) -> bool:
        return self.is_admin or self.role == Role.RISK_OFFICER

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Team(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(
        User, through="Membership", related_name="teams", verbose_name=_("members")
    )
    escalation_contact = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("escalation contact"),
        help_text=_("Told when a step this team is accountable for escalates to executives."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="unique_team_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ∈ {self.team}"
