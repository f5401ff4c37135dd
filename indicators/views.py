"""The KRI pages: the list with each KRI's band, and a KRI with its chart, breaches, risks and incidents."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from indicators import selectors
from indicators.chart import chart_of
from indicators.models import KRI


@login_required
def kri_list(request):
    now = timezone.now()
    kris = list(selectors.kri_list())
    return render(
        request,
        "indicators/list.html",
        {"kris": [(kri, selectors.kri_reading_overdue(kri=kri, now=now)) for kri in kris]},
    )


@login_required
def kri_detail(request, pk: int):
    try:
        kri = selectors.kri_get(kri_id=pk)
    except KRI.DoesNotExist:
        raise Http404 from None
    readings = selectors.kri_recent_readings(kri=kri)
    breaches = list(selectors.kri_breaches(kri=kri)[:50])
    return render(
        request,
        "indicators/detail.html",
        {
            "kri": kri,
            "chart": chart_of(kri=kri, readings=readings),
            "readings": list(reversed(readings))[:20],
            "breaches": breaches,
            "incidents": [breach.incident for breach in breaches if breach.incident],
            "overdue": selectors.kri_reading_overdue(kri=kri),
        },
    )
