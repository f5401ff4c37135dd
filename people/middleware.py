"""Shows each signed-in person the site in their own language and time zone."""

import zoneinfo

from django.utils import timezone, translation


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            timezone.deactivate()
            return self.get_response(request)
        # Overrides, not activations: the thread's language and time zone are restored after
        # the request, so nothing leaks into whatever the thread serves next.
        with translation.override(user.language), timezone.override(zoneinfo.ZoneInfo(user.timezone)):
            request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)
