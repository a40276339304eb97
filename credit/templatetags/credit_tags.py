from django import template

from credit.kinds import VARIANT_LABELS
from credit.kinds import kind_label as _kind_label

register = template.Library()


@register.filter
def kind_label(code: str) -> str:
    return _kind_label(code)


@register.filter
def variant_label(code: str) -> str:
    return str(VARIANT_LABELS.get(code or "", code))


@register.filter
def class_label(code: str) -> str:
    from credit.models import CreditClass

    try:
        return str(CreditClass(code).label)
    except ValueError:
        return ""


@register.filter
def attr_days(eligibility, today) -> int:
    """Days left until an application may be made."""
    return eligibility.days_left(today)
