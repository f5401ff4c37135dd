"""The register's cells as people write them and as they read them.

Read: a category, person, playbook or choice by its key or by its name in either language; a
rating by its number or its label ("3", "Possible", "3 · 可能"); a date as office programs write
it, in the time zone of the person importing. Shown: the same names in the reader's language, dates
in the reader's time zone — or, for a round trip by a script, the keys.
"""

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.limits import INT_MAX, check_instant
from people.models import User
from playbooks.models import Playbook, PlaybookStatus
from risks.models import Category, Level, RiskStatus, Source, Treatment, in_current_language

CHOICES = {"source": Source, "treatment": Treatment, "status": RiskStatus}
LEVEL_COLUMNS = {"level", "residual_level", "target_level"}


def names_of(rows) -> dict[str, int]:
    """Each row's id under every name people know it by, case-folded: a key or username first, then
    its labels in both languages, or a person's "first last" and "lastfirst" (as Chinese names are
    written). A name two rows share belongs to neither."""
    names: dict[str, int] = {}
    shared = set()
    for pk, key, *labels in rows:
        if len(labels) == 2 and labels[0] and labels[1] and labels[0] != labels[1]:
            labels = [*labels, f"{labels[0]} {labels[1]}", f"{labels[1]}{labels[0]}"]
        for name in {key, *labels}:
            folded = (name or "").strip().casefold()
            if not folded:
                continue
            if names.get(folded, pk) != pk and name != key:
                shared.add(folded)
            names.setdefault(folded, pk)
    return {name: pk for name, pk in names.items() if name not in shared}


def known(raw: str, names: dict[str, int], unknown: Callable[[str], str]) -> int:
    if raw.casefold() not in names:
        raise ValueError(unknown(raw))
    return names[raw.casefold()]


@functools.cache
def _choice_names(choices) -> dict[str, str]:
    """Each choice's value under its key and its label in both languages, case-folded."""
    names = {}
    for value, label in choices.choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names[str(label).casefold()] = value
        names[value] = value
    return names


def choice(raw: str, choices) -> str:
    """A choice by its key or its label in either language."""
    if (value := _choice_names(choices).get(raw.casefold())) is None:
        accepted = ", ".join(f"{key} ({label})" for key, label in choices.choices)
        raise ValueError(_("One of: %s.") % accepted)
    return value


def whole(raw: str, *, required: bool, maximum: int = INT_MAX) -> int | None:
    if not raw:
        if required:
            raise ValueError(_("Required."))
        return None
    if not raw.isascii() or not raw.isdigit():
        raise ValueError(_("“%s” is not a whole number.") % raw)
    if int(raw) > maximum:
        raise ValueError(_("At most %(max)d.") % {"max": maximum})
    return int(raw)


def step_label(step: dict) -> str:
    """A step of a matrix scale as the pages offer it: "3 · Possible"."""
    return f"{step['value']} · {in_current_language(step['label_en'], step['label_zh'])}"


def rating(raw: str, scale: list[dict]) -> int | None:
    """A step of a matrix scale by its number, its label in either language, or both ("3 · 可能")."""
    if not raw or (raw.isascii() and raw.isdigit()):
        return whole(raw, required=False)
    names = {}
    for step in scale:
        for label in (step["label_en"], step["label_zh"]):
            names[label.casefold()] = names[f"{step['value']} · {label}".casefold()] = step["value"]
    if (value := names.get(raw.casefold())) is None:
        raise ValueError(_("One of: %s.") % ", ".join(step_label(step) for step in scale))
    return value


# Besides ISO 8601, what office programs write: 2026/12/31, 2026.12.31, with or without a time.
OFFICE_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d %H:%M", "%Y.%m.%d", "%Y-%m-%d")
# How a file shows a time to people: as the pages do, to the minute, in the reader's time zone.
SHOWN_MOMENT = "%Y-%m-%d %H:%M"


def _office_moment(raw: str) -> dt.datetime | None:
    try:
        if moment := parse_datetime(raw):
            return moment
    except ValueError:
        pass
    for layout in OFFICE_FORMATS:
        try:
            return dt.datetime.strptime(raw, layout)
        except ValueError:
            continue
    return None


def moment(raw: str) -> dt.datetime | None:
    """A date and time; one written without an offset is in the importing person's time zone."""
    if not raw:
        return None
    value = _office_moment(raw)
    if value is None:
        raise ValueError(_("“%s” is not a date (2026-12-31, 2026/12/31, optionally with 09:30).") % raw)
    value = value if timezone.is_aware(value) else timezone.make_aware(value)
    try:
        check_instant(value)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return value


