"""Demo sampling data for Hunan: tasks 2023–2026 with samples, confirmed results and announcements.

Rows are written with the ORM directly (the workflows live in services); a seeded generator per task
makes every run produce the same data, and a task whose code exists is skipped, so re-running adds nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.data.catalogue import CATALOGUE
from core.demo import RETAIL_INDUSTRY, demo_enterprise_usccs, demo_username, producer_words_for_type
from core.models import Enterprise, EnterpriseSize, EnterpriseStatus, Institution, ProductType, Role, TestItem, User
from sampling.models import (
    FollowUpStep,
    ItemResult,
    Sample,
    SamplingTask,
    Stage,
    TaskLevel,
    TaskStatus,
    TestResult,
    Verdict,
)
from sampling.services.publication import announcement_create, announcement_publish
from sampling.services.tasks import task_complete, task_set_status
from sampling.services.verdicts import results_confirmed_after


@dataclass(frozen=True)
class DemoTask:
    code: str
    name: str
    level: str
    year: int
    region: str
    batches: int
    type_count: int
    institution: str
    published: bool
    # A special (专项) task: these product types only, and a batch pass rate of its own instead of the size-based
    # one (that share of its batches fail, rounded); ``repeat_failures`` of its failing batches go to enterprises
    # that already failed that year.
    type_codes: tuple[str, ...] = ()
    pass_rate: float | None = None
    repeat_failures: int = 0


DEMO_TASKS = [
    DemoTask("HNSJ-2023-01", "2023年湖南省产品质量省级监督抽查（第一批）", TaskLevel.PROVINCE, 2023, "430000", 120, 12,
             "湖南省产品质量检验研究院", True),
    DemoTask("CSSJ-2023-01", "2023年长沙市产品质量监督抽查", TaskLevel.CITY, 2023, "430100", 80, 8,
             "长沙市产品质量监督检验所", True),
    DemoTask("HNSJ-2024-01", "2024年湖南省产品质量省级监督抽查（第一批）", TaskLevel.PROVINCE, 2024, "430000", 120, 12,
             "湖南省产品质量检验研究院", True),
    DemoTask("CSSJ-2024-01", "2024年长沙市产品质量监督抽查", TaskLevel.CITY, 2024, "430100", 80, 8,
             "长沙市产品质量监督检验所", True),
    DemoTask("HNSJ-2025-01", "2025年湖南省产品质量省级监督抽查（第一批）", TaskLevel.PROVINCE, 2025, "430000", 120, 12,
             "湖南省计量检测研究院", True),
    DemoTask("HNSJ-2026-01", "2026年湖南省产品质量省级监督抽查（第一批）", TaskLevel.PROVINCE, 2026, "430000", 80, 10,
             "湖南省产品质量检验研究院", False),
    # Power banks: a steady record, then this year's drop, which early warning's pass-rate signal must find
    # (docs/early-warning.md); two of this year's failures are repeat offenders.
    DemoTask("HNZX-2023-01", "2023年湖南省移动电源产品质量专项监督抽查", TaskLevel.PROVINCE, 2023, "430000", 32, 1,
             "湖南省产品质量检验研究院", True, ("G02-05",), 0.97),
    DemoTask("HNZX-2024-01", "2024年湖南省移动电源产品质量专项监督抽查", TaskLevel.PROVINCE, 2024, "430000", 32, 1,
             "湖南省产品质量检验研究院", True, ("G02-05",), 0.95),
    DemoTask("HNZX-2025-01", "2025年湖南省移动电源产品质量专项监督抽查", TaskLevel.PROVINCE, 2025, "430000", 32, 1,
             "湖南省产品质量检验研究院", True, ("G02-05",), 0.94),
    DemoTask("HNZX-2026-01", "2026年湖南省移动电源产品质量专项监督抽查", TaskLevel.PROVINCE, 2026, "430000", 40, 1,
             "湖南省产品质量检验研究院", False, ("G02-05",), 0.65, 2),
]  # fmt: skip

# Pass probability by enterprise size, after the 2017 national figures (大 96.7%, 中 93.8%, 小 90.0%).
_PASS_RATE = {
    EnterpriseSize.LARGE: 0.967,
    EnterpriseSize.MEDIUM: 0.938,
    EnterpriseSize.SMALL: 0.900,
    EnterpriseSize.MICRO: 0.880,
}
_STAGE_WEIGHTS = {Stage.PRODUCTION: 70, Stage.CIRCULATION: 20, Stage.ECOMMERCE: 10}
_BRAND_CHARS = "美佳宜康乐优朗达瑞丰华星润诺雅捷博信洁安"
# Specification/model patterns per product type; other types get a letters-digits model.
_MODEL_PATTERNS = {
    "G01-01": ["{kid}"],
    "G01-02": ["1.5m床 四件套", "1.8m床 四件套", "200cm×230cm"],
    "G01-03": ["{adult}", "{adult} 白鸭绒"],
    "G01-04": ["34cm×76cm", "70cm×140cm"],
    "G01-05": ["货号{code} 240", "货号{code} 255"],
    "G01-06": ["货号{code} 260", "货号{code} 42码"],
    "G04-01": ["{npk} 40kg/袋", "{npk} 50kg/袋"],
    "G04-02": ["N≥46.0% 40kg/袋", "N≥46.0% 50kg/袋"],
    "G04-03": ["P₂O₅≥12.0% 50kg/袋", "P₂O₅≥14.0% 40kg/袋"],
    "G04-04": ["40kg/袋", "25kg/袋"],
    "G04-05": ["0.010mm×1200mm", "0.012mm×1500mm"],
    "G05-01": ["TDT{n}Z", "TDR{n}Z"],
    "G05-04": ["MFZ/ABC2", "MFZ/ABC4", "MFZ/ABC8"],
    "G05-05": ["205/55R16 91V", "195/65R15 91H", "225/45R17 94W"],
    "G06-01": ["BV 450/750V 1×2.5mm²", "BVR 450/750V 1×4mm²", "RVV 300/500V 3×1.5mm²", "BV 450/750V 1×1.5mm²"],
    "G06-02": ["{letters}-{n} 10A 250V", "{letters}-{n} 16A 250V"],
    "G06-03": ["{letters}-63 C16", "{letters}-63 C32", "{letters}-32 C20"],
    "G06-05": ["HRB400E Φ12", "HRB400E Φ16", "HRB400 Φ10"],
    "G07-01": ["600mm×600mm×9.5mm", "800mm×800mm×10mm", "300mm×600mm×8.5mm", "750mm×1500mm×11mm"],
    "G07-02": ["P·O 42.5", "P·O 52.5", "P·C 42.5R"],
    "G07-03": ["SBS Ⅰ PY PE PE 4mm 10m²", "SBS Ⅱ PY S 3mm 10m²"],
    "G07-04": ["1220mm×2440mm×18mm", "1220mm×2440mm×15mm"],
    "G07-05": ["{n}L/桶", "5L/桶"],
    "G07-06": ["dn32 PN1.6 PE100", "dn63 PN1.25 PE100", "dn110 PN1.0 PE80"],
    "G08-01": ["{n}mL", "{n}mL 保鲜盒"],
    "G08-02": ["{n}mL 纸杯", "{n}mL 纸碗"],
    "G08-04": ["500g", "1.1kg", "1.5kg"],
    "G08-05": ["8英寸盘", "4.5英寸碗"],
}
_KID_SIZES = ["73", "80", "90", "100", "110", "120", "130", "140", "150"]
_ADULT_SIZES = ["160/84A", "165/88A", "170/92A", "175/96A", "180/100A"]
_NPK = ["15-15-15", "17-17-17", "20-10-10", "16-8-16", "18-8-14"]
_QUANTITY = {
    "G01": "6件",
    "G02": "4台",
    "G03": "6件",
    "G04": "4kg",
    "G05": "3件",
    "G06": "30m",
    "G07": "20块",
    "G08": "20个",
}
# Unit price range in fen (分) per group.
_PRICE_RANGE = {
    "G01": (2990, 89900),
    "G02": (4990, 329900),
    "G03": (990, 159900),
    "G04": (8000, 32000),
    "G05": (3990, 259900),
    "G06": (1290, 89900),
    "G07": (2500, 49900),
    "G08": (290, 12900),
}
_ECOMMERCE_PLATFORMS = ["天猫", "京东", "拼多多", "抖音电商"]


def _model_spec(rng: random.Random, type_code: str) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTWXYZ") for _ in range(2))
    return (
        rng.choice(_MODEL_PATTERNS.get(type_code, ["{letters}-{n}", "{letters}{n}", "{letters}-{n}{letter}"]))
        .replace("{letters}", letters)
        .replace("{letter}", rng.choice("ABCDS"))
        .replace("{kid}", rng.choice(_KID_SIZES))
        .replace("{adult}", rng.choice(_ADULT_SIZES))
        .replace("{npk}", rng.choice(_NPK))
        .replace("{code}", str(rng.randint(1000, 9999)))
        .replace("{n}", str(rng.choice([5, 8, 10, 12, 15, 18, 20, 25, 30, 50, 100, 120, 150, 200, 300, 500])))
    )


def _makes(enterprise: Enterprise, words: list[str]) -> bool:
    name = enterprise.name
    for suffix in ("股份有限公司", "集团有限公司", "有限公司"):
        name = name.removesuffix(suffix)
    return any(name.endswith(word) for word in words)


def _create_task(
    spec: DemoTask,
    *,
    enterprises: list[Enterprise],
    product_types: list[ProductType],
    items_by_type: dict[int, list[TestItem]],
    users: dict[str, User],
) -> int:
    rng = random.Random(spec.code)
    prefix = "hn" if spec.level == TaskLevel.PROVINCE else "cs"
    institution, _created = Institution.objects.get_or_create(name=spec.institution)
    if spec.type_codes:
        types = [t for t in product_types if t.code in spec.type_codes]
    else:
        types = rng.sample(product_types, spec.type_count)
    task = SamplingTask.objects.create(
        code=spec.code,
        name=spec.name,
        level=spec.level,
        year=spec.year,
        batch="第一批",
        region_id=spec.region,
        target_batches=spec.batches,
        institution=institution,
        budget=Decimal(spec.batches * 2500),
        deadline=datetime.date(spec.year, 11, 30),
        created_by=users[f"{prefix}_inspector"],
    )
    task.product_types.set(types)

    prefix_len = 4 if spec.level == TaskLevel.CITY else 2
    in_region = [e for e in enterprises if e.region_id[:prefix_len] == spec.region[:prefix_len]]
    retailers = [e for e in in_region if e.industry == RETAIL_INDUSTRY]
    used: set[int] = set()
    last_day = datetime.date(spec.year, 9, 30)
    first_day = datetime.date(spec.year, 3, 1)
    inspectors = [users["hn_inspector"], users["cs_inspector"], users["fr_inspector"]]
    # Enterprises that already failed this year (a special task's repeat offenders are drawn from them).
    failed_before = list(
        Enterprise.objects.filter(
            pk__in=Sample.objects.filter(year=spec.year, final_verdict=Verdict.FAIL).values("enterprise_id"),
            region__code__startswith=spec.region[:prefix_len],
        ).order_by("uscc")
    )
    repeats = spec.repeat_failures
    # A special task's failing batches: a fixed number at its pass rate, at places the task's generator picks.
    failing = (
        set(rng.sample(range(spec.batches), round(spec.batches * (1 - spec.pass_rate))))
        if spec.pass_rate is not None
        else set()
    )

    samples, results = [], []
    for n in range(spec.batches):
        product_type = types[n % len(types)]
        stage = rng.choices(list(_STAGE_WEIGHTS), weights=list(_STAGE_WEIGHTS.values()))[0]
        passed = n not in failing if spec.pass_rate is not None else None
        if passed is False and repeats and any(e.pk not in used for e in failed_before):
            repeats -= 1
            candidates = [e for e in failed_before if e.pk not in used][:1]
        elif stage == Stage.PRODUCTION:
            words = producer_words_for_type(product_type.code)
            candidates = [
                e for e in in_region if e.pk not in used and e.industry != RETAIL_INDUSTRY and _makes(e, words)
            ]
        else:
            candidates = [e for e in retailers if e.pk not in used]
        if not candidates:
            candidates = [e for e in in_region if e.pk not in used] or in_region
        enterprise = rng.choice(candidates)
        used.add(enterprise.pk)
        sampled_on = first_day + datetime.timedelta(days=rng.randint(0, (last_day - first_day).days))
        produced_on = sampled_on - datetime.timedelta(days=rng.randint(10, 180))
        if stage == Stage.ECOMMERCE:
            place = f"{rng.choice(_ECOMMERCE_PLATFORMS)} {enterprise.name}网店"
        elif stage == Stage.CIRCULATION:
            place = f"{enterprise.address}（销售区）"
        else:
            place = f"{enterprise.address}（成品库）"
        if passed is None:
            passed = rng.random() < _PASS_RATE[enterprise.size]
        sample = Sample(
            task=task,
            sample_no=f"{spec.code}-{n + 1:04d}",
            enterprise=enterprise,
            product_type=product_type,
            brand="".join(rng.sample(_BRAND_CHARS, 2)),
            model_spec=_model_spec(rng, product_type.code),
            production_batch=produced_on.isoformat()
            if rng.random() < 0.6
            else f"{produced_on:%Y%m%d}{rng.choice('ABC')}",
            stage=stage,
            place=place,
            sampled_on=sampled_on,
            quantity=_QUANTITY[product_type.group.code],
            base_price=Decimal(rng.randint(*_PRICE_RANGE[product_type.group.code])) / 100,
            region_id=enterprise.region_id,
            zone=enterprise.region.zone,
            enterprise_size=enterprise.size,
            year=spec.year,
            # The final verdict is settled by the after-confirmation step below, as for an import.
            created_by=users[f"{prefix}_inspector"],
        )
        items = items_by_type[product_type.pk]
        failed = [] if passed else rng.sample(items, 1 if rng.random() < 0.8 else 2)
        tested_on = sampled_on + datetime.timedelta(days=rng.randint(10, 25))
        result = TestResult(
            report_no=f"{spec.code.replace('-', '')}-JY{n + 1:04d}",
            institution=institution,
            tested_on=tested_on,
            verdict=Verdict.PASS if passed else Verdict.FAIL,
            failed_items=[item.name for item in failed],
            is_confirmed=True,
            status="confirmed",
            confirmed_at=datetime.datetime.combine(
                tested_on, datetime.time(16, 0), tzinfo=timezone.get_current_timezone()
            ),
            confirmed_by=users[f"{prefix}_inspector"],
            verdict_received_on=tested_on + datetime.timedelta(days=rng.randint(3, 7)),
            entered_by=users[f"{prefix}_institution"],
        )
        samples.append(sample)
        results.append((result, items, {item.pk for item in failed}))

    Sample.objects.bulk_create(samples)
    Sample.inspectors.through.objects.bulk_create(
        [
            Sample.inspectors.through(sample_id=sample.pk, user_id=inspector.pk)
            for sample in samples
            for inspector in random.Random(sample.sample_no).sample(inspectors, 2)
        ]
    )
    for sample, (result, _items, _failed) in zip(samples, results, strict=True):
        result.sample = sample
    TestResult.objects.bulk_create([result for result, _items, _failed in results])
    ItemResult.objects.bulk_create(
        [
            ItemResult(
                result=result,
                test_item=item,
                item_name=item.name,
                standard=item.standard,
                requirement=item.requirement,
                measured_value=_("不符合") if item.pk in failed else _("符合"),
                verdict=Verdict.FAIL if item.pk in failed else Verdict.PASS,
                order=item.order,
            )
            for result, items, failed in results
            for item in items
        ]
    )
    # Through the front door: the task is under way, and each day's confirmations end in the after-confirmation
    # step (final verdicts, notice steps, facts), as the browser and the import do.
    task_set_status(task=task, to=TaskStatus.IN_PROGRESS)
    by_day: dict[datetime.date, list[int]] = {}
    for sample, (result, _items, _failed) in zip(samples, results, strict=True):
        by_day.setdefault(timezone.localdate(result.confirmed_at), []).append(sample.pk)
    for day, ids in sorted(by_day.items()):
        results_confirmed_after(user=users[f"{prefix}_inspector"], sample_ids=ids, on=day)
    if spec.published:
        leader = users[f"{prefix}_leader"]
        _publish(task, samples, leader)
        task_complete(user=leader, task=task)
    return len(samples)


def _publish(task: SamplingTask, samples: list[Sample], leader: User) -> None:
    """The announcement is drafted and published through the publication services."""
    total = len(samples)
    failed = Sample.objects.filter(pk__in=[s.pk for s in samples], final_verdict=Verdict.FAIL).count()
    issuer = "湖南省市场监督管理局" if task.level == TaskLevel.PROVINCE else "长沙市市场监督管理局"
    announcement = announcement_create(
        user=leader,
        task=task,
        title=f"{issuer}关于{task.year}年产品质量监督抽查结果的公告",
        number=f"{'湘' if task.level == TaskLevel.PROVINCE else '长'}市监公告〔{task.year}〕{task.code[-1]}号",
        summary=(
            f"{issuer}组织开展了{task.name}，共抽查{total}批次产品，"
            f"发现{failed}批次不合格，批次合格率{(total - failed) / total:.1%}。现将抽查结果公告如下。"
        ),
    )
    announcement_publish(user=leader, announcement=announcement)


def load_demo_data() -> list[str]:
    """sampling's part of `load_demo`: the demo tasks that do not exist yet, with samples and results."""
    existing = set(SamplingTask.objects.filter(code__in=[t.code for t in DEMO_TASKS]).values_list("code", flat=True))
    missing = [spec for spec in DEMO_TASKS if spec.code not in existing]
    if not missing:
        return [
            _("抽查任务：演示任务已存在，未新增"),
            _demo_followups(),
            _demo_states(),
            _demo_draws(),
            _demo_lab_work(),
        ]
    usccs = demo_enterprise_usccs()
    enterprises = list(
        Enterprise.objects.filter(uscc__in=usccs, status=EnterpriseStatus.ACTIVE).select_related("region")
    )
    order = {uscc: n for n, uscc in enumerate(usccs)}
    enterprises.sort(key=lambda e: order[e.uscc])
    catalogue_codes = [t["code"] for group in CATALOGUE for t in group["types"]]
    product_types = list(
        ProductType.objects.filter(code__in=catalogue_codes, is_active=True).select_related("group").order_by("code")
    )
    items_by_type: dict[int, list[TestItem]] = {}
    for item in TestItem.objects.filter(product_type__in=product_types).order_by("product_type", "order", "id"):
        items_by_type.setdefault(item.product_type_id, []).append(item)
    product_types = [t for t in product_types if items_by_type.get(t.pk)]
    usernames = [
        demo_username(p, r) for p in ("hn", "cs", "fr") for r in (Role.INSPECTOR, Role.INSTITUTION, Role.LEADER)
    ]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    created = 0
    with transaction.atomic():
        for spec in missing:
            created += _create_task(
                spec, enterprises=enterprises, product_types=product_types, items_by_type=items_by_type, users=users
            )
    return [
        _("抽查任务：新增 %(tasks)d 个，抽样单 %(samples)d 批次") % {"tasks": len(missing), "samples": created},
        _demo_followups(),
        _demo_states(),
        _demo_draws(),
        _demo_lab_work(),
    ]


