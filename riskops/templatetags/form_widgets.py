"""Form widgets written by one template each (templates/django/forms/widgets/): Django's own
include a template for every widget's attributes and another two for every option, which made
forms most of a risk page's rendering."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def html_attrs(attrs: dict) -> str:
    """The attributes as Django's attrs.html writes them: a True value as the bare name, a False
    one left out, any other as name="value", escaped."""
    written = []
    for name, value in attrs.items():
        if value is True:
            written.append(f" {conditional_escape(name)}")
        elif value is not False:
            written.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return mark_safe("".join(written))
