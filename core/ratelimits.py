"""Rate limits of the public forms (django-ratelimit, per client address), in one place.

A form that anyone may post — a complaint, a complaint-status lookup with its query code, an online objection —
is limited so that nobody can flood the bureau's queues or guess query codes. Each limit can be changed (or
lifted with ``None``, e.g. for a benchmark) in the settings named below; the API has DRF's throttles.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

DEFAULTS = {
    "PUBLIC_COMPLAINT_RATE": "10/h",
    # A receipt number and its query code: a few tries a minute are enough for a person, not for guessing.
    "PUBLIC_COMPLAINT_STATUS_RATE": "20/h",
    "PUBLIC_OBJECTION_RATE": "10/h",
}


def rate(setting: str):
    """A rate callable for ``@ratelimit(rate=...)`` that reads ``settings.<setting>`` at request time."""
    default = DEFAULTS[setting]

    def _rate(group, request):
        return getattr(settings, setting, default)

    return _rate


def limited(request, *, status: int = 429):
    """The page shown when a client has posted too often: in Chinese, with what to do instead."""
    return render(request, "public/rate_limited.html", status=status)