def _demo_followups() -> str:
    """Post-processing of the demo failures, through the same services staff use.

    Past years: the chain is worked through (notice, rectification, re-inspection; one enterprise fails the
    re-inspection and goes on to publication and a second re-inspection). The current year: notices are
    served when due, the rest stays open so the due and overdue lists have something to show.
    """
    from sampling.models import FollowUp
    from sampling.services.followups import followup_complete

    user = User.objects.filter(username=demo_username("hn", Role.INSPECTOR)).first()
    if user is None:
        return _("后处理：未找到演示抽样人员，跳过")
    today = timezone.localdate()
    started = 0
    # The notices the after-confirmation step opened and nobody has served yet (a second run finds none due).
    notices = (
        FollowUp.objects.filter(
            sample__task__code__in=[t.code for t in DEMO_TASKS], step=FollowUpStep.NOTICE, done_on__isnull=True
        )
        .select_related("sample__task", "sample__enterprise")
        .order_by("sample__task__year", "sample__sample_no")
    )
    with transaction.atomic():
        for n, notice in enumerate(notices):
            sample = notice.sample
            if notice.due_on is None or notice.due_on > today:
                continue
            started += 1
            # This year's enterprises were served their notices; what follows is still open (some overdue).
            current = sample.task.year == today.year
            _work_through(followup_complete, user, notice, today, escalate=(n == 0), stop_after_notice=current)
    from sampling.services.followups import followups_record_overdue

    # What the daily job would have recorded by today (rectifications past their limit).
    followups_record_overdue()
    return _("后处理：办理 %(count)d 个不合格批次的后处理流程") % {"count": started}


