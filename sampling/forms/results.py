"""Browser forms of results, objections and post-processing; the services do the checking that matters."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Institution
from sampling.models import FollowUpOutcome, FollowUpStep, Verdict

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ITEM_VERDICT_CHOICES = [("", _("— 请选择 —")), (Verdict.PASS, _("合格")), (Verdict.FAIL, _("不合格"))]


class ResultHeaderForm(forms.Form):
    report_no = forms.CharField(label=_("检验报告编号"), max_length=64)
    institution = forms.ModelChoiceField(label=_("检验机构"), queryset=Institution.objects.none())
    tested_on = forms.DateField(label=_("检验日期"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = (
            institutions if institutions is not None else Institution.objects.filter(is_active=True)
        )


class ItemRowForm(forms.Form):
    """One test item row: the item itself comes from the catalogue (server side), the user types these."""

    measured_value = forms.CharField(label=_("实测值"), max_length=128, required=False)
    verdict = forms.ChoiceField(label=_("单项判定"), choices=ITEM_VERDICT_CHOICES, required=False)


ItemRowFormSet = forms.formset_factory(ItemRowForm, extra=0)


class AmendReasonForm(forms.Form):
    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 3}))


class VerdictReceivedForm(forms.Form):
    received_on = forms.DateField(label=_("企业收到结论日期"), widget=DATE_WIDGET, initial=timezone.localdate)


class ObjectionForm(forms.Form):
    filed_on = forms.DateField(label=_("提出日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 4}))


class RetestAssignForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("复检机构"), queryset=Institution.objects.none())

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if institutions is not None:
            self.fields["institution"].queryset = institutions


class ObjectionRejectForm(forms.Form):
    note = forms.CharField(label=_("不予受理理由"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpCompleteForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    outcome = forms.ChoiceField(
        label=_("结果"),
        required=False,
        choices=[("", _("— 请选择 —")), (FollowUpOutcome.PASSED, _("合格")), (FollowUpOutcome.FAILED, _("不合格"))],
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, judged: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not judged:
            del self.fields["outcome"]


class FollowUpAddForm(forms.Form):
    step = forms.ChoiceField(
        label=_("环节"),
        choices=[
            (FollowUpStep.INTERVIEW, FollowUpStep.INTERVIEW.label),
            (FollowUpStep.REFERRAL, FollowUpStep.REFERRAL.label),
        ],
    )
    due_on = forms.DateField(label=_("期限"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
