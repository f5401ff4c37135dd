"""The navigation bar: which pages each person is shown, by the apps' own permission predicates."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.permissions import may_administer, may_see_everything
from integrations.permissions import may_manage_integrations
from live.permissions import may_watch_dashboard
from people.models import Role


def everyone(user) -> bool:
    return True


def integrations_in_the_bar(user) -> bool:
    """Risk officers set up integrations; administrators reach them from their landing page's
    setup links, which keeps their longer bar on one line at a desk."""
    return may_manage_integrations(user) and not user.is_admin


def works_tasks(user) -> bool:
    """Executives are told and watch; everyone else may hold tasks."""
    return user.is_admin or user.role != Role.EXECUTIVE


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    shown_to: Callable = everyone


# In the order shown. A page that is not routed yet is simply left out.
ITEMS = [
    NavItem("home", _("Home")),
    NavItem("dashboard", _("Dashboard"), may_watch_dashboard),
    NavItem("incident-list", _("Incidents")),
    NavItem("my-tasks", _("My tasks"), works_tasks),
    NavItem("teams", _("Teams")),
    NavItem("oncall-list", _("On call")),
    NavItem("risk-list", _("Risk register")),
    NavItem("heatmap", _("Heat map")),
    NavItem("kri-list", pgettext_lazy("navigation", "KRIs")),  # short, so the bar fits on one line
    NavItem("playbook-list", _("Playbooks")),
    NavItem("integration-list", _("Integrations"), integrations_in_the_bar),
    NavItem("analytics", _("Analytics"), may_see_everything),
    NavItem("api-docs", _("API")),
    NavItem("admin:index", _("Administration"), may_administer),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    urls = _routed(get_script_prefix())
    return {
        "nav_items": [
            {"url": urls[item.url_name], "label": item.label, "active": request.path == urls[item.url_name]}
            for item in ITEMS
            if item.url_name in urls and item.shown_to(user)
        ]
    }


@functools.cache
def _routed(script_prefix: str) -> dict[str, str]:
    """Each item's address, found once (on every page it cost a dozen URL reversals)."""
    urls = {}
    for item in ITEMS:
        try:
            urls[item.url_name] = reverse(item.url_name)
        except NoReverseMatch:
            continue
    return urls
