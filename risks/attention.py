"""What the register asks people to look at: reviews overdue, risks above appetite and risks whose
acceptance lapsed, each with the link to the register filtered to all of them."""

import datetime as dt

from django.urls import reverse
from django.utils.http import urlencode

from core.shortlist import SHOWN, Shortlist
from risks.models import AcceptanceState
from risks.selectors import RegisterFilters, risk_list


def _register_url(**query) -> str:
    return f"{reverse('risk-list')}?{urlencode(query)}"


def reviews_overdue(*, now: dt.datetime, shown: int = SHOWN) -> Shortlist:
    overdue = risk_list(filters=RegisterFilters(review_overdue=True, ordering="next_review_at"), now=now)
    return Shortlist.of(overdue, _register_url(review_overdue="on", ordering="next_review_at"), shown=shown)


def above_appetite(*, now: dt.datetime, shown: int = SHOWN) -> Shortlist:
    above = risk_list(filters=RegisterFilters(above_appetite=True, ordering="-score"), now=now)
    return Shortlist.of(above, _register_url(above_appetite="on", ordering="-score"), shown=shown)


def treatment_to_decide(*, now: dt.datetime, shown: int = SHOWN) -> Shortlist:
    """Risks whose acceptance lapsed, the treatment not decided again yet."""
    lapsed = risk_list(filters=RegisterFilters(acceptance=AcceptanceState.LAPSED), now=now)
    return Shortlist.of(lapsed, _register_url(acceptance=AcceptanceState.LAPSED), shown=shown)
