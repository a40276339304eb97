"""The list sections of the public pages, kept rendered in the shared cache: the result search's content (the search
form with its values, the count, batch table and pagination) and the announcement list's (table, pagination).

The public pages are the same for every visitor, signed in or not, so one query string in one language renders one
section. It is kept ``SECTION_TTL`` seconds under a key that carries the public data's *generation*:
every service that changes what the public sees (publishing or withdrawing an announcement, voiding a published
batch, a changed verdict of a published batch) calls ``public_data_changed`` after its commit, which moves the
generation on, so the next request renders afresh. What no service reports (an enterprise's name edited in the
admin) shows within the TTL. The page around the section (the layout, the language switch and its CSRF token) is
rendered on every request: only the section is shared. Only valid searches are kept (a search with a bad parameter
renders its errors and an empty list for itself, with status 400).

With Redis down the fail-soft cache misses and every request renders the section from the database.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

GENERATION_KEY = "sampling:public-generation"
SECTION_KEY_PREFIX = "sampling:public-section"
SECTION_TTL = 60
RESULTS = "results"
ANNOUNCEMENTS = "announcements"


def _new_generation() -> str:
    return uuid.uuid4().hex[:12]


def public_generation() -> str:
    """The current generation of the public data (created on first use; kept until the next change)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = cache.get(GENERATION_KEY) or ""
    return value


def public_data_changed() -> None:
    """What the public sees changed: drop the home page's totals and every kept result section."""
    from sampling.selectors import PUBLIC_TOTALS_CACHE_KEY

    cache.delete(PUBLIC_TOTALS_CACHE_KEY)
    cache.set(GENERATION_KEY, _new_generation(), timeout=None)


def section_key(kind: str, params: QueryDict, language: str) -> str:
    """One key per page kind, set of parameters (in any order, ``page`` included), language and generation."""
    items = sorted((name, value) for name, values in params.lists() for value in values)
    digest = hashlib.sha256(urlencode(items).encode()).hexdigest()[:32]
    return f"{SECTION_KEY_PREFIX}:{kind}:{public_generation()}:{language}:{digest}"


def cached_section(kind: str, params: QueryDict, language: str, render: Callable[[], tuple[str, bool]]) -> SafeString:
    """The kept section of ``kind`` for these parameters, or the one ``render()`` returns with whether to keep it
    (a search with a bad parameter is not kept), kept for the next visitor."""
    key = section_key(kind, params, language)
    html = cache.get(key)
    if html is None:
        html, keep = render()
        html = str(html)
        if keep:
            cache.set(key, html, SECTION_TTL)
    return mark_safe(html)  # noqa: S308 — the section was rendered by the template engine, values escaped there
