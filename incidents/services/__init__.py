"""Every change to an incident goes through one of these functions."""

from incidents.services.declaration import incident_declare
from incidents.services.firing import timers_fire
from incidents.services.lifecycle import (
    incident_advance_tier,
    incident_close,
    incident_post_update,
    incident_reopen,
    incident_resolve,
    incident_stabilize,
)
from incidents.services.tasks import task_acknowledge, task_complete, task_reassign, task_skip
from incidents.services.timers import timers_sweep

__all__ = [
    "incident_declare",
    "incident_advance_tier",
    "incident_close",
    "incident_post_update",
    "incident_reopen",
    "incident_resolve",
    "incident_stabilize",
    "task_acknowledge",
    "task_complete",
    "task_reassign",
    "task_skip",
    "timers_fire",
    "timers_sweep",
]
