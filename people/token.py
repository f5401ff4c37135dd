"""POST /api/v1/auth/token/: DRF's token view, throttled by django-axes like the login page.

DRF hands `authenticate()` its own Request wrapper; django-axes marks a locked-out attempt on the
request it is given, and its middleware looks at Django's request. Passing Django's request makes
a locked-out username 429 here too. Its JSON parser is the bounded one, like every other view's.
"""

from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, MultiPartParser

from core.limits import BoundedJSONParser


class TokenView(ObtainAuthToken):
    parser_classes = (FormParser, MultiPartParser, BoundedJSONParser)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": self.request._request}
