"""Form pieces that name people."""

from django import forms
from django.utils.safestring import mark_safe

from audit.selectors import last_entry
from core import shared_parts

# A kept list of people shows a change no audit entry covers (none should) within this long.
PEOPLE_SECONDS = 60


class PersonSelect(forms.Select):
    """A select naming everyone active (a risk's or an action's owner): its options are the same on
    every page as of the last audit entry, which every person added, renamed or deactivated writes.
    So it is rendered once for its name, attributes and value as of that entry, and kept
    (core/shared_parts.py): drawn anew, a few hundred people cost a risk's page more than all of
    its other forms together."""

    def render(self, name, value, attrs=None, renderer=None):
        stamp = (name, str(value), sorted(self.build_attrs(self.attrs, attrs).items()), last_entry())
        draw = super().render
        html = shared_parts.kept(
            __name__,
            stamp,
            lambda: draw(name, value, attrs, renderer),
            seconds=PEOPLE_SECONDS,
            cache=shared_parts.PIECES,
        )
        return mark_safe(html)  # noqa: S308 - rendered by the widget's template
