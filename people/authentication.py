"""API token authentication that also gives the person their language and time zone."""

from rest_framework.authentication import TokenAuthentication

from people.middleware import preferences_apply


class PersonTokenAuthentication(TokenAuthentication):
    """DRF's token authentication; the response then speaks the token owner's language, as a
    session's does (validation messages, error details, labels, times in their time zone)."""

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None:
            preferences_apply(request._request, authenticated[0])
        return authenticated
