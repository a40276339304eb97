"""Forms of the report archive."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Region, RegionLevel
from core.models_reports import ReportStatus
from core.reports.periods import Period
from core.reports.registry import all_kinds
from core.selectors import regions_visible_to


def requestable_regions(user):
    """Jurisdictions a user may ask reports for: their own and the regions below it (counties only
    for municipal and county staff, to keep the list short)."""
    regions = regions_visible_to(user)
    if user.is_superuser or user.jurisdiction.level in (RegionLevel.NATIONAL, RegionLevel.PROVINCE):
        regions = regions.filter(Q(level__in=[RegionLevel.NATIONAL, RegionLevel.PROVINCE, RegionLevel.CITY]))
    return regions.filter(is_active=True).order_by("code")


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("报告类型"))
    period = forms.CharField(label=_("统计期间"), max_length=10, help_text=_("年度 2017、季度 2017-Q3 或月度 2017-05"))
    jurisdiction = forms.ModelChoiceField(label=_("统计范围"), queryset=Region.objects.none(), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, str(k.title)) for k in all_kinds()]
        self.fields["jurisdiction"].queryset = requestable_regions(user)
        self.fields["jurisdiction"].initial = user.jurisdiction_id
        self.fields["jurisdiction"].label_from_instance = _scope_label

    def clean_period(self) -> str:
        from core.errors import DomainError

        try:
            return str(Period.parse(self.cleaned_data["period"]))
        except DomainError as exc:
            raise forms.ValidationError(str(exc))


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("报告类型"), required=False)
    period = forms.CharField(label=_("统计期间"), required=False, max_length=10)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *ReportStatus.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部")), *((k.code, str(k.title)) for k in all_kinds())]


def _scope_label(region) -> str:
    """湖南省长沙市（430100）, or "Changsha, Hunan (430100)" on an English page."""
    return _("%(name)s（%(code)s）") % {"name": region.display_full_name or region.display_name, "code": region.code}
