"""The matrix's pages: a version as raters see it, with the earlier ones; and the editor that makes
the next version, after a preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import Conflict
from risks import selectors, services
from risks.matrix_editor import MatrixForm
from risks.models import RiskMatrix
from risks.permissions import may_revise_matrix
from risks.rating_picker import drawing


@login_required
def matrix(request, version: int | None = None):
    active = services.matrix_ensure_default()
    shown = active
    if version is not None and version != active.version:
        shown = get_object_or_404(RiskMatrix.objects.select_related("created_by"), version=version)
    context = {
        "matrix": shown,
        "active": active,
        "drawing": drawing(shown),
        "scales": [(_("Likelihood"), shown.likelihood), (_("Impact"), shown.impact)],
        "versions": selectors.matrix_versions(),
        "on_earlier": selectors.risks_on_earlier_versions(matrix=active),
        "may_revise": may_revise_matrix(request.user),
    }
    return render(request, "risks/matrix.html", context)


@login_required
def matrix_new(request):
    """GET: the active version's values to edit. POST "preview": the next version drawn, or what is
    wrong next to each field. POST "save": the next version, unless another was saved meanwhile."""
    if not may_revise_matrix(request.user):
        raise PermissionDenied
    active = services.matrix_ensure_default()
    if request.method != "POST":
        form = MatrixForm(matrix=active)
        return _editor(request, form, preview=None)
    form = MatrixForm(request.POST, matrix=active)
    if not form.is_valid():
        return _editor(request, form, preview=None, status=400)
    if "save" not in request.POST:
        return _editor(request, form, preview=form.preview())
    try:
        revised = services.matrix_revise(
            by=request.user, based_on=form.cleaned_data["based_on"], **form.draft()
        )
    except Conflict as error:
        # What was typed stays; saving again is a choice made knowing the newer version.
        newest = selectors.matrix_active()
        data = request.POST.copy()
        data["based_on"] = newest.version
        form = MatrixForm(data, matrix=newest)
        preview = form.preview() if form.is_valid() else None
        return _editor(request, form, preview=preview, conflict=error.detail, status=409)
    messages.success(
        request,
        _("Matrix v%(version)s is active. Risks keep the version they were scored on until re-scored.")
        % {"version": revised.version},
    )
    return redirect("risk-matrix-page")


def _editor(request, form: MatrixForm, *, preview: RiskMatrix | None, conflict: str = "", status: int = 200):
    context = {
        "form": form,
        "active": form.matrix,
        "preview": preview,
        "form_scales": [(_("Likelihood"), form.likelihood_rows()), (_("Impact"), form.impact_rows())],
        "drawing": drawing(preview or form.matrix),
        "conflict": conflict,
    }
    return render(request, "risks/matrix_form.html", context, status=status)
