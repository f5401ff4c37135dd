"""The integration pages (risk officers and administrators): the list, a new or changed
integration, and one integration with where to post, its maintenance windows and its deliveries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrations import selectors, services
from integrations.forms import IntegrationForm, MaintenanceWindowForm
from integrations.models import Integration
from integrations.permissions import may_manage_integrations

# The form's name of a field the services name otherwise.
FORM_FIELD = {"ping_every": "ping_every_minutes"}
# The session key holding a token just made, shown once on the integration's page.
NEW_TOKEN = "integration-token"


def _manager(request) -> None:
    if not may_manage_integrations(request.user):
        raise PermissionDenied(_("Only risk officers and administrators set up integrations."))


def _integration(pk: int) -> Integration:
    try:
        return selectors.integration_get(integration_id=pk)
    except Integration.DoesNotExist:
        raise Http404 from None


def _refusal_onto(form, error: ValidationError) -> None:
    """The services' refusal next to each field it names (the others above the form)."""
    for field, errors in error.message_dict.items():
        field = FORM_FIELD.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _show_token_once(request, integration: Integration, token: str) -> None:
    request.session[NEW_TOKEN] = {"integration": integration.pk, "token": token}


@login_required
def integration_list(request):
    _manager(request)
    return render(request, "integrations/list.html", {"integrations": selectors.integration_list()})


def _save(request, form: IntegrationForm, integration: Integration | None):
    try:
        if integration is None:
            saved, token = services.integration_create(by=request.user, **form.values())
            _show_token_once(request, saved, token)
            return saved
        return services.integration_update(integration=integration, by=request.user, changes=form.values())
    except ValidationError as error:
        _refusal_onto(form, error)
        return None


@login_required
def integration_create(request):
    _manager(request)
    form = IntegrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form, None)):
        return redirect("integration-detail", pk=saved.pk)
    return render(request, "integrations/form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def integration_edit(request, pk: int):
    _manager(request)
    integration = _integration(pk)
    form = IntegrationForm(request.POST or None, instance=integration)
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form, _integration(pk))):
        messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
        return redirect("integration-detail", pk=saved.pk)
    context = {"form": form, "integration": integration}
    return render(request, "integrations/form.html", context, status=400 if form.errors else 200)


@login_required
def integration_detail(request, pk: int, window_form: MaintenanceWindowForm | None = None):
    _manager(request)
    integration = _integration(pk)
    now = timezone.now()
    shown = request.session.get(NEW_TOKEN)
    token = None
    if shown and shown["integration"] == integration.pk:
        token = request.session.pop(NEW_TOKEN)["token"]
    context = {
        "integration": integration,
        "token": token,
        "alerts_url": request.build_absolute_uri(reverse("api-integration-alerts", args=[integration.pk])),
        "windows": selectors.maintenance_windows_current_and_coming(integration=integration, now=now),
        "window_form": window_form or MaintenanceWindowForm(),
        "deliveries": selectors.deliveries_of(integration=integration)[: selectors.RECENT_DELIVERIES],
        "now": now,
    }
    return render(request, "integrations/detail.html", context, status=400 if window_form else 200)


@login_required
@require_POST
def integration_reset_token(request, pk: int):
    _manager(request)
    integration, token = services.integration_reset_token(integration=_integration(pk), by=request.user)
    _show_token_once(request, integration, token)
    return redirect("integration-detail", pk=pk)


@login_required
@require_POST
def maintenance_window_add(request, pk: int):
    _manager(request)
    integration = _integration(pk)
    form = MaintenanceWindowForm(request.POST)
    if form.is_valid():
        try:
            services.maintenance_window_add(
                integration=integration, by=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            _refusal_onto(form, error)
        else:
            messages.success(request, _("The maintenance window is set."))
            return redirect("integration-detail", pk=pk)
    return integration_detail(request, pk, window_form=form)
