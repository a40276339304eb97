"""Error pages that need no database: the 500 page, the 503 page of a database outage, and JSON for the API."""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _database_unavailable(exc: BaseException | None) -> bool:
    """Connection lost or refused (not a bad query): the whole database is away for now."""
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        if isinstance(exc, DatabaseError) and "connection" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _database_reachable() -> bool:
    """A failure after a lost connection can surface as something else (a session that could not load): ask the
    server on a fresh connection (the request's own may sit in an aborted transaction)."""
    import psycopg
    from django.db import connection

    try:
        params = {**connection.get_connection_params(), "connect_timeout": 2}
        params.pop("cursor_factory", None)
        params.pop("context", None)
        psycopg.connect(**params).close()
        return True
    except psycopg.OperationalError as exc:
        # The server answered (a refusal of this login or database is not an outage) unless it is going down or up.
        message = str(exc)
        return "FATAL:" in message and not any(w in message for w in ("starting up", "shutting down", "recovery mode"))
    except Exception:  # noqa: BLE001  (any other failure here means: not reachable now)
        return False


def _outage_response(request, status: int = 503):
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("数据库暂时无法连接，请稍后重试。")}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render({}), status=status)
    response["Retry-After"] = "10"
    return response


def bad_request(request, exception, *args, **kwargs):
    """handler400: a session that could not be saved because the database went away is an outage (503), not a bad
    request (Django's database sessions turn every error of that save into SessionInterrupted)."""
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.views.defaults import bad_request as default_bad_request

    if isinstance(exception, SessionInterrupted) and not _database_reachable():
        return _outage_response(request)
    return default_bad_request(request, exception)


def server_error(request, *args, **kwargs):
    """handler500: a database outage answers 503 with a Chinese page (JSON under /api/), anything else 500.

    Renders without a request context: context processors and the session may need the database."""
    exc = sys.exc_info()[1]
    outage = _database_unavailable(exc) or not _database_reachable()
    status = 503 if outage else 500
    if request.path.startswith("/api/"):
        detail = _("数据库暂时无法连接，请稍后重试。") if outage else _("服务器内部错误，已记录，请稍后重试。")
        response = JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.get_template("503.html" if outage else "500.html").render({}), status=status)
    if outage:
        response["Retry-After"] = "10"
    return response
