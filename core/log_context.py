"""Who a log line is about: the request (X-Request-ID) and the incident, in web and Celery processes.

Every log record gets `request_id` and `incident_id` (None when unknown) from context variables:
set by `RequestIdMiddleware` for a request, carried to the Celery tasks it sends in a message
header, and set again in the worker before the task runs. Services that work on one incident
call `bind_incident` so that the lines they write name it.
"""

import contextvars
import logging
import re
import time
import uuid

from celery import signals

HEADER = "X-Request-ID"
TASK_HEADER = "riskops_request_id"
# What a client may send as its request id; anything else is replaced by one of ours.
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")

request_id = contextvars.ContextVar("request_id", default=None)
incident_id = contextvars.ContextVar("incident_id", default=None)

access_log = logging.getLogger("riskops.request")
task_log = logging.getLogger("riskops.task")


def bind_incident(pk: int) -> None:
    incident_id.set(pk)


class ContextFilter(logging.Filter):
    """Adds request_id and incident_id to every record (a handler filter, so all loggers get them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        if not hasattr(record, "incident_id"):  # a line about one of several incidents names it itself
            record.incident_id = incident_id.get()
        return True


class RequestIdMiddleware:
    """Takes the client's X-Request-ID (or makes one), returns it, and writes one access line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(HEADER, "")
        request.request_id = sent if ACCEPTED.fullmatch(sent) else uuid.uuid4().hex
        request_id.set(request.request_id)
        incident_id.set(None)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = request.request_id
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": getattr(getattr(request, "user", None), "pk", None),
            },
        )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A page or API call about one incident names it in every line it writes."""
        route = request.resolver_match.route if request.resolver_match else ""
        pk = view_kwargs.get("incident_id") or (view_kwargs.get("pk") if "incidents" in route else None)
        if pk is not None and str(pk).isdigit():
            bind_incident(int(pk))


@signals.before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    if headers is not None and (current := request_id.get()):
        headers[TASK_HEADER] = current


@signals.task_prerun.connect
def _receive_request_id(task=None, **kwargs):
    sent = getattr(task.request, TASK_HEADER, None) or (task.request.headers or {}).get(TASK_HEADER)
    request_id.set(sent or task.request.id)
    incident_id.set(None)
    task_log.info("task %s started", task.name, extra={"task": task.name, "task_id": task.request.id})
