"""Forms of the online objection request: the enterprise's public form and the staff refusal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ObjectionRequestForm(forms.Form):
    """Field formats only; the service checks the rules and reports every bad field at once."""

    sample_no = forms.CharField(
        label=_("抽样单编号"), max_length=64, help_text=_("见检验结果通知书或不合格通知书。"), required=False
    )
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18, required=False)
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=32, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    verdict_received_on = forms.DateField(
        label=_("收到检验结论日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("异议期限自收到检验结论之日起计算。"),
    )
    reason = forms.CharField(
        label=_("异议理由"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("写明对哪些检验项目、因何理由有异议，以及希望复检的要求。"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].widget.attrs.setdefault("required", True)
        self.fields["uscc"].error_messages["min_length"] = _("统一社会信用代码：应为 18 位。")
        self.fields["uscc"].widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})


class ObjectionRequestRejectForm(forms.Form):
    note = forms.CharField(label=_("不予登记理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