@dataclass(frozen=True)
class PlaybookRow:
    name: str
    lineage: uuid.UUID
    version: int
    status: str


@dataclass
class Names:
    """What the register's ids are called: categories, people and playbooks, read once per file."""

    categories: dict[int, tuple[str, str, str]]  # key, English label, Chinese label
    category_of: dict[str, int]
    people: dict[int, tuple[str, str]]  # username, the name a file gives the person
    person_of: dict[str, int]
    playbooks: dict[int, PlaybookRow]

    @classmethod
    def load(cls) -> "Names":
        categories = {
            pk: (key, english, chinese)
            for pk, key, english, chinese in Category.objects.values_list("id", "key", "label_en", "label_zh")
        }
        everyone = list(User.objects.values_list("id", "username", "first_name", "last_name", "is_active"))
        person_of = names_of(row[:4] for row in everyone if row[4])
        people = {}
        for pk, username, first, last, _active in everyone:
            # The name the register shows, when it names this person alone; else the username.
            name = f"{first} {last}".strip()
            people[pk] = (username, name if name and person_of.get(name.casefold()) == pk else username)
        fields = ("id", "name", "lineage", "version", "status")
        playbooks = {pk: PlaybookRow(*rest) for pk, *rest in Playbook.objects.values_list(*fields)}
        return cls(
            categories=categories,
            category_of=names_of((pk, *labels) for pk, labels in categories.items()),
            people=people,
            person_of=person_of,
            playbooks=playbooks,
        )

    def category_list(self) -> str:
        rows = self.categories.values()
        return ", ".join(f"{key} ({english} / {chinese})" for key, english, chinese in rows)

    def playbook(self, raw: str, *, current: int | None) -> int | None:
        """A playbook by its number, its name and version ("… v2"), or its name: the version the risk
        links to already, else the published one, else the newest."""
        if not raw:
            return None
        if raw.isascii() and raw.isdigit():
            if int(raw) not in self.playbooks:
                raise ValueError(_("Unknown playbook %s.") % raw)
            return int(raw)
        folded = raw.casefold()
        for pk, row in self.playbooks.items():
            if f"{row.name} v{row.version}".casefold() == folded:
                return pk
        named = {pk: row for pk, row in self.playbooks.items() if row.name.casefold() == folded}
        if not named:
            raise ValueError(_("Unknown playbook %s.") % raw)
        if len(self._plans_named[folded]) > 1:
            raise ValueError(_("Several playbooks are called “%s”: give the playbook's number.") % raw)
        if current in named:
            return current
        published = [pk for pk, row in named.items() if row.status == PlaybookStatus.PUBLISHED]
        return published[0] if published else max(named, key=lambda pk: named[pk].version)

    @functools.cached_property
    def _plans_named(self) -> dict[str, set[uuid.UUID]]:
        """The plans (lineages) under each playbook name, case-folded."""
        plans: dict[str, set[uuid.UUID]] = {}
        for row in self.playbooks.values():
            plans.setdefault(row.name.casefold(), set()).add(row.lineage)
        return plans

    def playbook_names(self) -> list[str]:
        """The names that each name one plan (all its versions): what a file may give."""
        names = {
            row.name for row in self.playbooks.values() if len(self._plans_named[row.name.casefold()]) == 1
        }
        return sorted(names, key=str.casefold)

    def _playbook_name(self, pk: int) -> str:
        """A playbook's name; with its version when another plan has the same name."""
        row = self.playbooks[pk]
        return row.name if len(self._plans_named[row.name.casefold()]) == 1 else f"{row.name} v{row.version}"

    def shown(self, column: str, value):
        """A value as people read it: names and labels in the reader's language, a time in their
        time zone (to the minute), numbers as numbers; None for an empty cell."""
        if value is None or value == "":
            return _("Not rated") if column == "level" else None
        if column == "category":
            key, english, chinese = self.categories[value]
            label = in_current_language(english, chinese)
            return label if self.category_of.get(label.casefold()) == value else key
        if column == "owner":
            return self.people[value][1]
        if column == "playbook":
            return self._playbook_name(value)
        if column in CHOICES:
            return str(CHOICES[column](value).label)
        if column in LEVEL_COLUMNS:
            return str(Level(value).label)
        if column == "above_appetite":
            return _("Yes") if value else _("No")
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).replace(tzinfo=None, second=0, microsecond=0)
        return value

    def key(self, column: str, value):
        """A value as a script reads it: keys, usernames, playbook numbers, times in UTC."""
        if value is None:
            return None
        if column == "category":
            return self.categories[value][0]
        if column == "owner":
            return self.people[value][0]
        if column == "above_appetite":
            return "true" if value else "false"
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat()
        return value
