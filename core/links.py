"""Links and actions that higher apps put on lower apps' records (a case on a failed sample's page).

A provider takes (request or None, obj) and returns a list of ``RecordLink``; apps register theirs from
``AppConfig.ready()``::

    register_record_links("sampling.sample", sample_case_links)

and the lower app's template shows them with ``{% record_links sample %}`` (core_ui), so core and the
lower app never name the higher one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordLink:
    label: str
    url: str
    # A POST action (a form button with the CSRF token) instead of a plain link.
    post: bool = False
    style: str = ""  # "primary", "danger" …
    note: str = ""


_providers: dict[str, list[Callable]] = {}


def model_key(obj) -> str:
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}"


def register_record_links(key: str, provider: Callable) -> Callable:
    """Register ``provider(request, obj) -> list[RecordLink]`` for records of ``key`` ("app.model")."""
    providers = _providers.setdefault(key.lower(), [])
    if provider not in providers:
        providers.append(provider)
    return provider


def record_links_for(request, obj) -> list[RecordLink]:
    links: list[RecordLink] = []
    for provider in _providers.get(model_key(obj), []):
        links.extend(provider(request, obj) or [])
    return links
