"""What people are told, how it reaches them, and what they want to hear about."""

import apprise
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person, kept in their in-app inbox, already in their language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # A plain integer: the incidents app does not have to exist for notifications to work.
    incident_id = models.PositiveBigIntegerField(_("incident"), null=True, blank=True)
    # The task it is about, if any: its e-mail and chat copies carry a link to acknowledge it.
    task_id = models.PositiveBigIntegerField(_("task"), null=True, blank=True)
    # "SEV1"…"SEV4" or "DRILL": the e-mail subject's first word, in brackets.
    tag = models.CharField(_("tag"), max_length=16, blank=True)
    drill = models.BooleanField(_("drill"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class WebhookService(models.TextChoices):
    SLACK = "slack", _("Slack")
    MSTEAMS = "msteams", _("Microsoft Teams")
    DINGTALK = "dingtalk", _("DingTalk")
    FEISHU = "feishu", _("Feishu / Lark")
    APPRISE = "apprise", _("Other (any Apprise URL)")
    JSON = "json", _("Generic JSON POST")


class WebhookEndpoint(models.Model):
    """A chat bot or other HTTP receiver, configured by an administrator for a team or a person."""

    name = models.CharField(_("name"), max_length=200)
    service = models.CharField(_("service"), max_length=20, choices=WebhookService.choices)
    url = models.CharField(
        _("URL"),
        max_length=1000,
        help_text=_(
            "The bot's webhook address as the service gives it (https://…), or an Apprise URL "
            "such as slack://…, msteams://…, dingtalk://…, feishu://…. Generic JSON: an https:// "
            "address that receives a POST."
        ),
    )
    team = models.ForeignKey(
        "people.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("team"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("person"),
    )
    kinds = models.JSONField(
        _("kinds"),
        default=list,
        blank=True,
        help_text=_("The kinds of notification it receives; empty means every kind."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team__isnull=True, user__isnull=False)
                | models.Q(team__isnull=False, user__isnull=True),
                name="webhook_for_team_or_person",
            )
        ]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name

    def wants(self, kind: str) -> bool:
        return self.active and (not self.kinds or kind in self.kinds)

    def clean(self):
        errors = {}
        if (self.team_id is None) == (self.user_id is None):
            errors["team"] = _("Choose either a team or a person.")
        if self.service == WebhookService.JSON:
            if not self.url.startswith(("https://", "http://")):
                errors["url"] = _("A generic JSON endpoint needs an http(s):// address.")
        elif apprise.Apprise.instantiate(self.url) is None:
            errors["url"] = _("This address is not one the chosen service understands.")
        if not isinstance(self.kinds, list) or not all(isinstance(kind, str) for kind in self.kinds):
            errors["kinds"] = _('A list of kinds, such as ["task.overdue", "escalation"].')
        if errors:
            raise ValidationError(errors)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One notification on its way through one channel: e-mail, or one webhook endpoint."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook endpoint"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # An incident's overdue and escalation notices to one person (or one team channel) within one
    # window go out as one message listing them all: the deliveries share a group, sent once due.
    group_key = models.CharField(_("group"), max_length=120, blank=True, db_index=True)
    send_after = models.DateTimeField(_("send after"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="delivery_state")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.notification} → {self.endpoint or self.get_channel_display()}"


class Preference(models.Model):
    """Which channels a person wants for one kind of notification. No row: the defaults."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    email = models.BooleanField(_("e-mail"), default=True)
    webhook = models.BooleanField(_("personal webhooks"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class DrillChoice(models.TextChoices):
    IN_APP = "in_app", _("In-app and chat, for drills I take part in")
    ALL = "all", _("All channels, e-mail included, whenever a drill tells me")
    NONE = "none", _("None")


class DrillPreference(models.Model):
    """How a person hears about drills. No row: in-app and chat, and only for drills they take part in
    (named in their RACI, or commanding them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="drill_preference",
        verbose_name=_("person"),
    )
    choice = models.CharField(
        _("drills"), max_length=8, choices=DrillChoice.choices, default=DrillChoice.IN_APP
    )

    class Meta:
        verbose_name = _("drill notification preference")
        verbose_name_plural = _("drill notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_choice_display()}"


class ActionLink(models.Model):
    """A signed, single-use, expiring link in an e-mail or chat message that acts as its person:
    acknowledge a task, or open the incident's war room."""

    class Action(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("Acknowledge the task")
        OPEN = "open", _("Open the war room")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    incident_id = models.PositiveBigIntegerField(_("incident"))
    task_id = models.PositiveBigIntegerField(_("task"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("action link")
        verbose_name_plural = _("action links")

    def __str__(self) -> str:
        return f"{self.user} · {self.action} · {self.incident_id}"


class SubscriptionScope(models.TextChoices):
    INCIDENT = "incident", _("One incident")
    SEVERITY = "severity", _("Every incident of a severity")
    EVERYTHING = "everything", _("Every incident")


class Subscription(models.Model):
    """A person follows an incident, a severity or everything: its status updates reach them as they
    are posted, in-app and by the channels they chose; a drill's only if they asked for drills."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("person"),
    )
    scope = models.CharField(_("follows"), max_length=12, choices=SubscriptionScope.choices)
    # A plain integer, as in Notification: the incidents app checks who may follow which incident.
    incident_id = models.PositiveBigIntegerField(_("incident"), null=True, blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), null=True, blank=True)
    email = models.BooleanField(_("e-mail"), default=True)
    chat = models.BooleanField(_("chat"), default=False)
    drills = models.BooleanField(_("include drills"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["scope", "severity", "incident_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="incident", incident_id__isnull=False, severity__isnull=True)
                | models.Q(scope="severity", incident_id__isnull=True, severity__range=(1, 4))
                | models.Q(scope="everything", incident_id__isnull=True, severity__isnull=True),
                name="subscription_target_matches_scope",
            ),
            models.UniqueConstraint(
                fields=["user", "incident_id"],
                condition=models.Q(scope="incident"),
                name="one_subscription_per_incident",
            ),
            models.UniqueConstraint(
                fields=["user", "severity"],
                condition=models.Q(scope="severity"),
                name="one_subscription_per_severity",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(scope="everything"), name="one_subscription_to_everything"
            ),
        ]
        indexes = [models.Index(fields=["scope", "incident_id"], name="subscription_target")]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.user} · {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.scope == SubscriptionScope.INCIDENT:
            return str(_("Incident #%(id)s") % {"id": self.incident_id})
        if self.scope == SubscriptionScope.SEVERITY:
            return str(_("Every SEV{severity} incident")).format(severity=self.severity)
        return str(_("Every incident"))


class NotificationRule(models.Model):
    """How a person wants the notices about tasks they may acknowledge: told again every
    `repeat_minutes` until someone acknowledges the task (None: told once), the repeats reaching
    them in-app and by the channels ticked here. No row: told once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_rule",
        verbose_name=_("person"),
    )
    repeat_minutes = models.PositiveSmallIntegerField(_("repeat every (minutes)"), null=True, blank=True)
    email = models.BooleanField(_("repeats by e-mail"), default=True)
    chat = models.BooleanField(_("repeats on my chat"), default=True)

    class Meta:
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")

    def __str__(self) -> str:
        return f"{self.user} · {self.repeat_minutes or '-'}"


class Repeat(models.Model):
    """A notice told again every `every` until what it is about is settled: a durable timer. Whoever
    settles it stops every repeat with its `until` key (an acknowledged task), or of its incident."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="repeats", verbose_name=_("notification")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    until = models.CharField(_("until settled"), max_length=64)
    incident_id = models.PositiveBigIntegerField(_("incident"), null=True, blank=True)
    # The words of the first notice, before any DRILL mark, in the recipient's language.
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("every (minutes)"))
    every = models.DurationField(_("every (real time)"))
    next_at = models.DateTimeField(_("next at"))
    times = models.PositiveIntegerField(_("times repeated"), default=0)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "until"],
                condition=models.Q(stopped_at__isnull=True),
                name="one_live_repeat_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["next_at"], condition=models.Q(stopped_at__isnull=True), name="repeat_due"),
            models.Index(fields=["until"], name="repeat_until"),
        ]
        verbose_name = _("repeat")
        verbose_name_plural = _("repeats")

    def __str__(self) -> str:
        return f"{self.recipient} · {self.until}"