def _demo_states() -> str:
    """The other states of the workflows, through the services: on this year's failures an objection still open
    (verdict pending), one refused, one in re-testing and one decided by a passing re-test; and a draft
    announcement of this year's task. Runs once (nothing is added when the demo tasks have objections)."""
    from sampling.models import Objection
    from sampling.services.objections import objection_assign_retest, objection_file, objection_reject
    from sampling.services.results import result_confirm, result_enter

    codes = [t.code for t in DEMO_TASKS]
    if Objection.objects.filter(sample__task__code__in=codes).exists():
        return _("异议与公告草稿：已存在，未新增")
    user = User.objects.filter(username=demo_username("hn", Role.INSPECTOR)).first()
    leader = User.objects.filter(username=demo_username("hn", Role.LEADER)).first()
    today = timezone.localdate()
    # Not the year's repeat offenders: their failures stand (early warning's demo finds them).
    repeaters = (
        Sample.objects.filter(task__code__in=codes, year=today.year, final_verdict=Verdict.FAIL)
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values("enterprise_id")
    )
    failures = list(
        Sample.objects.filter(
            task__code__in=codes,
            task__year=today.year,
            final_verdict=Verdict.FAIL,
            results__is_retest=False,
            results__verdict_received_on__isnull=False,
        )
        .exclude(enterprise_id__in=repeaters)
        .select_related("task", "product_type")
        .order_by("sample_no")[:4]
    )
    if user is None or leader is None or not failures:
        return _("异议与公告草稿：没有可用的演示数据，跳过")
    with transaction.atomic():
        for n, sample in enumerate(failures):
            first = sample.results.get(is_retest=False)
            filed_on = min(first.verdict_received_on + datetime.timedelta(days=3), today)
            objection = objection_file(
                user=user, sample=sample, filed_on=filed_on, reason=_("演示数据：企业认为样品运输中受损，申请复检")
            )
            if n == 1:
                objection_reject(user=user, objection=objection, note=_("演示数据：样品封存完好，异议理由不成立"))
            elif n >= 2:
                other = Institution.objects.exclude(pk=first.institution_id).order_by("pk").first()
                objection_assign_retest(user=user, objection=objection, institution=other)
                if n == 3:
                    retest = result_enter(
                        user=user,
                        sample=sample,
                        report_no=f"{first.report_no}-FJ",
                        institution=other,
                        tested_on=today,
                        items=[
                            {"item_name": i.item_name, "standard": i.standard, "requirement": i.requirement,
                             "measured_value": _("符合"), "verdict": Verdict.PASS}
                            for i in first.items.all()
                        ],
                        retest=True,
                    )  # fmt: skip
                    result_confirm(user=user, result=retest)
        task = failures[0].task
        drafted = False
        from sampling import policies
        from sampling.services.publication import publishable_samples

        if (
            task.status != TaskStatus.COMPLETED
            and policies.can_draft_announcement(leader, task)
            and publishable_samples(task).exists()
        ):
            announcement_create(user=leader, task=task, title=_("%(year)d年抽查结果公告（草稿）") % {"year": task.year})
            drafted = True
    return _("异议与公告草稿：异议 %(count)d 件，公告草稿 %(drafts)d 份") % {
        "count": len(failures),
        "drafts": int(drafted),
    }


