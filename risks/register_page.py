"""The register's table: its filters, its rows and its pager, each kept by what it shows.

The table is kept whole for everyone asking the same page of the same filters as of the last audit
entry (core/shared_parts.py). Another page, or the first reader after a change, renders it from
pieces kept apart: the filter form, the same for every page of the same filters (its owner list
names everyone), and each row, kept by every value its risk was read with, its category's label,
its owner's name and whether its review is overdue now. A change to one risk renders one row anew.
"""

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString

from core import shared_parts
from risks import selectors
from risks.filters import RegisterFilterForm
from risks.models import Risk, RiskStatus
from risks.selectors import RegisterFilters

PAGE_SIZE = 50
# The register's table and its pieces are kept at most this long: a review falling due shows as
# overdue within it.
SECONDS = 60


def table(request, audited: int | None) -> SafeString:
    query = request.GET
    return shared_parts.render_part(
        request,
        "risks/register_table.html",
        (query.urlencode(), audited),
        lambda: _table(query, audited),
        seconds=SECONDS,
    )


def _table(query: QueryDict, audited: int | None) -> dict:
    form = RegisterFilterForm(query)
    filters = form.register_filters() if form.is_valid() else RegisterFilters()
    page = Paginator(selectors.RegisterRows(selectors.risk_list(filters=filters)), PAGE_SIZE).get_page(
        query.get("page")
    )
    now = timezone.now()
    return {
        "filters": _filters(form, query, audited),
        "page": page,
        "rows": [_row(risk, now) for risk in page],
        "sort": _sort_links(filters.ordering),
        "query": query,
    }


def _filters(form: RegisterFilterForm, query: QueryDict, audited: int | None) -> SafeString:
    """The filter form, kept for every page of the same filters as of the last audit entry (which
    a person or a category added or renamed writes)."""
    filters = query.copy()
    filters.pop("page", None)
    return shared_parts.kept_piece(
        "risks/register_filters.html", (filters.urlencode(), audited), lambda: {"form": form}, seconds=SECONDS
    )


def _row(risk: Risk, now) -> SafeString:
    overdue = risk.status == RiskStatus.OPEN and risk.next_review_at < now
    read = tuple(value for name, value in vars(risk).items() if name != "_state")
    stamp = (read, risk.category.label, str(risk.owner), overdue)
    return shared_parts.kept_piece(
        "risks/register_row.html", stamp, lambda: {"risk": risk, "overdue": overdue}, seconds=SECONDS
    )


def _sort_links(current: str) -> dict[str, str]:
    """Per column, the ordering its header link asks for: ascending, or descending when already so."""
    return {key: f"-{key}" if current == key else key for key in selectors.ORDERINGS}
