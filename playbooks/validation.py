"""Every rule a playbook must keep, in one place, with errors that name the field at fault.

`playbook_validate(spec)` takes the contract's JSON shape and returns a `CleanPlaybook` ready to
write, or raises `InvalidPlaybook` whose detail mirrors the shape of the input, e.g.
{"tiers": {"1": {"starts_after": ["T2 must start at PT6H, where T1 ends."]}}}.
RACI entries name a team or a person by id (the API) or by slug / username (files).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from core.limits import INT_MAX, TEXT_MAX_LENGTH
from people.models import Team, User
from playbooks.durations import DurationError, duration_parse, duration_text
from playbooks.models import Playbook, RaciRole, Step, Tier

DEFAULT_TIERS = [
    {"key": "T1", "name": "Tier 1 · 一级响应", "starts_after": "PT0S", "ends_after": "PT6H"},
    {"key": "T2", "name": "Tier 2 · 二级响应", "starts_after": "PT6H", "ends_after": "PT48H"},
    {"key": "T3", "name": "Tier 3 · 三级响应", "starts_after": "PT48H", "ends_after": None},
]
RACI_LISTS = (RaciRole.RESPONSIBLE, RaciRole.CONSULTED, RaciRole.INFORMED)


class InvalidPlaybook(ValidationError):
    """A playbook spec that breaks a rule; `detail` names each field at fault. Nothing was written."""


@dataclass(frozen=True)
class CleanTier:
    key: str
    name: str
    starts_after: dt.timedelta
    ends_after: dt.timedelta | None


@dataclass(frozen=True)
class CleanRaci:
    role: str
    position: int
    team: Team | None
    user: User | None
    on_call: bool = False


@dataclass(frozen=True)
class CleanStep:
    tier_key: str
    order: int
    title: str
    instructions: str
    due_after: dt.timedelta
    escalate_after: dt.timedelta
    raci: list[CleanRaci]


@dataclass(frozen=True)
class CleanPlaybook:
    name: str
    description: str
    category: str
    tiers: list[CleanTier]
    steps: list[CleanStep]
    first_update_within: dt.timedelta | None = None


@dataclass
class Errors:
    tree: dict = field(default_factory=dict)

    def add(self, path: tuple, message: str) -> None:
        node = self.tree
        for part in path[:-1]:
            node = node.setdefault(str(part), {})
        node.setdefault(str(path[-1]), []).append(message)

    def at(self, path: tuple) -> bool:
        node = self.tree
        for part in path:
            if not isinstance(node, dict) or str(part) not in node:
                return False
            node = node[str(part)]
        return True


def playbook_validate(spec) -> CleanPlaybook:
    errors = Errors()
    if not isinstance(spec, dict):
        raise InvalidPlaybook(
            {"non_field_errors": [_("Expected a playbook: an object with a name, tiers and steps.")]}
        )
    name = _text(
        spec, "name", errors, ("name",), required=True, max_length=Playbook._meta.get_field("name").max_length
    )
    description = _text(spec, "description", errors, ("description",), max_length=TEXT_MAX_LENGTH)
    category = _text(
        spec, "category", errors, ("category",), max_length=Playbook._meta.get_field("category").max_length
    )
    first_update_within = _duration(
        spec, "first_update_within", errors, ("first_update_within",), nullable=True
    )
    if first_update_within is not None and first_update_within <= dt.timedelta(0):
        errors.add(("first_update_within",), _("Must be longer than zero."))
    tiers, broken = _tiers(spec.get("tiers"), errors)
    parties = _Parties(spec.get("steps"))
    steps = _steps(spec.get("steps"), {tier.key: tier for tier in tiers}, broken, parties, errors)
    if errors.tree:
        raise InvalidPlaybook(errors.tree)
    return CleanPlaybook(
        name=name,
        description=description,
        category=category,
        tiers=tiers,
        steps=steps,
        first_update_within=first_update_within,
    )


def _text(data: dict, key: str, errors: Errors, path: tuple, *, required=False, max_length=None) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(path, _("Must be text."))
        return ""
    value = value.strip()
    if required and not value:
        errors.add(path, _("This field is required."))
    if max_length and len(value) > max_length:
        errors.add(
            path, _("At most %(max)d characters, not %(count)d.") % {"max": max_length, "count": len(value)}
        )
    return value


def _duration(data: dict, key: str, errors: Errors, path: tuple, *, nullable=False) -> dt.timedelta | None:
    value = data.get(key)
    if value is None:
        if not nullable:
            errors.add(path, _("This field is required."))
        return None
    try:
        return duration_parse(value)
    except DurationError as error:
        errors.add(path, str(error))
        return None


def _tiers(raw, errors: Errors) -> tuple[list[CleanTier], set[str]]:
    """The tiers, and the keys of those whose window is in doubt (no further checks against them)."""
    if raw is None:
        raw = DEFAULT_TIERS
    if not isinstance(raw, list) or not raw:
        errors.add(("tiers",), _("At least one tier is required."))
        return [], set()
    tiers: list[CleanTier] = []
    broken: set[str] = set()
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        path = ("tiers", index)
        if not isinstance(item, dict):
            errors.add(path, _("Expected a tier: an object with key, name, starts_after and ends_after."))
            continue
        key = _text(
            item,
            "key",
            errors,
            (*path, "key"),
            required=True,
            max_length=Tier._meta.get_field("key").max_length,
        )
        name = _text(
            item,
            "name",
            errors,
            (*path, "name"),
            required=True,
            max_length=Tier._meta.get_field("name").max_length,
        )
        if key in seen:
            errors.add(
                (*path, "key"),
                _("Key %(key)s is already used by tier %(tier)d.") % {"key": key, "tier": seen[key] + 1},
            )
            broken.add(key)
        seen.setdefault(key, index)
        starts = _duration(item, "starts_after", errors, (*path, "starts_after"))
        ends = _duration(item, "ends_after", errors, (*path, "ends_after"), nullable=True)
        if starts is not None and ends is not None and ends <= starts:
            errors.add(
                (*path, "ends_after"),
                _("%(key)s must end after it starts (%(start)s).")
                % {"key": key, "start": duration_text(starts)},
            )
            broken.add(key)
        if starts is None or errors.at((*path, "ends_after")):
            broken.add(key)
        tiers.append(CleanTier(key=key, name=name, starts_after=starts, ends_after=ends))
    if len(tiers) == len(raw):
        _check_contiguous(tiers, broken, errors)
    return tiers, broken


def _check_contiguous(tiers: list[CleanTier], broken: set[str], errors: Errors) -> None:
    first = tiers[0]
    if first.starts_after is not None and first.starts_after != dt.timedelta(0):
        errors.add(
            ("tiers", 0, "starts_after"),
            _("The first tier, %(key)s, must start at PT0S.") % {"key": first.key},
        )
    for index, (previous, tier) in enumerate(zip(tiers, tiers[1:], strict=False), start=1):
        if previous.ends_after is None:
            if not errors.at(("tiers", index - 1, "ends_after")):
                errors.add(
                    ("tiers", index - 1, "ends_after"),
                    _("Only the last tier may be open-ended; %(key)s needs an end.") % {"key": previous.key},
                )
        elif (
            previous.key not in broken
            and tier.starts_after is not None
            and tier.starts_after != previous.ends_after
        ):
            where = duration_text(previous.ends_after)
            errors.add(
                ("tiers", index, "starts_after"),
                _("%(key)s must start at %(where)s, where %(previous)s ends.")
                % {"key": tier.key, "where": where, "previous": previous.key},
            )


class _Parties:
    """Teams and people named anywhere in the steps' RACI, looked up in two queries."""

    def __init__(self, steps):
        team_refs, user_refs = set(), set()
        for step in steps if isinstance(steps, list) else []:
            raci = step.get("raci") if isinstance(step, dict) else None
            for entry in _raci_entries(raci):
                if isinstance(entry, dict):
                    if _is_ref(entry.get("team")):
                        team_refs.add(entry["team"])
                    if _is_ref(entry.get("user")):
                        user_refs.add(entry["user"])
        self.teams = self._index(Team.objects.filter(_ref_filter(team_refs, "slug")), "slug")
        self.users = self._index(User.objects.filter(_ref_filter(user_refs, "username")), "username")

    @staticmethod
    def _index(queryset, name_field: str) -> dict:
        index = {}
        for row in queryset:
            index[row.pk] = row
            index[getattr(row, name_field)] = row
        return index


