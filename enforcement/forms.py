"""Forms of the case pages and the public complaint form (thin: the services check the rules)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ProductType, Region, RegionLevel, Role, User
from enforcement.models import (
    Channel,
    ClueSource,
    EvidenceKind,
    LegalBasis,
    Outcome,
    OverturnKind,
    PartyType,
    PauseReason,
    PenaltyType,
    ReviewOpinion,
    Sector,
)

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def on_field(label=None):
    label = label or _("日期")
    return forms.DateField(label=label, initial=timezone.localdate, widget=DATE)


def money_field(label, required=False):
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0, required=required)


class EmptyForm(forms.Form):
    on = on_field()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
    on = on_field()


class ClueForm(forms.Form):
    source = forms.ChoiceField(
        label=_("线索来源"),
        choices=[(c, label) for c, label in ClueSource.choices if c != ClueSource.SAMPLE],
    )
    channel = forms.ChoiceField(label=_("渠道（投诉举报）"), choices=[("", "—"), *Channel.choices], required=False)
    region = forms.ModelChoiceField(label=_("所在地区"), queryset=Region.objects.none())
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    enterprise_name = forms.CharField(label=_("涉及企业"), max_length=200, required=False)
    product_type = forms.ModelChoiceField(
        label=_("产品种类"), queryset=ProductType.objects.filter(is_active=True), required=False
    )
    product = forms.CharField(label=_("产品名称"), max_length=128, required=False)
    brand = forms.CharField(label=_("商标"), max_length=128, required=False)
    model_spec = forms.CharField(label=_("规格型号"), max_length=128, required=False)
    referred_by = forms.CharField(label=_("移送机关"), max_length=128, required=False)
    referral_no = forms.CharField(label=_("移送文号"), max_length=64, required=False)
    description = forms.CharField(label=_("线索内容"), widget=forms.Textarea(attrs={"rows": 4}))
    received_on = on_field(_("收到日期"))

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()


class PublicComplaintForm(forms.Form):
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices, initial=Channel.WEB)
    region = forms.ModelChoiceField(
        label=_("被投诉举报对象所在地区"),
        queryset=Region.objects.filter(level=RegionLevel.COUNTY, is_active=True).order_by("code"),
    )
    enterprise_name = forms.CharField(label=_("被投诉举报对象（企业名称）"), max_length=200)
    uscc = forms.CharField(label=_("统一社会信用代码（如知道）"), max_length=18, required=False)
    product = forms.CharField(label=_("产品名称"), max_length=128)
    brand = forms.CharField(label=_("商标"), max_length=128, required=False)
    model_spec = forms.CharField(label=_("规格型号"), max_length=128, required=False)
    description = forms.CharField(label=_("投诉举报内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    complainant_name = forms.CharField(label=_("您的姓名（可匿名）"), max_length=64, required=False)
    complainant_phone = forms.CharField(label=_("联系电话（可不填）"), max_length=32, required=False)


class ComplaintStatusForm(forms.Form):
    receipt_no = forms.CharField(label=_("受理回执号"), max_length=32)
    query_code = forms.CharField(label=_("查询码"), max_length=16, widget=forms.PasswordInput(render_value=True))


class RequestFilingForm(forms.Form):
    handlers = forms.ModelMultipleChoiceField(
        label=_("承办人（至少两名持执法证人员）"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("案由"), max_length=255)
    violation_type = forms.CharField(label=_("违法类型"), max_length=64, required=False)
    facts = forms.CharField(label=_("涉嫌违法事实"), widget=forms.Textarea(attrs={"rows": 3}))
    on = on_field()

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            prefix = case.region_id
            # Handlers of the case's county and the bureaus above it.
            prefixes = [prefix[:2] + "0000", prefix[:4] + "00", prefix]
            self.fields["handlers"].queryset = (
                User.objects.filter(role=Role.CASE_HANDLER, is_active=True, jurisdiction_id__in=prefixes)
                .exclude(enforcement_credential="")
                .order_by("id")
            )
            self.fields["handlers"].label_from_instance = lambda u: f"{u.display_name}（{u.enforcement_credential}）"
            self.initial.setdefault("title", case.title)
            self.initial.setdefault("facts", case.facts or "")


class PenaltyFields(forms.Form):
    penalty_types = forms.MultipleChoiceField(
        label=_("处罚种类"), choices=PenaltyType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    bases = forms.ModelMultipleChoiceField(
        label=_("处罚依据"), queryset=LegalBasis.objects.filter(is_active=True), required=False
    )
    fine = money_field(_("罚款（元）"))
    facts = forms.CharField(label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 3}))


SECTOR_HELP = _("食品、药品、特种设备领域的处罚，公示满 1 年方可申请信用修复；其他 6 个月。")


class SimpleDecisionForm(PenaltyFields):
    party_type = forms.ChoiceField(label=_("当事人类型"), choices=PartyType.choices)
    sector = forms.ChoiceField(label=_("领域"), choices=Sector.choices, required=False, help_text=SECTOR_HELP)
    penalty_types = forms.MultipleChoiceField(
        label=_("处罚种类"),
        choices=[(PenaltyType.WARNING, PenaltyType.WARNING.label), (PenaltyType.FINE, PenaltyType.FINE.label)],
        widget=forms.CheckboxSelectMultiple,
    )
    on = on_field()


class ProposeForm(PenaltyFields):
    outcome = forms.ChoiceField(label=_("拟处理意见"), choices=[c for c in Outcome.choices if c[0]])
    report = forms.CharField(label=_("调查终结报告"), widget=forms.Textarea(attrs={"rows": 3}))
    violation_type = forms.CharField(label=_("违法类型"), max_length=64, required=False)
    confiscation = money_field(_("没收违法所得（元）"))
    illegal_gains = money_field(_("违法所得（元）"))
    goods_value = money_field(_("涉案货值（元）"))
    confiscated_goods = forms.CharField(label=_("没收非法财物"), max_length=255, required=False)
    complex_case = forms.BooleanField(label=_("案情复杂"), required=False)
    public_interest = forms.BooleanField(label=_("涉及重大公共利益"), required=False)
    major_case = forms.BooleanField(label=_("重大案件（需负责人集体讨论）"), required=False)
    sector = forms.ChoiceField(label=_("领域"), choices=Sector.choices, required=False, help_text=SECTOR_HELP)
    on = on_field()


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label=_("中止事由"), choices=PauseReason.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    on = on_field(_("中止日"))


class ReviewForm(forms.Form):
    opinion = forms.ChoiceField(label=_("审核意见"), choices=ReviewOpinion.choices)
    comment = forms.CharField(label=_("审核说明"), widget=forms.Textarea(attrs={"rows": 3}))
    on = on_field()


class DefenceForm(forms.Form):
    text = forms.CharField(label=_("陈述申辩意见"), widget=forms.Textarea(attrs={"rows": 3}))
    on = on_field()


class HearingRequestForm(forms.Form):
    on = on_field(_("申请日期"))
    notice_on = forms.DateField(label=_("听证通知日期"), widget=DATE, initial=timezone.localdate)
    hearing_on = forms.DateField(label=_("听证日期"), widget=DATE)
    place = forms.CharField(label=_("听证地点"), max_length=255)
    host = forms.CharField(label=_("听证主持人"), max_length=64)


class HearingRecordForm(forms.Form):
    record = forms.CharField(label=_("听证笔录"), widget=forms.Textarea(attrs={"rows": 4}))
    on = on_field(_("听证日期"))


class DiscussionForm(forms.Form):
    held_on = on_field(_("讨论日期"))
    participants = forms.CharField(label=_("参加人员"), max_length=500)
    conclusion = forms.CharField(label=_("讨论结论"), widget=forms.Textarea(attrs={"rows": 3}))
    extension_days = forms.IntegerField(label=_("决定延长办案期限（日，可不填）"), min_value=1, required=False)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[c for c in Outcome.choices if c[0]])
    reason = forms.CharField(
        label=_("处罚理由（含对陈述申辩的采纳情况）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    on = on_field(_("决定日期"))


class TransferForm(forms.Form):
    authority = forms.CharField(label=_("接收机关"), max_length=128)
    reason = forms.CharField(label=_("移送理由"), widget=forms.Textarea(attrs={"rows": 2}))
    receipt_no = forms.CharField(label=_("接收回执"), max_length=64, required=False)
    on = on_field(_("移送日期"))


class PoliceAnswerForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("公安机关回复"),
        choices=[("1", _("立案侦查（本案结案）")), ("0", _("不予立案（恢复调查）"))],
        coerce=lambda v: v == "1",
    )
    answer = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 2}))
    on = on_field(_("回复日期"))


class ServeForm(forms.Form):
    how = forms.ChoiceField(
        label=_("送达方式"),
        choices=[(v, v) for v in ("直接送达", "留置送达", "邮寄送达", "电子送达", "委托送达", "公告送达")],
    )
    on = on_field(_("送达日期"))


class PaymentForm(forms.Form):
    amount = money_field(_("缴纳罚没款（元）"), required=True)
    late_fee_paid = money_field(_("其中加处罚款（元）"))
    paid_on = on_field(_("缴款日期"))
    receipt_no = forms.CharField(label=_("缴款票据号"), max_length=64, required=False)
    instalment = forms.BooleanField(label=_("经批准分期缴纳"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    on = on_field()


class CloseForm(forms.Form):
    summary = forms.CharField(label=_("结案报告"), widget=forms.Textarea(attrs={"rows": 2}))
    on = on_field(_("结案日期"))


class MergeForm(forms.Form):
    into = forms.ChoiceField(label=_("并入案件"), choices=())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            from enforcement.services.clues import merge_candidates

            self.fields["into"].choices = [(c.pk, f"{c.case_no} {c.party_name}") for c in merge_candidates(case)]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("证据种类"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("证据名称"), max_length=200)
    description = forms.CharField(label=_("证明事项"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    collected_on = on_field(_("收集日期"))
    collected_at = forms.CharField(label=_("收集地点"), max_length=255, required=False)
    file = forms.FileField(label=_("文件"), required=False)
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False)
    correction_reason = forms.CharField(label=_("更正理由（更正已登记证据时填写）"), max_length=255, required=False)


class PublishForm(forms.Form):
    on = on_field(_("公示日期"))


class PushForm(forms.Form):
    recipient = forms.CharField(
        label=_("推送至"), max_length=128, help_text=_("当事人登记地的市场监督管理部门，如：广东省深圳市市场监督管理局")
    )
    on = on_field(_("推送日期"))


class OverturnForm(forms.Form):
    kind = forms.ChoiceField(label=_("变更情形"), choices=OverturnKind.choices)
    on = forms.DateField(label=_("决定被变更、撤销或确认无效的日期"), widget=forms.DateInput(attrs={"type": "date"}))
    authority = forms.CharField(label=_("作出机关"), max_length=128, help_text=_("如：行政复议机关、人民法院或本局"))
    document_no = forms.CharField(label=_("文书编号"), max_length=64, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤下理由"), widget=forms.Textarea(attrs={"rows": 2}))
