"""The review page: /incidents/<id>/review/ (everyone who sees the incident reads it; its writers write)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reviews import selectors, services
from reviews.models import Review
from reviews.services.lifecycle import TEXT_FIELDS
from riskops.api_errors import InvalidTransition


@login_required
def review_page(request, incident_id: int):
    try:
        review = selectors.review_get(user=request.user, incident_id=incident_id)
    except Review.DoesNotExist as missing:
        raise Http404 from missing
    may_write = selectors.may_write_review(request.user, review.incident)
    errors = {}
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        try:
            _save(request, incident_id)
            return redirect("incident-review", incident_id=incident_id)
        except ValidationError as error:
            errors = error.message_dict
        except InvalidTransition as error:
            messages.error(request, error.detail)
            return redirect("incident-review", incident_id=incident_id)
    return render(
        request,
        "reviews/review.html",
        {
            "review": review,
            "incident": review.incident,
            "steps": selectors.on_time_record(incident=review.incident),
            "may_write": may_write and review.status == "open",
            "whys": (review.whys + [""] * 5)[:5],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _save(request, incident_id: int) -> None:
    changes = {field: request.POST.get(field, "").strip() for field in TEXT_FIELDS}
    changes["whys"] = [why.strip() for why in request.POST.getlist("whys") if why.strip()]
    services.review_update(incident_id=incident_id, by=request.user, changes=changes)
    if "complete" in request.POST:
        services.review_complete(incident_id=incident_id, by=request.user)
        messages.success(request, _("The review is complete: the incident may now be closed."))
