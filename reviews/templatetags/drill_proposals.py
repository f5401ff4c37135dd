"""The risk page's note of what completed drills would re-rate (their proposals, never applied by
themselves)."""

from django import template

from reviews import selectors

register = template.Library()


@register.simple_tag
def drill_proposals_for(risk):
    return selectors.drill_proposals_for(risk=risk)
