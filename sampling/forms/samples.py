from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError

from core.models import ProductType
from core.validators import uscc_error_reason
from sampling.models import Stage, TaskStatus, Verdict
from sampling.selectors import enterprises_for_sampling, sample_inspectors_for, tasks_related_to


class InspectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.jurisdiction.name}）"


class SampleForm(forms.Form):
    task = forms.ModelChoiceField(label=_("抽查任务"), queryset=None)
    sample_no = forms.CharField(label=_("抽样单编号"), max_length=64)
    enterprise_uscc = forms.CharField(
        label=_("受检企业统一社会信用代码"), min_length=18, max_length=18, help_text=_("18 位统一社会信用代码")
    )
    product_type = forms.ModelChoiceField(label=_("产品名称"), queryset=ProductType.objects.none())
    brand = forms.CharField(label=_("商标"), max_length=128, required=False)
    model_spec = forms.CharField(label=_("规格型号"), max_length=128, required=False)
    production_batch = forms.CharField(label=_("生产日期/批号"), max_length=128, required=False)
    stage = forms.ChoiceField(label=_("抽样环节"), choices=Stage.choices)
    place = forms.CharField(label=_("抽样地点"), max_length=255, required=False)
    sampled_on = forms.DateField(label=_("抽样日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    quantity = forms.CharField(label=_("抽样数量"), max_length=32, required=False)
    base_price = forms.DecimalField(
        label=_("抽样基数/单价（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    inspectors = InspectorChoiceField(label=_("抽样人员（2 名）"), queryset=None)

    def __init__(self, *args, user, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["task"].queryset = (
            tasks_related_to(user).exclude(status=TaskStatus.COMPLETED).order_by("-year", "code")
        )
        task = task or self._bound_task()
        self.task = task
        self.fields["inspectors"].queryset = sample_inspectors_for(user, task)
        if task is not None:
            self.fields["product_type"].queryset = task.product_types.all()
        else:
            self.fields["product_type"].queryset = ProductType.objects.filter(is_active=True)

    def _bound_task(self):
        if not self.is_bound:
            return None
        try:
            return self.fields["task"].queryset.filter(pk=int(self.data.get("task") or 0)).first()
        except (TypeError, ValueError):
            return None

    def clean_sampled_on(self):
        # Reported with the other field errors at once, not only after they are fixed (the service checks too).
        sampled_on = self.cleaned_data["sampled_on"]
        if sampled_on and sampled_on > timezone.localdate():
            raise forms.ValidationError(_("抽样日期：不能晚于今天。"))
        return sampled_on

    def clean_enterprise_uscc(self):
        uscc = self.cleaned_data["enterprise_uscc"].strip().upper()
        try:
            stdnum_uscc.validate(uscc)
        except StdnumError as exc:
            # Name what is wrong with the code (e.g. the check character) before looking the enterprise up.
            raise forms.ValidationError(
                _("统一社会信用代码“%(uscc)s”无效：%(reason)s。") % {"uscc": uscc, "reason": uscc_error_reason(exc)}
            ) from exc
        enterprise = enterprises_for_sampling(self.user, self.task).filter(uscc=uscc).first()
        if enterprise is None:
            raise forms.ValidationError(
                _("未找到统一社会信用代码为 %(uscc)s 的企业，或该企业不在您的管辖范围内。") % {"uscc": uscc}
            )
        self.cleaned_data["enterprise"] = enterprise
        return uscc


class SampleFilterForm(forms.Form):
    task = forms.ModelChoiceField(label=_("抽查任务"), queryset=None, required=False, empty_label=_("全部任务"))
    verdict = forms.ChoiceField(
        label=_("结论"),
        required=False,
        choices=[
            ("", _("全部结论")),
            ("judged", _("已判定")),
            ("pending", _("待检验")),
            (Verdict.PASS, _("合格")),
            (Verdict.FAIL, _("不合格")),
        ],
    )
    stage = forms.ChoiceField(label=_("抽样环节"), required=False, choices=[("", _("全部环节"))] + list(Stage.choices))
    q = forms.CharField(label=_("企业"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks_related_to(user).order_by("-year", "code")


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("照片（JPEG/PNG）"))
    caption = forms.CharField(label=_("说明"), max_length=128, required=False)