def _serve_notices(user, notice, served_on: datetime.date) -> list:
    """Serve a failed sample's 检验结果通知书 and 不合格通知书 in person on the notice step's due date, through the
    service the sample page uses (which completes the notice step); return the steps that opened."""
    from sampling.models_notices import NoticeKind, ServiceMethod
    from sampling.services.notices import notice_serve

    sample = notice.sample
    first = sample.results.get(is_retest=False)
    recipient = sample.enterprise.legal_representative or sample.enterprise.name
    for kind in (NoticeKind.RESULT, NoticeKind.FAILURE):
        notice_serve(
            user=user, result=first, kind=kind, method=ServiceMethod.DIRECT, served_on=served_on, recipient=recipient
        )
    return list(sample.followups.filter(done_on__isnull=True).exclude(pk=notice.pk).order_by("id"))


def _work_through(complete, user, notice, today: datetime.date, *, escalate: bool, stop_after_notice: bool) -> None:
    """Complete the steps whose due date has passed, as an inspector would have done."""
    open_steps = [notice]
    while open_steps:
        step = open_steps.pop(0)
        done_on = step.due_on
        if done_on is None or done_on > today or (step.earliest_on and step.earliest_on > today):
            continue
        if step.step in ("reinspection", "second_reinspection", "stop_order"):
            outcome = "failed" if escalate and step.step == "reinspection" else "passed"
        else:
            outcome = "done"
        note = _("演示数据：按期办结")
        if step.step == FollowUpStep.NOTICE:
            # The notice step is done by serving the notices, as from the sample page (送达回证 recorded).
            following = _serve_notices(user, step, done_on)
        else:
            following = complete(user=user, followup=step, done_on=done_on, outcome=outcome, note=note)
        if not stop_after_notice:
            open_steps.extend(following)


