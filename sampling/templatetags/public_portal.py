"""The public portal's footer: the bureau's contacts, 12315 and the identifiers a government website shows."""

from __future__ import annotations

import time

from constance.signals import config_updated
from constance.utils import get_values_for_keys
from django import template
from django.dispatch import receiver

register = template.Library()

FOOTER_KEYS = (
    "SITE_ORGANISER",
    "SITE_ADDRESS",
    "SITE_CONTACT_PHONE",
    "SITE_CONTACT_EMAIL",
    "SITE_HOTLINE",
    "SITE_IDENTIFIER",
    "SITE_ICP",
    "SITE_PUBLIC_SECURITY_RECORD",
    "SITE_ACCESSIBILITY_URL",
)
# The footer is on every public page: its settings are read in one query and kept in the process for this many
# seconds (a change in the admin shows at once in the process that saved it, in the others within the TTL).
FOOTER_TTL = 60
_footer: dict = {"site": None, "read_at": 0.0}


def footer_settings() -> dict[str, str]:
    now = time.monotonic()
    if _footer["site"] is None or now - _footer["read_at"] > FOOTER_TTL:
        values = get_values_for_keys(FOOTER_KEYS)
        _footer["site"] = {key.removeprefix("SITE_").lower(): values.get(key, "") for key in FOOTER_KEYS}
        _footer["read_at"] = now
    return _footer["site"]


@receiver(config_updated)
def forget_footer_settings(sender, key, **kwargs) -> None:
    if key in FOOTER_KEYS:
        _footer["site"] = None


@register.inclusion_tag("public/_site_footer.html", takes_context=True)
def site_footer(context):
    return {"site": footer_settings(), "request": context.get("request")}
