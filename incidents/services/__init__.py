"""Every change to an incident goes through one of these functions."""

from incidents.services.cadence import DEFAULT_CADENCE, cadence_for
from incidents.services.command import (
    incident_assign_role,
    incident_change_severity,
    incident_change_title,
    incident_link_risk,
    incident_unlink_risk,
    task_add,
)
from incidents.services.declaration import incident_declare
from incidents.services.firing import timers_fire
from incidents.services.following import incident_follow
from incidents.services.hooks import on_incident_close, on_incident_resolve
from incidents.services.lifecycle import (
    incident_advance_tier,
    incident_close,
    incident_post_update,
    incident_reopen,
    incident_resolve,
    incident_stabilize,
)
from incidents.services.links import link_act
from incidents.services.locking import incident_lock
from incidents.services.on_call import on_call_sweep
from incidents.services.task_actions import task_acknowledge, task_complete, task_reassign, task_skip
from incidents.services.timeline import timeline_append
from incidents.services.timers import timers_sweep

__all__ = [
    "DEFAULT_CADENCE",
    "cadence_for",
    "incident_assign_role",
    "incident_change_severity",
    "incident_change_title",
    "incident_link_risk",
    "incident_unlink_risk",
    "task_add",
    "incident_declare",
    "incident_follow",
    "incident_advance_tier",
    "incident_close",
    "incident_lock",
    "link_act",
    "incident_post_update",
    "incident_reopen",
    "incident_resolve",
    "incident_stabilize",
    "on_call_sweep",
    "on_incident_close",
    "on_incident_resolve",
    "task_acknowledge",
    "task_complete",
    "task_reassign",
    "task_skip",
    "timeline_append",
    "timers_fire",
    "timers_sweep",
]
