"""Each signal's parameters as data: name, Chinese label, type, default and bounds. The admin form is built from
these, the settings are checked against them, and the warning page shows them next to each rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    kind: type  # int, float, bool or str
    default: object
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""

    def clean(self, value):
        """The value as this parameter's type, or a DomainError naming the parameter."""
        label = str(self.label)
        try:
            if self.kind is bool:
                if isinstance(value, str):
                    value = value.strip().lower() in ("1", "true", "yes", "on", "是")
                return bool(value)
            if self.kind is str:
                return str(value).strip()
            value = self.kind(value)
        except (TypeError, ValueError):
            raise DomainError(_("%(label)s：“%(value)s”不是有效的数值。") % {"label": label, "value": value})
        if self.minimum is not None and value < self.minimum:
            raise DomainError(_("%(label)s：不能小于 %(min)s。") % {"label": label, "min": self.minimum})
        if self.maximum is not None and value > self.maximum:
            raise DomainError(_("%(label)s：不能大于 %(max)s。") % {"label": label, "max": self.maximum})
        return value


def level_alphas(attention: float = 0.01, warning: float = 0.001, severe: float = 0.0001) -> list[Param]:
    """The three significance levels of a statistical signal: below each p-value threshold, that level."""
    return [
        Param("alpha", gettext_lazy("显著性水平（关注）"), float, attention, 1e-9, 0.2,
              gettext_lazy("单侧检验 p 值低于此值时触发“关注”")),
        Param("alpha_warning", gettext_lazy("显著性水平（预警）"), float, warning, 1e-9, 0.2,
              gettext_lazy("p 值低于此值时为“预警”")),
        Param("alpha_severe", gettext_lazy("显著性水平（严重）"), float, severe, 1e-12, 0.2,
              gettext_lazy("p 值低于此值时为“严重”")),
    ]  # fmt: skip


def draw_multiplier(default: float) -> Param:
    return Param(
        "draw_multiplier",
        gettext_lazy("抽查权重倍数"),
        float,
        default,
        1.0,
        10.0,
        gettext_lazy("企业预警处置完毕前，其被随机抽取的权重乘以此倍数"),
    )


def clean_parameters(params: list[Param], values: dict) -> dict:
    """Defaults overlaid with the stored values, each checked; unknown names are dropped."""
    cleaned = {}
    for param in params:
        cleaned[param.name] = param.clean(values[param.name]) if param.name in values else param.default
    for low, high in (("alpha_severe", "alpha_warning"), ("alpha_warning", "alpha")):
        if low in cleaned and high in cleaned and cleaned[low] > cleaned[high]:
            raise DomainError(_("显著性水平：严重 ≤ 预警 ≤ 关注，数值应依次不增。"))
    return cleaned
