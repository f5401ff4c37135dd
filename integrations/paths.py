"""JSONPath-style selectors for generic JSON: `$.data.dau`, `$.items[0].value`, `$['daily active']`."""

import re

from django.utils.translation import gettext as _

_STEP = re.compile(r"""\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[['"]([^'"]+)['"]\]""")


class NotFound(LookupError):
    pass


def path_steps(path: str) -> list[str | int]:
    """The steps of a selector; ValueError, saying what would be accepted, when it is not one."""
    text = path.strip()
    if text.startswith("$"):
        text = text[1:]
    elif text and not text.startswith(("[", ".")):
        text = "." + text
    steps: list[str | int] = []
    position = 0
    while position < len(text):
        match = _STEP.match(text, position)
        if not match:
            raise ValueError(
                _("Write a selector such as $.value, $.data.items[0].value or $['daily active'].")
            )
        name, index, quoted = match.groups()
        steps.append(int(index) if index is not None else (name or quoted))
        position = match.end()
    return steps


def path_read(value, steps: list[str | int]):
    for step in steps:
        found = (isinstance(step, int) and isinstance(value, list) and step < len(value)) or (
            isinstance(step, str) and isinstance(value, dict) and step in value
        )
        if not found:
            raise NotFound(step)
        value = value[step]
    return value
