"""Shows each signed-in person the site in their own language and time zone."""

import zoneinfo

from django.utils import timezone, translation


def preferences_apply(request, user) -> None:
    """The rest of `request` speaks `user`'s language and shows times in their time zone.

    Called for a session by the middleware, and for an API token by `people.authentication`
    (DRF knows who a token belongs to only once the view runs); the middleware undoes it.
    """
    translation.activate(user.language)
    timezone.activate(zoneinfo.ZoneInfo(user.timezone))
    request.LANGUAGE_CODE = translation.get_language()


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Overrides around the request: the thread's language and time zone are restored after
        # it, so nothing leaks into whatever the thread serves next. Until someone is known, the
        # language is the browser's (Accept-Language) and times are UTC.
        with translation.override(translation.get_language()), timezone.override(None):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                preferences_apply(request, user)
            response = self.get_response(request)
            # The language the body is in, which may be the person's rather than the browser's.
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