def _is_ref(value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value != ""
    )


def _ref_filter(refs: set, name_field: str) -> Q:
    ids = [ref for ref in refs if isinstance(ref, int)]
    names = [ref for ref in refs if isinstance(ref, str)]
    return Q(pk__in=ids) | Q(**{f"{name_field}__in": names})


def _raci_entries(raci) -> list:
    if not isinstance(raci, dict):
        return []
    entries = []
    for role in RACI_LISTS:
        if isinstance(raci.get(role), list):
            entries += raci[role]
    entries.append(raci.get(RaciRole.ACCOUNTABLE))
    return entries


def _steps(
    raw, tiers: dict[str, CleanTier], broken: set[str], parties: _Parties, errors: Errors
) -> list[CleanStep]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.add(("steps",), _("Expected a list of steps."))
        return []
    steps = []
    orders: dict[tuple[str, int], int] = {}
    for index, item in enumerate(raw):
        path = ("steps", index)
        if not isinstance(item, dict):
            errors.add(path, _("Expected a step: an object with tier, order, title, due_after and raci."))
            continue
        tier_key = item.get("tier")
        tier = tiers.get(tier_key) if isinstance(tier_key, str) else None
        if tier is None and tiers:
            known = ", ".join(tiers)
            errors.add(
                (*path, "tier"),
                _("No tier %(key)s; the tiers are %(known)s.")
                % {"key": tier_key or "(none)", "known": known},
            )
        order = item.get("order")
        if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= INT_MAX:
            errors.add((*path, "order"), _("Give a whole number from 1 to %(max)d.") % {"max": INT_MAX})
        elif tier is not None:
            if (tier.key, order) in orders:
                first = orders[(tier.key, order)]
                errors.add(
                    (*path, "order"),
                    _("Order %(order)s in %(tier)s is already used by step %(step)d.")
                    % {"order": order, "tier": tier.key, "step": first + 1},
                )
            orders.setdefault((tier.key, order), index)
        title = _text(
            item,
            "title",
            errors,
            (*path, "title"),
            required=True,
            max_length=Step._meta.get_field("title").max_length,
        )
        instructions = _text(
            item, "instructions", errors, (*path, "instructions"), max_length=TEXT_MAX_LENGTH
        )
        due = _duration(item, "due_after", errors, (*path, "due_after"))
        escalate = _duration(item, "escalate_after", errors, (*path, "escalate_after"))
        if escalate is not None and escalate <= dt.timedelta(0):
            errors.add((*path, "escalate_after"), _("Escalation needs a delay longer than zero."))
        if due is not None and tier is not None and tier.key not in broken and tier.ends_after is not None:
            length = tier.ends_after - tier.starts_after
            if due > length:
                errors.add(
                    (*path, "due_after"),
                    _("Due %(due)s after %(tier)s starts, but %(tier)s lasts only %(length)s.")
                    % {"due": duration_text(due), "tier": tier.key, "length": duration_text(length)},
                )
        raci = _raci(item.get("raci"), parties, errors, (*path, "raci"))
        steps.append(
            CleanStep(
                tier_key=tier.key if tier else "",
                order=order if isinstance(order, int) else 0,
                title=title,
                instructions=instructions,
                due_after=due,
                escalate_after=escalate,
                raci=raci,
            )
        )
    return steps


