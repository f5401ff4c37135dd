"""The review page: /incidents/<id>/review/ (read by everyone who sees the incident)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from reviews import selectors
from reviews.models import Review


@login_required
def review_page(request, incident_id: int):
    try:
        review = selectors.review_get(user=request.user, incident_id=incident_id)
    except Review.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "reviews/review.html",
        {
            "review": review,
            "incident": review.incident,
            "steps": selectors.on_time_record(incident=review.incident),
            "may_write": selectors.may_write_review(request.user, review.incident),
        },
    )
