"""Subscriptions: a person follows an incident, a severity or everything; each status update reaches
them once, as it is posted, in-app and by the channels they chose; never its poster; a drill's only
if they asked for drills; never an incident they may not see."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Concat

from audit.models import AuditEntry
from incidents import services
from notifications.models import Channel, Delivery, Notification, Subscription, WebhookEndpoint
from notifications.services import subscription_follow, subscription_stop
from people.models import User
from tests.factories import plant_fire, send_deliveries

pytestmark = pytest.mark.django_db


@pytest.fixture
def reachable(cast):
    """Everyone in the cast has an e-mail address."""
    User.objects.update(email=Concat("username", Value("@example.com")))
    return cast


def post(incident, by, text="Plant B is on fire; line 3 stopped."):
    return services.incident_post_update(incident_id=incident.pk, by=by, what_happened=text, impact="Line 3")


def told(incident):
    return Notification.objects.filter(incident_id=incident.pk, kind="status.update")


def test_an_incident_follower_and_a_sev1_follower_hear_the_update_in_app_and_by_e_mail(
    reachable, playbook, declared_at
):
    cast = reachable
    incident = plant_fire(cast, playbook, declared_at)
    services.incident_follow(incident_id=incident.pk, user=cast["ceo"])
    subscription_follow(user=cast["officer"], by=cast["officer"], severity=1)
    post(incident, cast["commander"])

    assert set(told(incident).values_list("recipient__username", flat=True)) == {"ceo", "officer"}
    notification = told(incident).get(recipient=cast["ceo"])
    assert notification.title == "Status update: Main supplier plant fire"
    assert notification.body == "Plant B is on fire; line 3 stopped.\nImpact: Line 3"
    assert notification.url == f"/status/{incident.pk}/" and notification.tag == "SEV1"
    send_deliveries(channel=Channel.EMAIL, notification__kind="status.update")
    assert sorted(message.to[0] for message in mail.outbox) == ["ceo@example.com", "officer@example.com"]
    assert all(message.subject.startswith("[SEV1] Status update") for message in mail.outbox)


def test_several_matching_subscriptions_tell_a_person_once_with_every_channel_any_of_them_chose(
    reachable, playbook, declared_at, chat_bot
):
    cast = reachable
    ceo = cast["ceo"]
    WebhookEndpoint.objects.create(name="CEO chat", service="json", url=chat_bot.url, user=ceo)
    WebhookEndpoint.objects.create(name="Exec chat", service="json", url=chat_bot.url, team=cast["supply"])
    incident = plant_fire(cast, playbook, declared_at)
    services.incident_follow(incident_id=incident.pk, user=ceo, email=False, chat=True)
    subscription_follow(user=ceo, by=ceo, severity=1, email=True)
    subscription_follow(user=ceo, by=ceo)  # everything, e-mail
    post(incident, cast["commander"])

    assert told(incident).filter(recipient=ceo).count() == 1
    deliveries = Delivery.objects.filter(notification__kind="status.update")
    assert sorted(deliveries.values_list("channel", flat=True)) == [Channel.EMAIL, Channel.WEBHOOK]
    assert deliveries.get(channel=Channel.WEBHOOK).endpoint.user == ceo  # never a team's chat


def test_the_poster_is_not_told_of_their_own_update(reachable, playbook, declared_at):
    cast = reachable
    incident = plant_fire(cast, playbook, declared_at)
    subscription_follow(user=cast["commander"], by=cast["commander"])
    post(incident, cast["commander"])
    assert not told(incident).exists()


def test_no_channel_but_in_app_when_the_subscription_chose_none(reachable, playbook, declared_at):
    cast = reachable
    incident = plant_fire(cast, playbook, declared_at)
    services.incident_follow(incident_id=incident.pk, user=cast["ceo"], email=False)
    post(incident, cast["commander"])
    assert told(incident).filter(recipient=cast["ceo"]).exists()
    assert not Delivery.objects.filter(notification__kind="status.update").exists()


def test_a_drills_update_reaches_only_those_who_asked_for_drills_marked_drill(
    reachable, playbook, declared_at
):
    cast = reachable
    drill = plant_fire(cast, playbook, declared_at, drill=True, clock_rate=60)
    subscription_follow(user=cast["ceo"], by=cast["ceo"], severity=1)
    subscription_follow(user=cast["officer"], by=cast["officer"], severity=1, drills=True)
    post(drill, cast["commander"])

    notification = told(drill).get()
    assert notification.recipient == cast["officer"]
    assert notification.title.startswith("[DRILL] ") and notification.tag == "DRILL"
    send_deliveries(channel=Channel.EMAIL, notification__kind="status.update")
    assert [message.to[0] for message in mail.outbox] == ["officer@example.com"]
    assert mail.outbox[0].subject.startswith("[DRILL] ")


def test_a_follower_of_everything_hears_only_of_incidents_they_may_see(reachable, playbook, declared_at):
    cast = reachable
    incident = plant_fire(cast, playbook, declared_at)
    subscription_follow(user=cast["outsider"], by=cast["outsider"])  # named nowhere in it
    subscription_follow(user=cast["buyer"], by=cast["buyer"])  # in its RACI, through the supply team
    post(incident, cast["commander"])
    assert list(told(incident).values_list("recipient__username", flat=True)) == ["buyer"]


def test_an_incident_one_may_not_see_cannot_be_followed(reachable, playbook, declared_at):
    cast = reachable
    incident = plant_fire(cast, playbook, declared_at)
    with pytest.raises(ValidationError) as refused:
        services.incident_follow(incident_id=incident.pk, user=cast["outsider"])
    assert "incident" in refused.value.message_dict
    assert not Subscription.objects.exists()


def test_following_again_changes_the_channels_and_each_change_is_audited(reachable):
    ceo = reachable["ceo"]
    first = subscription_follow(user=ceo, by=ceo, severity=2)
    again = subscription_follow(user=ceo, by=ceo, severity=2, email=False, drills=True)
    assert again.pk == first.pk and not again.email and again.drills
    subscription_stop(user=ceo, by=ceo, subscription_id=first.pk)
    assert not Subscription.objects.exists()
    actions = AuditEntry.objects.filter(object_type="notifications.subscription").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == ["created", "updated", "deleted"]
    assert all(entry.actor_id == ceo.pk for entry in actions)


def test_one_subscription_per_person_and_target(reachable):
    ceo = reachable["ceo"]
    Subscription.objects.create(user=ceo, scope="severity", severity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=ceo, scope="severity", severity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=ceo, scope="everything", severity=1)


def test_someone_elses_subscription_cannot_be_stopped(reachable):
    from django.http import Http404

    subscription = subscription_follow(user=reachable["ceo"], by=reachable["ceo"])
    with pytest.raises(Http404):
        subscription_stop(user=reachable["officer"], by=reachable["officer"], subscription_id=subscription.pk)
    assert Subscription.objects.filter(pk=subscription.pk).exists()
