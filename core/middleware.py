import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    """Chinese unless the user chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Chinese government system
    shows Chinese on every desk, whatever the browser is set to, and English only on request (a cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SlidingSessionMiddleware:
    """Idle sign-out without a session write on every request: the session's expiry (SESSION_COOKIE_AGE from the
    last save) is renewed only when the last renewal is older than SESSION_REFRESH_SECONDS (default 60 s). A user
    is thus signed out between SESSION_COOKIE_AGE − 60 s and SESSION_COOKIE_AGE after the last request, and a page
    view costs no UPDATE and COMMIT of the session row (Django's SESSION_SAVE_EVERY_REQUEST did one each time).
    Placed after SessionMiddleware, so that the marked session is saved by it on the way out."""

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= getattr(settings, "SESSION_REFRESH_SECONDS", 60):
                session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it, renewing the expiry
        return response