# --- draw (随机抽取): tasks planned for this year and drawn through the service -------------------------


@dataclass(frozen=True)
class DemoDrawTask:
    code: str
    name: str
    region: str
    organiser: str  # demo account prefix of the bureau that plans and draws it
    product_codes: tuple[str, ...]
    count: int


# A county draw (芙蓉区, its own three inspectors) and a city draw (长沙市: county inspectors are sent to
# enterprises of other counties), both of the towel-and-kettle kind, so no fertiliser maker is ever drawn.
DEMO_DRAW_TASKS = [
    DemoDrawTask("FRSJ-DRAW-01", "芙蓉区毛巾、电热水壶监督抽查", "430102", "fr", ("G01-04", "G02-07"), 4),
    DemoDrawTask("CSSJ-DRAW-01", "长沙市毛巾、电热水壶监督抽查", "430100", "cs", ("G01-04", "G02-07"), 12),
]  # fmt: skip


def _demo_draws() -> str:
    """Plan the draw demo tasks (task_create) and draw them (draw_enterprises): the seed comes from the server, so
    each installation draws its own list; a task whose code exists is skipped."""
    from core.models import Region
    from sampling.services.draw import candidate_enterprises, draw_enterprises
    from sampling.services.tasks import task_create, task_level_for

    year = timezone.localdate().year
    drawn = 0
    for spec in DEMO_DRAW_TASKS:
        if SamplingTask.objects.filter(code=spec.code).exists():
            continue
        organiser = User.objects.filter(username=demo_username(spec.organiser, Role.INSPECTOR)).first()
        types = list(ProductType.objects.filter(code__in=spec.product_codes))
        if organiser is None or not types:
            continue
        with transaction.atomic():
            institution_user = User.objects.filter(username=demo_username(spec.organiser, Role.INSTITUTION)).first()
            task = task_create(
                user=organiser,
                code=spec.code,
                name=f"{year}年{spec.name}",
                level=task_level_for(organiser),
                year=year,
                batch="第一批",
                product_types=types,
                target_batches=spec.count,
                institution=institution_user.institution if institution_user else None,
                deadline=timezone.localdate() + datetime.timedelta(days=DRAW_TASK_DAYS),
            )
            available = candidate_enterprises(
                region=Region.objects.get(code=spec.region), product_type_ids=[t.pk for t in types], stage=""
            ).count()
            if available:
                draw_enterprises(task=task, user=organiser, count=min(spec.count, available))
                drawn += 1
    return _("随机抽取：新增 %(n)d 个已抽取的演示任务") % {"n": drawn}


