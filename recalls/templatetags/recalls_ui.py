from django import template
from django.utils.translation import gettext as _

from recalls.models import Remedy

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.8333 → "83.3%"; None → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def remedy_labels(values) -> str:
    labels = dict(Remedy.choices)
    return "、".join(str(labels.get(v, v)) for v in values or []) or "—"


@register.filter
def models_text(values) -> str:
    return "、".join(values or []) or "—"


@register.simple_tag
def completion_explained(recall) -> str:
    if not recall.units_affected:
        return ""
    return _(
        "完成率 = 已完成召回 %(remedied)s ÷（涉及 %(affected)s − 无法联系 %(unreachable)s）；"
        "按全部涉及数量计为 %(remedied)s ÷ %(affected)s。数据截至 %(as_of)s。"
    ) % {
        "remedied": f"{recall.units_remedied:,}",
        "affected": f"{recall.units_affected:,}",
        "unreachable": f"{recall.units_unreachable:,}",
        "as_of": recall.figures_as_of.isoformat() if recall.figures_as_of else _("尚无进展报告"),
    }
