"""Clues (线索): registration from the four sources, the public complaint with its receipt, and merging."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.facts import record_fact
from core.models import Enterprise, ProductType, Region, RegionLevel
from enforcement import policies
from enforcement.models import Case, CaseStatus, Channel, Clue, ClueSource
from enforcement.services.common import (
    bureau_for,
    check,
    event,
    locked,
    move,
    next_sequence,
    refresh_next_due,
    require_text,
    start_clock,
    stop_all_clocks,
    today,
)

RECEIPT_PREFIX = "TS"


def _case_no(region: Region, year: int) -> str:
    bureau = bureau_for(region)
    return f"{bureau.abbreviation}案〔{year}〕{next_sequence(bureau, year, 'case'):05d}"


def _clue_no(region: Region, year: int) -> str:
    return f"XS{region.code}{year}{next_sequence(bureau_for(region), year, 'clue'):05d}"


@transaction.atomic
def clue_register(
    *,
    user,
    source: str,
    region: Region,
    description: str,
    received_on: dt.date,
    enterprise: Enterprise | None = None,
    enterprise_name: str = "",
    product: str = "",
    product_type: ProductType | None = None,
    brand: str = "",
    model_spec: str = "",
    channel: str = "",
    sample=None,
    followup=None,
    referred_by: str = "",
    referral_no: str = "",
    complainant_name: str = "",
    complainant_phone: str = "",
    query_code: str = "",
) -> Clue:
    """登记线索: the clue opens a case in 线索登记 and starts the 15-工作日 filing limit (处罚程序规定 art. 18)."""
    if user is not None:
        check(policies.can_register_clue(user, region.code), _("您无权在该地区登记线索。"))
    if source not in ClueSource.values:
        raise DomainError(_("线索来源：无效的选项。"))
    if source == ClueSource.COMPLAINT and channel not in Channel.values:
        raise DomainError(_("渠道：请选择 12315、12365、网上或来信。"))
    if source == ClueSource.REFERRAL:
        require_text(referred_by, _("移送机关"))
    if region.level != RegionLevel.COUNTY and enterprise is None and region.level == RegionLevel.NATIONAL:
        raise DomainError(_("所在地区：请选择具体的地区。"))
    description = require_text(description, _("线索内容"))
    if enterprise is not None:
        enterprise_name = enterprise.name
    enterprise_name = require_text(enterprise_name, _("涉及企业"))
    if received_on > today():
        raise DomainError(_("收到日期：不能晚于今天。"))
    product = product or (product_type.name if product_type else "")
    case = Case.objects.create(
        case_no=_case_no(region, received_on.year),
        title=_("%(party)s涉嫌产品质量违法案") % {"party": enterprise_name},
        source=source,
        region=region,
        enterprise=enterprise,
        party_name=enterprise_name,
        party_id_no=enterprise.uscc if enterprise else "",
        party_representative=enterprise.legal_representative if enterprise else "",
        party_address=enterprise.address if enterprise else "",
        product_type=product_type,
        product=product,
        discovered_on=received_on,
        created_by=user if getattr(user, "pk", None) else None,
    )
    clue = Clue.objects.create(
        clue_no=_clue_no(region, received_on.year),
        case=case,
        source=source,
        channel=channel,
        region=region,
        enterprise=enterprise,
        enterprise_name=enterprise_name,
        product=product,
        product_type=product_type,
        brand=brand,
        model_spec=model_spec,
        description=description,
        received_on=received_on,
        sample=sample,
        followup=followup,
        referred_by=referred_by,
        referral_no=referral_no,
        complainant_name=complainant_name,
        complainant_phone=complainant_phone,
        receipt_no=_receipt_no(received_on) if source == ClueSource.COMPLAINT else None,
        query_code_hash=make_password(query_code) if query_code else "",
        created_by=case.created_by,
    )
    event(
        case,
        "registered",
        _("登记线索 %(no)s（%(source)s）") % {"no": clue.clue_no, "source": clue.get_source_display()},
        user=user,
        on=received_on,
    )
    start_clock(case, "enforcement.filing", received_on)
    refresh_next_due(case)
    if source == ClueSource.COMPLAINT and enterprise is not None:
        record_fact(
            enterprise=enterprise,
            kind="enforcement.complaint_received",
            source=clue,
            on=received_on,
            data={
                "channel": channel,
                "product": product,
                "brand": brand,
                "model": model_spec,
                "product_type_id": product_type.pk if product_type else None,
            },
            summary=_("收到投诉举报：%(product)s") % {"product": product or "—"},
            user=user,
        )
    return clue


def _receipt_no(on: dt.date) -> str:
    while True:
        candidate = f"{RECEIPT_PREFIX}{on:%Y%m%d}{secrets.randbelow(10**6):06d}"
        if not Clue.objects.filter(receipt_no=candidate).exists():
            return candidate


def new_query_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def complaint_submit(
    *,
    channel: str,
    region: Region,
    enterprise_name: str,
    description: str,
    product: str = "",
    brand: str = "",
    model_spec: str = "",
    uscc: str = "",
    complainant_name: str = "",
    complainant_phone: str = "",
    received_on: dt.date | None = None,
) -> tuple[Clue, str]:
    """A complaint or report from the public (投诉举报): returns the clue and the query code, shown once."""
    if region.level == RegionLevel.NATIONAL:
        raise DomainError(_("所在地区：请选择被投诉举报对象所在的地区。"))
    enterprise = Enterprise.objects.filter(uscc=uscc.strip().upper()).first() if uscc.strip() else None
    if enterprise is None and enterprise_name.strip():
        enterprise = Enterprise.objects.filter(name=enterprise_name.strip(), region=region).first()
    code = new_query_code()
    clue = clue_register(
        user=None,
        source=ClueSource.COMPLAINT,
        channel=channel,
        region=enterprise.region if enterprise else region,
        enterprise=enterprise,
        enterprise_name=enterprise_name,
        description=description,
        product=product,
        brand=brand,
        model_spec=model_spec,
        complainant_name=complainant_name.strip(),
        complainant_phone=complainant_phone.strip(),
        received_on=received_on or today(),
        query_code=code,
    )
    return clue, code


# What the complainant may see of the case: the stage only, never the case's content.
PUBLIC_STAGES = {
    CaseStatus.REGISTERED: _("已受理，待核查"),
    CaseStatus.CHECKING: _("核查中"),
    CaseStatus.FILING_APPROVAL: _("核查中"),
    CaseStatus.NOT_FILED: _("经核查不予立案"),
    CaseStatus.MERGED: _("已与同一事项合并办理"),
    CaseStatus.CANCELLED: _("已终止办理"),
    CaseStatus.CLOSED: _("已办结"),
}


def complaint_status(*, receipt_no: str, query_code: str) -> dict | None:
    """The status of one complaint for its receipt number and query code; None when the pair does not match."""
    clue = (
        Clue.objects.filter(receipt_no=(receipt_no or "").strip().upper(), source=ClueSource.COMPLAINT)
        .select_related("case__merged_into")
        .first()
    )
    if clue is None or not clue.query_code_hash or not check_password((query_code or "").strip(), clue.query_code_hash):
        return None
    case = clue.case
    while case.status == CaseStatus.MERGED and case.merged_into_id:
        case = case.merged_into
    stage = PUBLIC_STAGES.get(case.status)
    if stage is None:
        stage = _("已立案调查") if case.filed_on else _("核查中")
        if case.decided_on:
            stage = _("已作出处理决定")
    return {
        "receipt_no": clue.receipt_no,
        "received_on": clue.received_on.isoformat(),
        "channel": clue.get_channel_display(),
        "stage": str(stage),
    }


@transaction.atomic
def case_from_sample(*, user, sample, followup=None, on: dt.date | None = None) -> Clue:
    """A failed sample becomes a clue (from the sample page or the post-processing step 移送立案查处)."""
    from sampling.models import FollowUpStep, Verdict

    if sample.final_verdict != Verdict.FAIL:
        raise DomainError(_("抽样单：只有最终结论为不合格的样品才能移送立案查处。"))
    if followup is not None and (followup.sample_id != sample.pk or followup.step != FollowUpStep.REFERRAL):
        raise DomainError(_("后处理环节：不是该抽样单的“移送立案查处”环节。"))
    existing = Clue.objects.filter(sample=sample).select_related("case").exclude(case__status=CaseStatus.CANCELLED)
    found = existing.first()
    if found is not None:
        if followup is not None and found.followup_id is None:
            Clue.objects.filter(pk=found.pk).update(followup=followup)
            found.followup = followup
        return found
    items = _failed_items(sample)
    description = _("监督抽查不合格：抽样单 %(no)s，%(product)s，不合格项目：%(items)s。") % {
        "no": sample.sample_no,
        "product": sample.product_type.name,
        "items": "、".join(items) or "—",
    }
    return clue_register(
        user=user,
        source=ClueSource.SAMPLE,
        region=sample.region,
        enterprise=sample.enterprise,
        product_type=sample.product_type,
        brand=sample.brand,
        model_spec=sample.model_spec,
        description=description,
        received_on=on or today(),
        sample=sample,
        followup=followup,
    )


def _failed_items(sample) -> list[str]:
    from sampling.models import ItemResult

    names = ItemResult.objects.filter(result__sample=sample, verdict="fail").values_list("item_name", flat=True)
    return list(dict.fromkeys(names))


@transaction.atomic
def cases_merge(*, user, case: Case, into: Case, on: dt.date | None = None) -> Case:
    """并案: the clues of ``case`` move to ``into`` (same enterprise and product); ``case`` ends as 已并案."""
    on = on or today()
    case, into = locked(case), locked(into)
    check(policies.can_merge(user, case) and policies.can_merge(user, into), _("您无权合并这两条线索。"))
    if case.pk == into.pk:
        raise DomainError(_("并入案件：不能并入自身。"))
    if (case.enterprise_id, case.product_type_id) != (into.enterprise_id, into.product_type_id) or (
        case.enterprise_id is None and case.party_name != into.party_name
    ):
        raise DomainError(_("并入案件：只能合并同一企业、同一产品的线索。"))
    moved = list(case.clues.values_list("clue_no", flat=True))
    Clue.objects.filter(case=case).update(case=into)
    case.merged_into = into
    move(
        case,
        CaseStatus.MERGED,
        user=user,
        on=on,
        text=_("并入案件 %(no)s") % {"no": into.case_no},
        fields=("merged_into",),
    )
    stop_all_clocks(case, on)
    refresh_next_due(case)
    event(
        into,
        "merged",
        _("并入线索 %(clues)s（原案件 %(no)s）") % {"clues": "、".join(moved), "no": case.case_no},
        user=user,
        on=on,
    )
    # The earliest clue starts the filing limit of the merged case.
    return into


def merge_candidates(case: Case):
    """Open cases before filing about the same enterprise and product (shown together on the case page)."""
    if case.enterprise_id is None:
        return Case.objects.none()
    return (
        Case.objects.filter(
            enterprise_id=case.enterprise_id,
            product_type_id=case.product_type_id,
            status__in=(CaseStatus.REGISTERED, CaseStatus.CHECKING),
        )
        .exclude(pk=case.pk)
        .order_by("discovered_on", "id")
    )


def ensure_permission(user, allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
