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


def server_error(request, *args, **kwargs):
    """handler500: a database outage answers 503 with a Chinese page (JSON under /api/), anything else 500.

    Renders without a request context: context processors and the session may need the database."""
    exc = sys.exc_info()[1]
    outage = _database_unavailable(exc)
    status = 503 if outage else 500
    if request.path.startswith("/api/"):
        detail = _("数据库暂时无法连接，请稍后重试。") if outage else _("服务器内部错误，已记录，请稍后重试。")
        response = JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(loader.get_template("503.html" if outage else "500.html").render({}), status=status)
    if outage:
        response["Retry-After"] = "10"
    return response
