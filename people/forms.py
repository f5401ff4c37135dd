"""Form pieces that name people."""

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe

from audit.selectors import last_entry
from core import shared_parts

# A kept list of people shows a change no audit entry covers (none should) within this long.
PEOPLE_SECONDS = 60
# The value the kept list is drawn with: no option has it.
NOBODY_CHOSEN = "\x00"


class PersonSelect(forms.Select):
    """A select naming everyone active (a risk's or an action's owner): its options are the same on
    every page as of the last audit entry, which every person added, renamed or deactivated writes.
    So it is rendered once for its name and attributes as of that entry, with no option chosen, and
    kept (core/shared_parts.py); each page marks its own value's option chosen, as Django does the
    first option with that value. Drawn anew, a few hundred people cost a risk's page more than all
    of its other forms together; kept by value, each risk's owner had a list of their own."""

    def render(self, name, value, attrs=None, renderer=None):
        stamp = (name, sorted(self.build_attrs(self.attrs, attrs).items()), last_entry())
        draw = super().render
        html = shared_parts.kept(
            __name__,
            stamp,
            lambda: draw(name, NOBODY_CHOSEN, attrs, renderer),
            seconds=PEOPLE_SECONDS,
            cache=shared_parts.PIECES,
        )
        chosen = escape(next(iter(self.format_value(value)), ""))
        return mark_safe(  # noqa: S308 - rendered by the widget's template; the value escaped
            html.replace(f'<option value="{chosen}">', f'<option value="{chosen}" selected>', 1)
        )