def _raci(raw, parties: _Parties, errors: Errors, path: tuple) -> list[CleanRaci]:
    if not isinstance(raw, dict):
        errors.add(path, _("Expected RACI: responsible, accountable, consulted and informed."))
        return []
    clean = []
    for role in RACI_LISTS:
        entries = raw.get(role) or []
        if not isinstance(entries, list):
            errors.add((*path, role), _("Expected a list of teams or people."))
            continue
        if role == RaciRole.RESPONSIBLE and not entries:
            errors.add((*path, role), _("At least one Responsible is required."))
        clean += _parties(role, entries, parties, errors, (*path, role))
    accountable = raw.get(RaciRole.ACCOUNTABLE)
    if isinstance(accountable, list):
        accountable = accountable[0] if len(accountable) == 1 else None
    if not accountable:
        errors.add((*path, RaciRole.ACCOUNTABLE), _("Exactly one Accountable is required."))
    else:
        party = _party(accountable, parties, errors, (*path, RaciRole.ACCOUNTABLE))
        if party:
            clean.append(CleanRaci(RaciRole.ACCOUNTABLE, 0, *party))
    return clean


def _parties(role: str, entries: list, parties: _Parties, errors: Errors, path: tuple) -> list[CleanRaci]:
    clean, seen = [], set()
    for position, entry in enumerate(entries):
        party = _party(entry, parties, errors, (*path, position))
        if party is None:
            continue
        if party in seen:
            errors.add((*path, position), _("%(party)s is named twice.") % {"party": _party_text(*party)})
        seen.add(party)
        clean.append(CleanRaci(role, position, *party))
    return clean


def _party_text(team: Team | None, user: User | None, on_call: bool) -> str:
    if on_call:
        return _("On call: {team}").format(team=team)
    return str(team or user)


def _party(
    entry, parties: _Parties, errors: Errors, path: tuple
) -> tuple[Team | None, User | None, bool] | None:
    """(team, None, on call?) or (None, person, False) for {"team": …}, {"team": …, "on_call": true}
    (the team's on-call person) or {"user": …}."""
    if not isinstance(entry, dict) or entry.keys() not in ({"team"}, {"user"}, {"team", "on_call"}):
        errors.add(
            path,
            'Name one team, one person or a team\'s on-call person: {"team": …}, {"user": …} '
            'or {"team": …, "on_call": true}.',
        )
        return None
    if "team" in entry:
        team = parties.teams.get(entry["team"]) if _is_ref(entry["team"]) else None
        if team is None:
            errors.add((*path, "team"), _("No team %(team)r.") % {"team": entry["team"]})
            return None
        on_call = entry.get("on_call", False)
        if not isinstance(on_call, bool):
            errors.add((*path, "on_call"), _("Expected true or false."))
            return None
        return team, None, on_call
    user = parties.users.get(entry["user"]) if _is_ref(entry["user"]) else None
    if user is None:
        errors.add((*path, "user"), _("No person %(user)r.") % {"user": entry["user"]})
        return None
    if not user.is_active:
        errors.add((*path, "user"), _("%(user)s is no longer active.") % {"user": user.username})
        return None
    return None, user, False
