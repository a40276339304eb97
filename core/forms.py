"""Forms of the core pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import CreditClass, EnterpriseSize, EnterpriseStatus, RegionLevel
from core.selectors import enterprise_search, jurisdiction_prefix, regions_visible_to


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class EnterpriseFilterForm(forms.Form):
    """Search and filters of the enterprise list; every field optional."""

    q = forms.CharField(
        label=_("企业名称或统一社会信用代码"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("输入企业名称或统一社会信用代码")}),
    )
    region = forms.ChoiceField(label=_("所在地区"), required=False)
    size = forms.ChoiceField(label=_("企业规模"), required=False, choices=_blank(_("全部规模"), EnterpriseSize.choices))
    status = forms.ChoiceField(
        label=_("经营状态"), required=False, choices=_blank(_("全部状态"), EnterpriseStatus.choices)
    )
    credit_class = forms.ChoiceField(
        label=_("信用风险分类"),
        required=False,
        choices=_blank(_("全部分类"), [*CreditClass.choices, ("none", _("未评级"))]),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions_visible_to(user).exclude(level=RegionLevel.NATIONAL).filter(is_active=True)
        if jurisdiction_prefix(user) == "":
            # National users would get ~3,000 counties: offer provinces and cities only.
            regions = regions.exclude(level=RegionLevel.COUNTY)
        indent = {RegionLevel.PROVINCE: "", RegionLevel.CITY: "\u3000", RegionLevel.COUNTY: "\u3000\u3000"}
        self.fields["region"].choices = _blank(
            _("全部地区"),
            [(r.code, f"{indent.get(r.level, '')}{r.name}") for r in regions.only("code", "name", "level")],
        )

    def filter(self, queryset):
        """Apply the valid filters to an already scoped queryset."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        queryset = enterprise_search(queryset, data.get("q") or "")
        if data.get("region"):
            queryset = queryset.filter(region__code__startswith=_scope_prefix(data["region"]))
        if data.get("size"):
            queryset = queryset.filter(size=data["size"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("credit_class") == "none":
            queryset = queryset.filter(credit_class="")
        elif data.get("credit_class"):
            queryset = queryset.filter(credit_class=data["credit_class"])
        return queryset


def _scope_prefix(code: str) -> str:
    """The code prefix of a region and everything below it (PPCCDD: province PP, city PPCC)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code
