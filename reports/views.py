"""The executive reports: each a page that prints on A4 and the same report as a PDF, in the
reader's language and time zone. An incident's report is for those who may see the incident (404
for anyone else); the register's for everyone signed in, as the register is."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents.models import Incident
from reports import digests, pdf, wording
from reports.incident_report import incident_report
from reports.register_report import register_report


def _incident_report(request, incident_id: int):
    try:
        return incident_report(user=request.user, incident_id=incident_id, now=timezone.now())
    except Incident.DoesNotExist as error:
        raise Http404 from error


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def incident_report_page(request, incident_id: int):
    report = _incident_report(request, incident_id)
    incident = report.incident
    tiers = [
        (
            wording.tier_heading(section.tier),
            [wording.task_row(t, incident=incident, now=report.now) for t in section.tasks],
        )
        for section in report.tiers
    ]
    context = {
        "report": report,
        "incident": incident,
        "subtitle": wording.incident_subtitle(report),
        "facts": wording.incident_facts(report),
        "task_header": wording.task_header(),
        "tiers": tiers,
        "review_parts": wording.review_parts(report.review) if report.review else [],
    }
    return render(request, "reports/incident.html", context)


@login_required
def incident_report_pdf(request, incident_id: int):
    report = _incident_report(request, incident_id)
    return _pdf(pdf.incident_pdf(report), f"incident-{incident_id}-report.pdf")


@login_required
def register_report_page(request):
    report = register_report(now=timezone.now())
    context = {
        "report": report,
        "subtitle": wording.register_subtitle(report),
        "note": wording.heat_map_note(report),
        "risk_header": wording.risk_header(),
        "risks": [wording.risk_row(risk) for risk in report.above_appetite.items],
        "more_risks": report.above_appetite.total - len(report.above_appetite.items),
        "kri_header": wording.kri_header(),
        "kris": [(kri, wording.kri_row(kri)) for kri, _readings in report.kris],
    }
    return render(request, "reports/register.html", context)


@login_required
def register_report_pdf(request):
    return _pdf(pdf.register_pdf(register_report(now=timezone.now())), "risk-register-report.pdf")


@login_required
@require_POST
def digest_preferences(request):
    """The person's own daily digest: on or off, and its local hour."""
    try:
        hour = int(request.POST.get("hour", ""))
    except ValueError:
        hour = -1
    if 0 <= hour <= 23:
        digests.digest_preference_set(
            user=request.user, by=request.user, enabled=bool(request.POST.get("enabled")), hour=hour
        )
        messages.success(request, _("Your daily digest is saved."))
    else:
        messages.error(request, _("Choose an hour from 00:00 to 23:00."))
    return redirect("notification-inbox")


@login_required
@require_POST
def digest_send_now(request):
    """The person's digest at once, by their channels; the day's scheduled one still comes."""
    digests.digest_send_now(user=request.user, now=timezone.now())
    messages.success(request, _("Your digest is on its way; it is also in your notifications."))
    return redirect("notification-inbox")
