"""The daily digest's part of the notification preferences page: on or off, the local hour, and
"Send me the digest now"."""

from django import template

from reports.digests import digest_settings

register = template.Library()


@register.inclusion_tag("reports/digest_preferences.html", takes_context=True)
def digest_preferences(context):
    user = context["request"].user
    return {
        "digest": digest_settings(user=user),
        "hours": range(24),
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }
