"""The register's pages: each checks permission, validates a form, calls one service, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import last_entry
from core.errors import Conflict, InvalidTransition
from core.permissions import may_write_register
from risks import acceptances, importing, register_page, selectors, services
from risks.acceptance_page import acceptance_context
from risks.api import IMPORT_INLINE_LIMIT, export_response
from risks.columns import heading, heading_of_field
from risks.filters import RegisterFilterForm
from risks.forms import (
    AcceptanceDecisionForm,
    AcceptanceForm,
    ActionForm,
    ActionStatusForm,
    AppetiteForm,
    ImportForm,
    ReviewForm,
    RiskForm,
)
from risks.import_template import import_template_xlsx
from risks.models import Acceptance, ChangeSource, ImportJob, Risk, TreatmentAction
from risks.permissions import may_decide_acceptance, may_request_acceptance
from risks.rating_picker import pickers
from risks.tasks import run_import
from risks.trajectory import trajectory_of


def _writer(request) -> None:
    if not may_write_register(request.user):
        raise PermissionDenied


def _writes_register(user, risk: Risk) -> bool:
    return may_write_register(user)


@login_required
def register(request):
    # As of the last audit entry, which every change to a risk, an appetite or a person writes.
    return render(request, "risks/register.html", {"table": register_page.table(request, last_entry())})


@login_required
def export(request, kind: str):
    form = RegisterFilterForm(request.GET)
    if kind not in {"csv", "xlsx"} or not form.is_valid():
        raise Http404
    risks = selectors.risk_list(filters=form.register_filters()).order_by("number")
    return export_response(risks, kind, keys=request.GET.get("keys", "").lower() in {"1", "true", "yes"})


def _detail(
    request,
    risk: Risk,
    *,
    review_form=None,
    action_form=None,
    acceptance_form=None,
    decision_form=None,
    status: int = 200,
):
    incidents = list(risk.incidents.order_by("-declared_at"))
    titles = {incident.pk: incident.shown_title for incident in incidents}
    history = list(selectors.risk_history(risk=risk)[:100])
    for change in history:
        change.incident_title = titles.get(change.incident_id, "")
    now = timezone.now()
    trajectory = trajectory_of(history=history, matrix=risk.matrix, now=now)
    for number, change in enumerate(trajectory.changes if trajectory.drawn else [], 1):
        change.number = number  # as the chart numbers it
    return render(
        request,
        "risks/detail.html",
        {
            "risk": risk,
            "history": history,
            "trajectory": trajectory,
            "reviews": risk.reviews.select_related("reviewed_by")[:50],
            "actions": risk.actions.select_related("owner"),
            "incidents": incidents,
            "review_form": review_form or ReviewForm(risk=risk),
            "action_form": action_form or ActionForm(initial={"owner": risk.owner_id}),
            "now": now,
            "active_matrix": selectors.matrix_active(),
            **acceptance_context(
                request.user, risk, acceptance_form=acceptance_form, decision_form=decision_form
            ),
        },
        status=status,
    )


def _risk(pk: int) -> Risk:
    return get_object_or_404(Risk.objects.select_related("category", "owner", "matrix", "playbook"), pk=pk)


@login_required
def risk_detail(request, pk: int):
    return _detail(request, _risk(pk))


def _save_risk(request, form: RiskForm, risk: Risk | None):
    """Calls the service; returns the risk, or None with the errors put on the form."""
    data = dict(form.cleaned_data)
    version = data.pop("version")
    reason = data.pop("reason")
    try:
        if risk is None:
            return services.risk_create(by=request.user, reason=reason, **data)
        if data["next_review_at"] == risk.next_review_at.replace(second=0, microsecond=0):
            data.pop("next_review_at")  # shown to the minute and left as it was
        return services.risk_update(
            risk=risk,
            by=request.user,
            changes=data,
            expected_version=version,
            reason=reason,
            change_source=ChangeSource.PAGE,
        )
    except ValidationError as error:
        form.add_error(None, error)
    except (Conflict, InvalidTransition) as error:
        form.add_error(None, error.detail)
    return None


@login_required
def risk_create(request):
    _writer(request)
    matrix = services.matrix_ensure_default()
    form = RiskForm(request.POST or None, matrix=matrix, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid() and (risk := _save_risk(request, form, None)):
        messages.success(request, _("%(ref)s is in the register.") % {"ref": risk.ref})
        return redirect("risk-detail", pk=risk.pk)
    return render(
        request, "risks/form.html", {"form": form, "matrix": matrix, "pickers": pickers(matrix, form)}
    )


@login_required
def risk_edit(request, pk: int):
    _writer(request)
    risk = get_object_or_404(Risk.objects.select_related("matrix"), pk=pk)
    initial = RiskForm.initial_for(risk)
    form = RiskForm(request.POST or None, matrix=risk.matrix, rated=risk.rated, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        if saved := _save_risk(request, form, risk):
            messages.success(request, _("%(ref)s is saved.") % {"ref": saved.ref})
            return redirect("risk-detail", pk=saved.pk)
        current = Risk.objects.select_related("category", "owner").get(pk=pk)
        if current.version != form.cleaned_data["version"]:
            # A stale edit: show what is there now; saving again overwrites it knowingly.
            form.data = form.data.copy()
            form.data["version"] = current.version
        else:
            current = None
    context = {"form": form, "risk": risk, "current": current, "matrix": risk.matrix}
    return render(request, "risks/form.html", {**context, "pickers": pickers(risk.matrix, form)})


def _post_to_risk(request, pk: int, *, form_class, write, done: str, slot: str, may=None):
    """A form posted from a risk's page: the service writes, or the page comes back (400) with
    the refusal next to each field it names. `may(user, risk)`: who may post it (register writers
    unless said otherwise)."""
    risk = _risk(pk)
    if not (may or _writes_register)(request.user, risk):
        raise PermissionDenied
    form = form_class(request.POST, risk=risk)
    if form.is_valid():
        try:
            write(risk, form)
        except ValidationError as error:
            form.add_error(None, error)
        except InvalidTransition as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, done)
            return redirect("risk-detail", pk=pk)
    return _detail(request, risk, status=400, **{slot: form})


@login_required
@require_POST
def risk_review(request, pk: int):
    return _post_to_risk(
        request,
        pk,
        form_class=ReviewForm,
        write=lambda risk, form: services.risk_review(risk=risk, by=request.user, **form.service_arguments()),
        done=_("The review is recorded."),
        slot="review_form",
    )


@login_required
@require_POST
def action_create(request, pk: int):
    return _post_to_risk(
        request,
        pk,
        form_class=ActionForm,
        write=lambda risk, form: services.action_create(risk=risk, by=request.user, **form.cleaned_data),
        done=_("The treatment action is added."),
        slot="action_form",
    )


@login_required
@require_POST
def acceptance_request(request, pk: int):
    return _post_to_risk(
        request,
        pk,
        form_class=AcceptanceForm,
        write=lambda risk, form: acceptances.acceptance_request(
            risk=risk, by=request.user, **form.service_arguments()
        ),
        done=_("The acceptance is asked for: a risk officer or an executive decides it."),
        slot="acceptance_form",
        may=may_request_acceptance,
    )


@login_required
@require_POST
def acceptance_decide(request, pk: int, decision: str):
    acceptance = get_object_or_404(Acceptance, pk=pk)
    if decision not in {"approve", "decline"}:
        raise Http404
    decide = acceptances.acceptance_approve if decision == "approve" else acceptances.acceptance_decline
    return _post_to_risk(
        request,
        acceptance.risk_id,
        form_class=AcceptanceDecisionForm,
        write=lambda risk, form: decide(acceptance=acceptance, by=request.user, **form.cleaned_data),
        done=_("The risk is accepted.") if decision == "approve" else _("The acceptance is declined."),
        slot="decision_form",
        may=lambda user, risk: may_decide_acceptance(user, acceptance),
    )


@login_required
@require_POST
def action_status(request, pk: int):
    _writer(request)
    action = get_object_or_404(TreatmentAction, pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_set_status(action=action, by=request.user, status=form.cleaned_data["status"])
        except InvalidTransition as error:
            messages.error(request, error.detail)
    return redirect("risk-detail", pk=action.risk_id)


@login_required
def heatmap(request):
    rating = "residual" if request.GET.get("rating") == "residual" else "inherent"
    matrix = selectors.matrix_active()
    heat = selectors.heatmap(matrix=matrix, rating=rating)
    colors = {level["key"]: level["color"] for level in matrix.levels}  # the version's, as raters see it
    rows = [
        {
            "likelihood": scale,
            "cells": [(cell, colors[cell.level]) for cell in heat.cells if cell.likelihood == scale["value"]],
        }
        for scale in reversed(matrix.likelihood)
    ]
    return render(
        request,
        "risks/heatmap.html",
        {
            "heatmap": heat,
            "rows": rows,
            "matrix": matrix,
            "rating": rating,
            "not_rated_filter": selectors.NOT_RATED,
        },
    )


@login_required
def import_file(request):
    _writer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = importing.import_job_create(
            content=upload.read(), filename=upload.name, by=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        _start(job, large=upload.size > IMPORT_INLINE_LIMIT)
        return redirect("risk-import-job", job_id=job.pk)
    return render(request, "risks/import.html", {"form": form})


@login_required
def import_template(request):
    _writer(request)
    response = HttpResponse(
        import_template_xlsx(matrix=services.matrix_ensure_default()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="risk-register-template.xlsx"'
    return response


def _start(job: ImportJob, *, large: bool) -> None:
    if large:
        transaction.on_commit(lambda: run_import.delay(job.pk))
    else:
        importing.import_job_run(job_id=job.pk)


@login_required
def import_job(request, job_id: int):
    _writer(request)
    job = get_object_or_404(ImportJob, pk=job_id)
    if request.method == "POST" and job.dry_run and not job.errors:
        # The preview looked right: import the same file for real.
        real = importing.import_job_create(
            content=bytes(job.content), filename=job.filename, by=request.user, dry_run=False
        )
        _start(real, large=len(job.content) > IMPORT_INLINE_LIMIT)
        return redirect("risk-import-job", job_id=real.pk)
    changes = [
        {**change, "shown": [(heading(column), text) for column, text in change.get("values", [])]}
        for change in job.changes
    ]
    errors = [{**error, "column": heading_of_field(error["field"])} for error in job.errors]
    return render(request, "risks/import_job.html", {"job": job, "changes": changes, "errors": errors})


@login_required
def appetite(request):
    """Each category's appetite, and how many of its open risks are outside it; writers change it."""
    matrix = services.matrix_ensure_default()
    refused = None
    if request.method == "POST":
        _writer(request)
        refused = AppetiteForm(request.POST, matrix=matrix)
        if refused.is_valid():
            data = refused.cleaned_data
            try:
                category = services.category_set_appetite(
                    category=data["category"],
                    by=request.user,
                    appetite=data["appetite"],
                    appetite_score=data["appetite_score"],
                )
            except ValidationError as error:
                refused.add_error(None, error)
            else:
                messages.success(
                    request, _("The appetite of %(category)s is saved.") % {"category": category}
                )
                return redirect("risk-appetite")
    rows = []
    for category in selectors.categories_with_appetite():
        initial = {
            "category": category.key,
            "appetite": category.appetite,
            "appetite_score": category.appetite_score,
        }
        form = AppetiteForm(initial=initial, matrix=matrix, auto_id=f"id_{category.key}_%s")
        if refused is not None and refused.data.get("category") == category.key:
            refused.auto_id = form.auto_id
            form = refused
        rows.append({"category": category, "form": form})
    return render(
        request, "risks/appetite.html", {"rows": rows, "matrix": matrix}, status=400 if refused else 200
    )
