"""Forms of corrections: edits before confirmation, 修改申请 / 作废申请 after it, and the leader's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Institution
from sampling.models import Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskEditForm(forms.Form):
    name = forms.CharField(label=_("任务名称"), max_length=200)
    batch = forms.CharField(label=_("批次"), max_length=32, required=False)
    target_batches = forms.IntegerField(label=_("计划批次数"), min_value=0)
    institution = forms.ModelChoiceField(
        label=_("承检机构"), queryset=Institution.objects.filter(is_active=True), required=False
    )
    budget = forms.DecimalField(label=_("经费预算（元）"), max_digits=14, decimal_places=2, min_value=0, required=False)
    deadline = forms.DateField(label=_("完成期限"), required=False, widget=DATE)

    @classmethod
    def initial_of(cls, task) -> dict:
        return {name: getattr(task, name) for name in cls.base_fields if name != "reason"}


class SampleEditForm(forms.Form):
    brand = forms.CharField(label=_("商标"), max_length=128, required=False)
    model_spec = forms.CharField(label=_("规格型号"), max_length=128, required=False)
    production_batch = forms.CharField(label=_("生产日期/批号"), max_length=128, required=False)
    stage = forms.ChoiceField(label=_("抽样环节"), choices=Stage.choices)
    place = forms.CharField(label=_("抽样地点"), max_length=255, required=False)
    sampled_on = forms.DateField(label=_("抽样日期"), widget=DATE)
    quantity = forms.CharField(label=_("抽样数量"), max_length=32, required=False)
    base_price = forms.DecimalField(
        label=_("抽样基数/单价（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )

    @classmethod
    def initial_of(cls, sample) -> dict:
        return {name: getattr(sample, name) for name in cls.base_fields if name != "reason"}


REASON = {
    "label": _("申请理由"),
    "max_length": 1000,
    "widget": forms.Textarea(attrs={"rows": 3}),
    "help_text": _("说明错在哪里、依据什么更正。申请须经所在辖区的负责人（申请人以外）批准后生效。"),
}


class TaskCorrectionForm(TaskEditForm):
    reason = forms.CharField(**REASON)


class SampleCorrectionForm(SampleEditForm):
    """After confirmation the stage is fixed (it is part of the verdict recorded in the ledger)."""

    reason = forms.CharField(**REASON)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["stage"]


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("作废理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("作废经负责人批准后，该抽样单不再计入统计、报表和公告，已公开的结果撤下。"),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("审批意见"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("驳回时必填。"),
    )


class AnnouncementEditForm(forms.Form):
    title = forms.CharField(label=_("公告标题"), max_length=200)
    number = forms.CharField(label=_("公告编号"), max_length=64, required=False)
    summary = forms.CharField(label=_("公告正文"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
