"""The real components the project stands on: the Celery broker and worker, the Channels layer."""

import asyncio
import threading

import pytest
from channels.layers import get_channel_layer

from riskops.celery import app as celery_app
from tests.processes import worker_in_this_process

pytestmark = pytest.mark.embedded_smoke
reached_worker = threading.Event()


@celery_app.task(name="tests.mark_reached")
def mark_reached(payload):
    assert payload == {"hello": "世界"}
    reached_worker.set()


def test_a_task_travels_through_the_real_broker_to_a_real_worker():
    assert not celery_app.conf.task_always_eager
    with worker_in_this_process():
        mark_reached.apply_async(args=[{"hello": "世界"}], queue="default")
        assert reached_worker.wait(timeout=15), "the worker never ran the task"


async def test_channel_layer_round_trip_on_real_redis():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("healthcheck", channel)
    await layer.group_send("healthcheck", {"type": "probe", "text": "tier changed · 已升级"})
    message = await layer.receive(channel)
    await layer.group_discard("healthcheck", channel)
    assert message == {"type": "probe", "text": "tier changed · 已升级"}


async def test_the_broadcaster_sends_from_sync_code_in_order():
    """Services call it from synchronous code; it returns at once and delivers in order."""
    from core.broadcast import broadcaster

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("broadcast-probe", channel)
    for n in range(3):
        broadcaster.send(["broadcast-probe"], {"type": "probe", "n": n})
    received = [(await asyncio.wait_for(layer.receive(channel), timeout=5))["n"] for _ in range(3)]
    assert received == [0, 1, 2]


@pytest.mark.parametrize("queue", ["timers", "default"])
def test_both_queues_are_declared(queue):
    assert queue in {q.name for q in celery_app.conf.task_queues}


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("incidents.fire_timers", "timers"),
        ("incidents.sweep_timers", "timers"),
        ("notifications.deliver", "default"),
        ("risks.run_import", "default"),
    ],
)
def test_a_task_sent_by_name_goes_to_its_queue(task, queue):
    assert celery_app.amqp.router.route({}, task)["queue"].name == queue


def test_every_task_has_a_route_and_every_route_names_a_task():
    celery_app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    tasks = {name for name in celery_app.tasks if not name.startswith(("celery.", "tests."))}
    assert set(celery_app.conf.task_routes) == tasks