# The drawn tasks are due this many days from the demo's day; the city task's first three drawn enterprises are
# sampled, so its institution has a sample to receive, one to test and one result to confirm.
DRAW_TASK_DAYS = 20
LAB_TASK = "CSSJ-DRAW-01"


def _demo_lab_work() -> str:
    """Work in progress on the city draw task, through the services the pages use: the drawn inspectors register
    three samples (抽样单) today; the institution receives two of them and enters (without confirming)
    the result of one. Skipped once the task has samples."""
    from sampling.services.draw import current_draw
    from sampling.services.results import result_enter
    from sampling.services.samples import sample_receive, sample_register

    task = SamplingTask.objects.filter(code=LAB_TASK).select_related("institution").first()
    draw = current_draw(task) if task is not None else None
    lab = User.objects.filter(username=demo_username("cs", Role.INSTITUTION)).first()
    if task is None or draw is None or task.institution is None or lab is None or task.samples.exists():
        return _("检验工作台：没有可用的演示数据或已存在，未新增")
    today = timezone.localdate()
    sampled_on = today  # the draw is today's too
    types = list(task.product_types.order_by("code"))
    registered = []
    with transaction.atomic():
        for n, (enterprise_id, inspector_ids) in enumerate(list(draw.assignments.items())[:3]):
            inspectors = list(User.objects.filter(pk__in=[int(i) for i in inspector_ids]).order_by("pk"))
            enterprise = Enterprise.objects.select_related("region").get(pk=int(enterprise_id))
            product_type = types[n % len(types)]
            registered.append(
                sample_register(
                    user=inspectors[0],
                    task=task,
                    sample_no=f"{task.code}-{n + 1:04d}",
                    enterprise=enterprise,
                    product_type=product_type,
                    brand=_("演示品牌"),
                    model_spec=_model_spec(random.Random(n), product_type.code),
                    production_batch=f"{sampled_on - datetime.timedelta(days=40):%Y%m%d}A",
                    stage=Stage.PRODUCTION,
                    place=enterprise.address or enterprise.name,
                    sampled_on=sampled_on,
                    quantity=_QUANTITY.get(product_type.group.code, "4件"),
                    inspectors=inspectors,
                )
            )
        for sample in registered[1:]:
            sample_receive(user=lab, sample=sample, received_on=today, condition=_("封样完好"))
        if len(registered) == 3:
            sample = registered[2]
            result_enter(
                user=lab,
                sample=sample,
                report_no=f"{task.code}-JY0003",
                institution=task.institution,
                tested_on=today,
                items=[
                    {"item_name": item.name, "standard": item.standard, "requirement": item.requirement,
                     "measured_value": _("符合"), "verdict": Verdict.PASS}
                    for item in TestItem.objects.filter(product_type=sample.product_type).order_by("order", "id")
                ],
            )  # fmt: skip
    return _("检验工作台：登记抽样单 %(n)d 份（待收样 1、待检 1、待确认 1）") % {"n": len(registered)}
