"""The KRI pages: the list with each KRI's band; a KRI with its chart (each point's colour
explained), breaches, risks, incidents and a reading entered by hand; a KRI set up or edited.
Each checks permission (indicators/permissions.py), validates a form and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators import selectors, services
from indicators.chart import chart_of
from indicators.examples import EXAMPLE_BY_KEY, EXAMPLES
from indicators.forms import KRIForm, ReadingForm
from indicators.models import KRI
from indicators.permissions import may_record_readings, may_set_up_kris
from indicators.reasons import reading_reasons


def _kri(pk: int) -> KRI:
    try:
        return selectors.kri_get(kri_id=pk)
    except KRI.DoesNotExist:
        raise Http404 from None


def _setter(request) -> None:
    if not may_set_up_kris(request.user):
        raise PermissionDenied


@login_required
def kri_list(request):
    now = timezone.now()
    kris = list(selectors.kri_list())
    return render(
        request,
        "indicators/list.html",
        {
            "kris": [(kri, selectors.kri_reading_overdue(kri=kri, now=now)) for kri in kris],
            "may_set_up": may_set_up_kris(request.user),
        },
    )


def _detail(request, kri: KRI, *, reading_form: ReadingForm | None = None, status: int = 200):
    now = timezone.now()
    earlier, readings = selectors.kri_chart_readings(kri=kri)
    for reading, reason in zip(
        readings, reading_reasons(kri=kri, readings=readings, earlier=earlier), strict=True
    ):
        reading.reason = reason
    breaches = list(selectors.kri_breaches(kri=kri)[:50])
    may_record = may_record_readings(request.user, kri)
    return render(
        request,
        "indicators/detail.html",
        {
            "kri": kri,
            "chart": chart_of(kri=kri, readings=readings),
            "readings": list(reversed(readings))[:20],
            "breaches": breaches,
            "incidents": [breach.incident for breach in breaches if breach.incident],
            "overdue": selectors.kri_reading_overdue(kri=kri, now=now),
            "may_set_up": may_set_up_kris(request.user),
            "reading_form": (reading_form or ReadingForm(initial=ReadingForm.initial_at(now)))
            if may_record
            else None,
        },
        status=status,
    )


@login_required
def kri_detail(request, pk: int):
    return _detail(request, _kri(pk))


@login_required
@require_POST
def reading_enter(request, pk: int):
    kri = _kri(pk)
    if not may_record_readings(request.user, kri):
        raise PermissionDenied
    form = ReadingForm(request.POST)
    if form.is_valid():
        now = timezone.now()
        try:
            result = services.reading_enter(
                kri=kri,
                by=request.user,
                value=form.cleaned_data["value"],
                measured_at=form.cleaned_data["measured_at"] or now,
                note=form.cleaned_data["note"],
                now=now,
            )
        except services.ReadingsRejected as rejected:
            for field, errors in rejected.errors[0].items():
                form.add_error(field, errors)
        else:
            reading = result.reading
            messages.success(
                request,
                _("Reading recorded: %(value)s %(unit)s · %(band)s")
                % {"value": f"{reading.value:g}", "unit": kri.unit, "band": reading.get_band_display()},
            )
            return redirect("kri-detail", pk=kri.pk)
    return _detail(request, kri, reading_form=form, status=400)


def _save(request, form: KRIForm, kri: KRI | None) -> KRI | None:
    """Calls the service; returns the KRI, or None with the refusal put on the form's fields."""
    settings = form.kri_settings()
    try:
        if kri is None:
            return services.kri_create(by=request.user, **settings)
        return services.kri_update(kri=kri, by=request.user, changes=settings)
    except ValidationError as error:
        refusal = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, errors in refusal.items():
            form.add_error(field if field in form.fields else None, errors)
    return None


def _form_page(request, form: KRIForm, *, kri: KRI | None = None, chosen: str = ""):
    examples = [
        (example, KRI(**{name: example.settings[name] for name in ("direction", "amber", "red", "rule")}))
        for example in EXAMPLES
    ]
    context = {
        "form": form,
        "kri": kri,
        "examples": examples,
        "chosen": chosen,
        "rule_kri": form.rule_preview(),
    }
    return render(request, "indicators/form.html", context, status=400 if form.is_bound else 200)


@login_required
def kri_create(request):
    _setter(request)
    example = EXAMPLE_BY_KEY.get(request.GET.get("example", ""))
    initial = {"owner": request.user.pk, **(KRIForm.initial_for(example.settings) if example else {})}
    form = KRIForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and (kri := _save(request, form, None)):
        messages.success(request, _("%(name)s is set up.") % {"name": kri.shown_name})
        return redirect("kri-detail", pk=kri.pk)
    return _form_page(request, form, chosen=example.key if example else "")


@login_required
def kri_edit(request, pk: int):
    _setter(request)
    kri = _kri(pk)
    settings = KRIForm.settings_of(kri)
    form = KRIForm(request.POST or None, initial=KRIForm.initial_for(settings), linked=settings["risks"])
    if request.method == "POST" and form.is_valid() and (saved := _save(request, form, kri)):
        messages.success(request, _("%(name)s is saved.") % {"name": saved.shown_name})
        return redirect("kri-detail", pk=saved.pk)
    return _form_page(request, form, kri=kri)


@login_required
def rule_words(request):
    """The rule the KRI form holds, in words: the form's page asks as the fields change."""
    return render(request, "indicators/_rule_preview.html", {"rule_kri": KRIForm(request.GET).rule_preview()})
