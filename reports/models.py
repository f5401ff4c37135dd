"""Who receives the executive digest, at what local hour, and which local day was last sent."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_HOUR = 8


class Digest(models.Model):
    """A person's daily digest. No row: the defaults (executives receive it at 08:00 local time).

    The row is also the day's timer: whoever sends the digest first claims it by setting `last_day`
    with a conditional update, so two beats or workers never send the same day twice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest", verbose_name=_("person")
    )
    enabled = models.BooleanField(_("daily digest"), default=True)
    hour = models.PositiveSmallIntegerField(
        _("local hour"), default=DEFAULT_HOUR, validators=[MaxValueValidator(23)]
    )
    # The recipient's local day of the last scheduled digest, and when it was sent: the next one
    # tells what changed since then.
    last_day = models.DateField(_("last sent for"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(hour__lte=23), name="digest_hour_of_day")]
        verbose_name = _("executive digest")
        verbose_name_plural = _("executive digests")

    def __str__(self) -> str:
        return f"{self.user} · {self.hour:02d}:00"
