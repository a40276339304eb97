"""enforcement's part of `load_demo`: cases of the demo province in every state, through the services.

Dates run back from today, so some cases are overdue, some paused, one waits for the police, several decisions
are published, and the public complaints carry receipts. Safe to run twice (nothing is added the second time)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Enterprise, EnterpriseFact, ProductType, Region, Role, User
from enforcement import services
from enforcement.models import Case, CaseStatus, ClueSource, LegalBasis, OverturnKind, ReviewOpinion
from enforcement.reference import load_legal_bases

REGION = "430102"
PREFIXES = ("fr", "cs")


def _accounts() -> dict[str, User]:
    """The demo team of 芙蓉区: the demo accounts plus a second credentialed handler (cases need two)."""
    from core.demo import DEMO_PASSWORD

    region = Region.objects.get(code=REGION)
    users = {u.username: u for u in User.objects.filter(username__startswith="fr_")}
    handler = users.get("fr_case_handler")
    if handler is None:
        return {}
    if not handler.enforcement_credential:
        User.objects.filter(pk=handler.pk).update(enforcement_credential=f"{REGION}10001")
        handler.refresh_from_db()
    second, created = User.objects.get_or_create(
        username="fr_case_handler2",
        defaults={
            "role": Role.CASE_HANDLER,
            "jurisdiction": region,
            "last_name": "刘",
            "first_name": "洋",
            "organisation": handler.organisation,
            "enforcement_credential": f"{REGION}10002",
        },
    )
    if created:
        second.set_password(DEMO_PASSWORD)
        second.save(update_fields=["password"])
    return {
        "handler": handler,
        "handler2": second,
        "leader": users["fr_leader"],
        "reviewer": users["fr_legal_reviewer"],
        "inspector": users.get("fr_inspector", handler),
    }


class Driver:
    """Carries one case along the standard path, each step ``gap`` days after the one before."""

    def __init__(self, team: dict, basis: LegalBasis):
        self.t, self.basis = team, basis

    def run(
        self,
        enterprise: Enterprise,
        product_type,
        target: str,
        start: dt.date,
        *,
        fine="30000.00",
        hearing=False,
        pause=False,
        publish=False,
        description="",
        region=None,
    ) -> Case:
        t, S = self.t, CaseStatus
        on = start
        case = services.clue_register(
            user=t["inspector"],
            source=ClueSource.INSPECTION,
            region=region or enterprise.region,
            enterprise=enterprise,
            product_type=product_type,
            description=description or _("日常监督检查发现涉嫌生产、销售不合格产品"),
            received_on=on,
        ).case
        steps = [
            (S.CHECKING, lambda c, d: services.case_start_check(user=t["handler"], case=c, on=d)),
            (
                S.FILING_APPROVAL,
                lambda c, d: services.case_request_filing(
                    user=t["handler"],
                    case=c,
                    handlers=[t["handler"], t["handler2"]],
                    title=_("%(party)s生产不合格%(product)s案") % {"party": c.party_name, "product": product_type.name},
                    facts=_("当事人生产的%(product)s经检验不符合强制性国家标准。") % {"product": product_type.name},
                    violation_type=_("不符合强制性标准"),
                    on=d,
                ),
            ),
            (S.INVESTIGATING, lambda c, d: services.case_approve_filing(user=t["leader"], case=c, on=d)),
        ]
        for _status, step in steps:
            if case.status == target:
                return case
            on += dt.timedelta(days=2)
            case = step(case, on)
        if pause:
            services.case_pause(
                user=t["handler"], case=case, reason="testing", note=_("送检验机构检验"), on=on + dt.timedelta(days=1)
            )
        if target == S.INVESTIGATING:
            return Case.objects.get(pk=case.pk)
        if target == S.TRANSFERRED:
            services.case_transfer(
                user=t["leader"],
                case=case,
                authority=_("长沙市公安局芙蓉分局"),
                reason=_("涉嫌生产、销售伪劣产品罪"),
                receipt_no="GA-2026-017",
                on=on + dt.timedelta(days=3),
            )
            return Case.objects.get(pk=case.pk)
        on += dt.timedelta(days=5)
        services.evidence_add(user=t["handler"], case=case, kind="documentary", title=_("检验报告"), collected_on=on)
        services.evidence_add(
            user=t["handler"],
            case=case,
            kind="record",
            title=_("现场检查笔录"),
            collected_on=on,
            collected_at=enterprise.address,
        )
        case = services.case_propose(
            user=t["handler"],
            case=case,
            report=_("经调查，违法事实清楚，证据确凿。"),
            facts=_("当事人生产的%(product)s 800 件经检验不合格，货值金额 40000.00 元，违法所得 3000.00 元。")
            % {"product": product_type.name},
            violation_type=_("不符合强制性标准"),
            penalty_types=["fine", "confiscate_gains"],
            bases=[self.basis],
            fine=Decimal(fine),
            confiscation=Decimal("3000.00"),
            illegal_gains=Decimal("3000.00"),
            goods_value=Decimal("40000.00"),
            complex_case=True,
            # Food-contact products are supervised as food (1 年 before credit repair).
            sector="food" if product_type.group.code == "G08" else "",
            on=on,
        )
        case = services.case_submit_review(user=t["handler"], case=case, on=on)
        if target == S.LEGAL_REVIEW:
            return case
        on += dt.timedelta(days=2)
        services.case_review(
            user=t["reviewer"],
            case=case,
            opinion=ReviewOpinion.AGREE,
            comment=_("事实清楚，证据确凿，适用依据正确，同意。"),
            on=on,
        )
        on += dt.timedelta(days=1)
        case = services.case_notify(user=t["handler"], case=Case.objects.get(pk=case.pk), on=on)
        if target == S.NOTIFIED:
            return case
        if target == S.DEFENCE:
            return services.case_record_defence(
                user=t["handler"],
                case=case,
                text=_("当事人称系初次违法，已主动召回，请求从轻处罚。"),
                on=on + dt.timedelta(days=2),
            )
        if target == S.HEARING:
            notice = on + dt.timedelta(days=2)
            return services.case_request_hearing(
                user=t["handler"],
                case=case,
                hearing_on=notice + dt.timedelta(days=14),
                place=_("芙蓉区市场监管局听证室"),
                host=_("唐德明"),
                on=notice,
            )
        on += dt.timedelta(days=10)
        if target == S.DISCUSSION:
            services.case_discuss(
                user=t["leader"],
                case=case,
                held_on=on,
                participants=_("局长、分管副局长、法制科科长、办案科室负责人"),
                conclusion=_("同意按拟处理意见作出处罚"),
            )
            return Case.objects.get(pk=case.pk)
        case = services.case_decide(user=t["leader"], case=case, on=on)
        if publish:
            services.penalty_publish(user=t["leader"], case=case, on=on + dt.timedelta(days=3))
            case = Case.objects.get(pk=case.pk)
        if target == S.DECIDED:
            return case
        on += dt.timedelta(days=2)
        case = services.case_serve(user=t["handler"], case=case, how=_("直接送达"), on=on)
        if target == S.SERVED:
            return case
        on += dt.timedelta(days=10)
        services.payment_record(
            user=t["handler"], case=case, amount=case.outstanding_total, paid_on=on, receipt_no="FS-2026-0001"
        )
        case = services.case_execute(user=t["handler"], case=Case.objects.get(pk=case.pk), on=on)
        if target == S.EXECUTED:
            return case
        return services.case_close(
            user=t["leader"], case=case, summary=_("罚没款已缴清，处罚决定执行完毕。"), on=on + dt.timedelta(days=1)
        )


ELSEWHERE = (
    ("440305", "91440300DEMO00001", "深圳市南山区鹏达电器有限公司"),
    ("440305", "91440300DEMO00002", "深圳市南山区华创电子科技有限公司"),
)


def _elsewhere(n: int) -> Enterprise:
    """A demo enterprise registered in Guangdong that sells in 芙蓉区 (Order 45 art. 10: its penalties are
    pushed to the registration authority)."""
    import random

    from core.demo import make_uscc
    from core.models import EnterpriseSize

    region_code, key, name = ELSEWHERE[n]
    found = Enterprise.objects.filter(name=name).first()
    if found is not None:
        return found
    return Enterprise.objects.create(
        name=name,
        uscc=make_uscc(region_code, random.Random(key)),
        legal_representative=_("陈志强"),
        address=_("深圳市南山区科技园"),
        region=Region.objects.get(code=region_code),
        industry=_("电器"),
        size=EnterpriseSize.MEDIUM,
    )


def load_demo_data() -> list[str]:
    load_legal_bases()
    if Case.objects.filter(region__code__startswith="43").exists():
        return [_("执法办案：演示案件已存在，未新增")]
    team = _accounts()
    enterprises = list(Enterprise.objects.filter(region_id=REGION).order_by("id")[:30])
    product_types = list(ProductType.objects.filter(is_active=True).order_by("code")[:10])
    if not team or len(enterprises) < 20 or not product_types:
        return [_("执法办案：缺少演示账号或企业，未新增")]
    basis = LegalBasis.objects.get(article="第四十九条", law__contains="产品质量法")
    today = timezone.localdate()
    driver = Driver(team, basis)
    S = CaseStatus
    # The decision left unpaid goes to a Changsha enterprise that also let a rectification lapse, when there is
    # one (it sold in the county; early warning's overdue-chain signal then sees both).
    lapsed = (
        EnterpriseFact.objects.filter(kind="sampling.rectification_overdue", region_code__startswith=REGION[:4])
        .order_by("enterprise_id")
        .values_list("enterprise_id", flat=True)
        .first()
    )
    if lapsed is not None:
        enterprises = [e for e in enterprises if e.pk != lapsed]
        enterprises.insert(12, Enterprise.objects.get(pk=lapsed))
    here = Region.objects.get(code=REGION)
    plan = [
        # (target, days ago the clue came in, options)
        (S.REGISTERED, 40, {}),  # the filing limit has passed: overdue
        (S.CHECKING, 10, {}),
        (S.FILING_APPROVAL, 12, {}),
        (S.INVESTIGATING, 30, {"pause": True}),  # paused for testing
        (S.INVESTIGATING, 110, {}),  # 90-日 decision limit passed: overdue
        (S.TRANSFERRED, 50, {}),
        (S.LEGAL_REVIEW, 40, {}),
        (S.NOTIFIED, 25, {}),
        (S.DEFENCE, 40, {}),
        (S.HEARING, 40, {"fine": "150000.00"}),
        (S.DISCUSSION, 60, {}),
        (S.DECIDED, 70, {}),  # the publication limit runs
        (S.SERVED, 90, {"publish": True}),  # payment overdue
        (S.EXECUTED, 120, {"publish": True}),
        (S.CLOSED, 150, {"publish": True}),
        (S.CLOSED, 200, {"publish": True, "fine": "5000.00"}),
    ]
    created = 0
    with transaction.atomic():
        for n, (target, days, options) in enumerate(plan):
            driver.run(
                enterprises[n],
                product_types[n % len(product_types)],
                target,
                today - dt.timedelta(days=days),
                region=here,
                **options,
            )
            created += 1
        # Not filed, cancelled, merged and the simplified procedure.
        case = driver.run(enterprises[16], product_types[0], S.CHECKING, today - dt.timedelta(days=20))
        services.case_not_file(
            user=team["leader"], case=case, reason=_("经核查，违法事实不成立"), on=today - dt.timedelta(days=15)
        )
        case = driver.run(enterprises[17], product_types[1], S.REGISTERED, today - dt.timedelta(days=8))
        services.case_cancel(
            user=team["leader"], case=case, reason=_("当事人已注销，无法继续办理"), on=today - dt.timedelta(days=2)
        )
        first = driver.run(enterprises[18], product_types[2], S.REGISTERED, today - dt.timedelta(days=6))
        second = driver.run(enterprises[18], product_types[2], S.REGISTERED, today - dt.timedelta(days=5))
        services.cases_merge(user=team["handler"], case=second, into=first, on=today - dt.timedelta(days=4))
        simple = driver.run(enterprises[19], product_types[3], S.REGISTERED, today - dt.timedelta(days=3))
        services.case_decide_simple(
            user=team["handler"],
            case=simple,
            penalty_types=["fine"],
            fine=Decimal("200.00"),
            facts=_("销售的产品无中文标识"),
            bases=[basis],
            party_type="organisation",
            on=today - dt.timedelta(days=3),
        )
        created += 5
        # A published decision revoked on administrative review: the publication must come down within 3 工作日.
        revoked = driver.run(enterprises[22], product_types[4], S.CLOSED, today - dt.timedelta(days=170), publish=True)
        services.decision_overturned(
            user=team["leader"],
            publication=revoked.publications.get(),
            kind=OverturnKind.REVOKED,
            on=today - dt.timedelta(days=1),
            authority=_("长沙市人民政府"),
            document_no=_("长政复决字〔2026〕18号"),
        )
        # Sellers registered in Guangdong: one decision pushed to the registration authority, one still to push.
        pushed = driver.run(
            _elsewhere(0), product_types[5], S.SERVED, today - dt.timedelta(days=100), region=here, publish=True
        )
        services.penalty_push(
            user=team["leader"],
            case=pushed,
            recipient=_("广东省深圳市市场监督管理局"),
            on=min(pushed.decided_on + dt.timedelta(days=5), today),
        )
        driver.run(_elsewhere(1), product_types[6], S.DECIDED, today - dt.timedelta(days=70), region=here)
        created += 3
        # Public complaints with receipts (one about a demo enterprise), and a case from a failed sample.
        region = Region.objects.get(code=REGION)
        receipts = []
        for channel, name, product, text in (
            ("12315", enterprises[20].name, _("电热水壶"), _("购买的电热水壶使用一周后漏电")),
            ("12365", _("某电器商行"), _("插线板"), _("插线板无 3C 标志，使用时发烫")),
            ("web", _("某童装店"), _("儿童服装"), _("童装绳带过长，存在安全隐患")),
            ("letter", enterprises[21].name, _("电动自行车充电器"), _("充电器外壳开裂")),
        ):
            clue, code = services.complaint_submit(
                channel=channel,
                region=region,
                enterprise_name=name,
                product=product,
                description=text,
                received_on=today - dt.timedelta(days=2),
            )
            receipts.append(f"{clue.receipt_no}/{code}")
        from sampling.models import Sample

        sample = Sample.objects.filter(region_id=REGION, final_verdict="fail").order_by("-sampled_on", "id").first()
        if sample is not None:
            services.case_from_sample(user=team["inspector"], sample=sample, on=today - dt.timedelta(days=1))
            created += 1
        # What the daily job would have recorded by today: the fines past their payment limit.
        services.fines_overdue_record(on=today)
    return [
        _("执法办案：新增演示案件 %(n)d 件") % {"n": created},
        _("投诉举报回执号/查询码：%(pairs)s") % {"pairs": "，".join(receipts)},
    ]
