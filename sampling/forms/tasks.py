from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Institution, ProductType, Region
from sampling.models import Stage, TaskLevel
from sampling.services.tasks import task_level_for


class TaskForm(forms.Form):
    code = forms.CharField(label=_("任务编号"), max_length=64)
    name = forms.CharField(label=_("任务名称"), max_length=200)
    level = forms.ChoiceField(label=_("抽查级别"), choices=TaskLevel.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    batch = forms.CharField(label=_("批次"), max_length=32, required=False)
    product_types = forms.ModelMultipleChoiceField(
        label=_("抽查产品"),
        queryset=ProductType.objects.filter(is_active=True).select_related("group"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    target_batches = forms.IntegerField(
        label=_("计划批次数"),
        min_value=1,
        initial=1,
        error_messages={"min_value": _("计划批次数：至少为 1 批次。")},
    )
    institution = forms.ModelChoiceField(
        label=_("承检机构"), queryset=Institution.objects.filter(is_active=True), required=False
    )
    budget = forms.DecimalField(label=_("经费预算（元）"), max_digits=14, decimal_places=2, min_value=0, required=False)
    deadline = forms.DateField(
        label=_("完成期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].initial = task_level_for(user)
        self.fields["year"].initial = timezone.localdate().year


class DrawForm(forms.Form):
    """The draw's conditions. There is no seed field: the seed comes from the server (a draw is binding)."""

    count = forms.IntegerField(label=_("抽取企业数"), min_value=1, max_value=10000)
    region = forms.ModelChoiceField(
        label=_("抽取地区"), queryset=Region.objects.none(), required=False, empty_label=_("任务组织地区全域")
    )
    product_types = forms.ModelMultipleChoiceField(
        label=_("抽查产品"),
        queryset=ProductType.objects.none(),
        required=False,
        help_text=_("不选则为本任务的全部抽查产品；候选企业为生产或销售这些产品的企业。"),
    )
    stage = forms.ChoiceField(label=_("抽样环节"), choices=[("", _("不限"))] + list(Stage.choices), required=False)
    industry = forms.CharField(label=_("行业（可选）"), max_length=64, required=False)
    # A draw is binding and cannot be repeated without a leader's approval: the drawer confirms that first.
    understood = forms.BooleanField(
        label=_("我已知晓：抽取立即生效，结果具有约束力并永久留存；不能自行重新抽取"),
        error_messages={"required": _("确认：请勾选“我已知晓”后再开始抽取。")},
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        prefix = task.region.scope_prefix
        regions = Region.objects.filter(code__startswith=prefix) if prefix else Region.objects.all()
        self.fields["region"].queryset = regions.filter(is_active=True).order_by("code")
        self.fields["product_types"].queryset = task.product_types.all()
        if task.target_batches:
            self.fields["count"].initial = task.target_batches


class RedrawRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("重新抽取理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：抽中企业已注销或停产，无法实施抽样。申请须经任务所在辖区的负责人（申请人以外）批准。"),
    )


class RedrawDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("审批意见"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
