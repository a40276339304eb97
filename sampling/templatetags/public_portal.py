"""The public portal's footer: the bureau's contacts, 12315 and the identifiers a government website shows."""

from __future__ import annotations

from constance import config
from django import template

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


@register.inclusion_tag("public/_site_footer.html", takes_context=True)
def site_footer(context):
    site = {key.removeprefix("SITE_").lower(): getattr(config, key, "") for key in FOOTER_KEYS}
    return {"site": site, "request": context.get("request")}
