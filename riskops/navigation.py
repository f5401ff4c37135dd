"""The navigation bar: which pages each kind of user is shown."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.models import Role

EVERYONE = frozenset(Role.values)


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    roles: frozenset = EVERYONE


# In the order shown. A page that is not routed yet is simply left out.
ITEMS = [
    NavItem("home", _("Home")),
    NavItem("dashboard", _("Dashboard"), frozenset({Role.EXECUTIVE, Role.ADMIN, Role.RISK_OFFICER})),
    NavItem("incident-list", _("Incidents")),
    NavItem("my-tasks", _("My tasks"), frozenset({Role.RESPONDER, Role.RISK_OFFICER, Role.ADMIN})),
    NavItem("risk-list", _("Risk register")),
    NavItem("heatmap", _("Heat map")),
    NavItem("kri-list", pgettext_lazy("navigation", "KRIs")),  # short, so the bar fits on one line
    NavItem("playbook-list", _("Playbooks")),
    NavItem("analytics", _("Analytics"), frozenset({Role.EXECUTIVE, Role.ADMIN, Role.RISK_OFFICER})),
    NavItem("api-docs", _("API")),
    NavItem("admin:index", _("Administration"), frozenset({Role.ADMIN})),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    role = Role.ADMIN if user.is_admin else user.role
    items = []
    for item in ITEMS:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": item.label, "active": request.path == url})
    return {"nav_items": items}
