"""Forms of the recall pages: they parse input; the services check the rules and name the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Region
from recalls.models import Category, Conclusion, DefectReportStatus, Remedy

DATE = {"type": "date"}


def date_field(label, required=True, **kwargs):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kwargs
    )


def text_area(label, required=True, rows=3, **kwargs):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class RecallPlanForm(forms.Form):
    """The recall plan (召回计划): the fields of the notice and of the bureau's file."""

    producer_uscc = forms.CharField(
        label=_("生产者统一社会信用代码"),
        max_length=18,
        required=False,
        help_text=_("监管人员代企业备案时填写；企业账号备案时为本企业。"),
    )
    category = forms.ChoiceField(label=_("产品类别"), choices=Category.choices)
    product = forms.CharField(label=_("产品名称"), max_length=128)
    brand = forms.CharField(label=_("品牌"), max_length=64)
    models_list = forms.CharField(label=_("型号"), max_length=1000, help_text=_("多个型号用逗号或顿号分隔。"))
    production_from = date_field(_("生产起始日期"), required=False)
    production_to = date_field(_("生产截止日期"), required=False)
    batches = forms.CharField(label=_("生产批号"), max_length=255, required=False)
    units_affected = forms.IntegerField(
        label=_("涉及数量"), min_value=0, required=False, help_text=_("汽车产品可不填，按 VIN 清单计数。")
    )
    vin_ranges = text_area(
        _("VIN 清单"),
        required=False,
        rows=4,
        help_text=_("汽车产品：每行一个 VIN，或“起始 VIN~截止 VIN”（第 1–8、10–11 位相同，第 12–17 位为序号）。"),
    )
    defect = text_area(_("缺陷情况"))
    hazard = text_area(_("可能造成的危害"))
    emergency_measures = text_area(_("应急处置措施"), required=False)
    remedies = forms.MultipleChoiceField(
        label=_("召回措施"), choices=Remedy.choices, widget=forms.CheckboxSelectMultiple
    )
    remedy_detail = text_area(_("召回措施说明"), required=False)
    owner_notification = text_area(_("通知用户的方式"))
    hotline = forms.CharField(label=_("咨询电话"), max_length=64)
    injuries = forms.CharField(label=_("已知伤害情况"), max_length=255, required=False)
    retailers = forms.CharField(label=_("销售渠道"), max_length=255, required=False)
    started_on = date_field(_("召回开始日期"))
    planned_end_on = date_field(_("计划完成日期"), required=False)
    internal_note = text_area(_("内部备注（不公开）"), required=False)

    def __init__(self, *args, producer_fixed: bool = False, refile: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if producer_fixed or refile:
            del self.fields["producer_uscc"]
        if refile:
            self.fields["category"].disabled = True
            self.fields["reason"] = forms.CharField(label=_("变更原因"), max_length=255)
            self.fields["vin_ranges"].help_text = _("留空则沿用原 VIN 清单；填写则整体替换。")

    def plan(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("producer_uscc", None)
        data.pop("reason", None)
        if not data.get("vin_ranges", "").strip():
            data["vin_ranges"] = None if "reason" in self.fields else ""
        return data


class ProgressForm(forms.Form):
    units_affected = forms.IntegerField(label=_("涉及数量"), min_value=0)
    units_remedied = forms.IntegerField(label=_("已完成召回数量"), min_value=0)
    units_unreachable = forms.IntegerField(label=_("无法联系数量"), min_value=0, initial=0)
    unreachable_reasons = forms.CharField(label=_("无法联系的原因"), max_length=255, required=False)
    note = text_area(_("说明"), required=False)


class SummaryForm(ProgressForm):
    note = None
    summary = text_area(_("总结报告"), rows=6)


class DateForm(forms.Form):
    on = date_field(_("日期"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=255)


class TriageForm(forms.Form):
    status = forms.ChoiceField(
        label=_("分拣结果"),
        choices=[(DefectReportStatus.ACCEPTED, _("受理")), (DefectReportStatus.DISMISSED, _("不予处理"))],
    )
    producer_uscc = forms.CharField(label=_("生产者统一社会信用代码"), max_length=18, required=False)
    note = forms.CharField(label=_("分拣意见"), max_length=255, required=False)


class InvestigationForm(forms.Form):
    producer_uscc = forms.CharField(label=_("生产者统一社会信用代码"), max_length=18)
    category = forms.ChoiceField(label=_("产品类别"), choices=Category.choices)
    product = forms.CharField(label=_("产品名称"), max_length=128)
    brand = forms.CharField(label=_("品牌"), max_length=64)
    models_text = forms.CharField(label=_("型号"), max_length=255)
    opened_on = date_field(_("立项日期"))


class FindingsForm(forms.Form):
    tests = text_area(_("检测、试验情况"), required=False, rows=4)
    findings = text_area(_("调查发现"), required=False, rows=4)


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("调查结论"), choices=Conclusion.choices)
    tests = text_area(_("检测、试验情况"), required=False, rows=4)
    findings = text_area(_("调查发现"), rows=4)
    concealed = forms.BooleanField(label=_("生产者隐瞒缺陷"), required=False)
    notified_on = date_field(_("结论通知送达日"))


class ObjectionForm(forms.Form):
    reasons = text_area(_("异议理由"), rows=5)
    on = date_field(_("异议日期"))


class FinaliseForm(forms.Form):
    reply = text_area(_("异议复核意见"), required=False)
    conclusion = forms.ChoiceField(
        label=_("复核后的结论"), choices=[("", _("维持原结论")), *Conclusion.choices], required=False
    )
    on = date_field(_("结论确定日期"))


# --- public -------------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; their content is checked by the service (Pillow), not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DefectReportForm(forms.Form):
    category = forms.ChoiceField(label=_("产品类别"), choices=Category.choices)
    product = forms.CharField(label=_("产品名称"), max_length=128)
    brand = forms.CharField(label=_("品牌"), max_length=64)
    model = forms.CharField(label=_("型号"), max_length=64)
    vin = forms.CharField(
        label=_("车辆识别代号（VIN）"),
        max_length=40,
        required=False,
        help_text=_("汽车产品必填：行驶证或前挡风玻璃左下角的 17 位代号。"),
    )
    batch = forms.CharField(label=_("生产批号"), max_length=64, required=False)
    purchased_on = date_field(_("购买日期"), required=False)
    region = forms.ModelChoiceField(label=_("所在地区"), queryset=Region.objects.none())
    description = text_area(_("问题描述"), rows=5, help_text=_("发生了什么、何时、在什么情况下使用。"))
    injury = forms.BooleanField(label=_("造成了人身伤害"), required=False)
    injury_detail = forms.CharField(label=_("伤害情况"), max_length=255, required=False)
    photos = MultipleImageField(label=_("照片（可选，最多 5 张）"), required=False)
    reporter_name = forms.CharField(label=_("您的姓名"), max_length=64)
    reporter_phone = forms.CharField(
        label=_("联系电话"), max_length=32, help_text=_("仅供监管部门核实情况，不会公开。")
    )
    reporter_email = forms.EmailField(label=_("电子邮箱"), required=False)
    consent_publish = forms.BooleanField(label=_("同意公开问题描述（不含姓名和联系方式）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(is_active=True, level__in=["city", "county"]).order_by(
            "code"
        )
        self.fields["region"].label_from_instance = lambda region: f"{region.code} {region.full_name}"
