"""API sign-in: the token endpoint, with the same lockout as the login page (user name and address combined)."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from rest_framework.authtoken.views import ObtainAuthToken

from core.access import lockout_response


class ObtainTokenView(ObtainAuthToken):
    """POST username and password, get ``{"token": …}``; 429 with the Chinese locked message when locked."""

    def _locked(self, request):
        username = request.data.get("username", "") if hasattr(request.data, "get") else ""
        credentials = {"username": username if isinstance(username, str) else ""}
        if credentials["username"] and AxesProxyHandler.is_locked(request._request, credentials):
            return lockout_response(request._request, None, credentials)
        return None

    def post(self, request, *args, **kwargs):
        return self._locked(request) or super().post(request, *args, **kwargs)

    def handle_exception(self, exc):
        # The failure that reaches the limit already answers with the locked message, as the login page does.
        return self._locked(self.request) or super().handle_exception(exc)


obtain_token = ObtainTokenView.as_view()
