"""Demo data of credit (runs after the other apps' loaders): records and classes from whatever facts exist,
listings in every state, early-removal and repair applications, and enterprise accounts — all through the
services. When enforcement's demo has recorded no penalty decisions, the penalties the listings need are
recorded here as clearly marked demo facts (source: the enterprise, ref "credit-demo-…", summary 【演示】)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.facts import fact_kinds, record_fact, register_fact_kind
from core.models import Enterprise, User
from core.models_facts import EnterpriseFact
from core.services import enterprise_account_create
from credit.kinds import KIND_LABELS
from credit.models import ApplicationKind, Listing
from credit.services import applications, listings
from credit.services.classes import ensure_default_rule_set, recompute_classes
from credit.services.records import take_up_facts

PASSWORD = "Demo@2026"
COUNTY = "430102"
DEMO_KINDS = ("enforcement.penalty_decided", "enforcement.penalty_published", "enforcement.fine_paid")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo document\n", content_type="application/pdf")


def _demo_fact(enterprise, kind, on, data, *, ref, public_from=None, public_until=None):
    """A demo fact of another app's kind (only when that app recorded none): marked in ref and summary."""
    if kind not in fact_kinds():
        register_fact_kind(kind, KIND_LABELS.get(kind, kind), category=kind.split(".")[0])
    return record_fact(
        enterprise=enterprise,
        kind=kind,
        source=enterprise,
        on=on,
        data=data,
        ref=f"credit-demo-{ref}",
        summary=_("【演示】%(label)s") % {"label": KIND_LABELS.get(kind, kind)},
        public_from=public_from,
        public_until=public_until,
        source_label=data.get("decision_no", ""),
    )


def _recorded_penalties() -> list[EnterpriseFact]:
    """Penalty decisions enforcement's demo recorded in the county (not warnings), not yet proposed."""
    return list(
        EnterpriseFact.objects.filter(kind="enforcement.penalty_decided", region_code=COUNTY)
        .exclude(data__warning_only=True)
        .exclude(ref__startswith="credit-demo-")
        .exclude(pk__in=Listing.objects.values("penalty_fact_id"))
        .select_related("enterprise")
        .order_by("-occurred_on", "-id")[:3]
    )


def _penalty(enterprise, on, n, *, fine="50000.00", publish=False, paid=False, sector="", repairable=True):
    decision_no = f"湘芙市监处罚〔{on.year}〕{n}号"
    data = {
        "decision_no": decision_no,
        "penalty_types": ["fine", "confiscation"],
        "fine": fine,
        "confiscation": "3200.00",
        "illegal_gains": "0.00",
        "violation_type": "生产销售不合格产品",
        "warning_only": False,
        "sector": sector,
        "repairable": repairable,
    }
    decided = _demo_fact(enterprise, "enforcement.penalty_decided", on, data, ref=f"decided-{n}")
    if publish:
        published_on = on + dt.timedelta(days=10)
        _demo_fact(
            enterprise,
            "enforcement.penalty_published",
            published_on,
            {**data, "authority": "长沙市芙蓉区市场监督管理局"},
            ref=f"published-{n}",
            public_from=published_on,
            public_until=published_on.replace(year=published_on.year + 3),
        )
    if paid:
        _demo_fact(
            enterprise,
            "enforcement.fine_paid",
            on + dt.timedelta(days=12),
            {"decision_no": decision_no, "fine": fine, "paid_on": (on + dt.timedelta(days=12)).isoformat()},
            ref=f"paid-{n}",
        )
    return decided


def _list(enterprise, penalty, team, *, proposed: dt.date, stop: str = "listed") -> Listing:
    listing = listings.listing_propose(
        user=team["handler"],
        penalty_fact=penalty,
        on=proposed,
        basis=_("《市场监督管理严重违法失信名单管理办法》第二条"),
        reason=_("生产销售不合格产品，货值金额较大，受到较重行政处罚，属于严重违法失信行为。"),
    )
    if stop == "proposed":
        return listing
    listing = listings.listing_notice(user=team["handler"], listing=listing, served_on=proposed)
    if stop == "noticed":
        return listing
    after = listing.defence_due_on + dt.timedelta(days=1)
    listing = listings.listing_submit(user=team["handler"], listing=listing, on=after)
    if stop == "pending":
        return listing
    listing = listings.listing_approve(user=team["city_leader"], listing=listing, on=after, note=_("同意列入。"))
    return listings.listing_decide(user=team["leader"], listing=listing, on=after)


def load_demo_data() -> list[str]:
    ensure_default_rule_set()
    lines = []
    team = {
        "handler": User.objects.filter(username="fr_case_handler").first(),
        "leader": User.objects.filter(username="fr_leader").first(),
        "city_leader": User.objects.filter(username="cs_leader").first(),
    }
    firms = list(Enterprise.objects.filter(region_id=COUNTY, status="active").order_by("id")[:60])
    if Listing.objects.exists():
        lines.append(_("质量信用：演示名单已存在，未新增"))
    elif not all(team.values()) or len(firms) < 40:
        lines.append(_("质量信用：缺少演示账号或芙蓉区企业，未新增名单"))
    else:
        with transaction.atomic():
            lines.extend(_listings_and_applications(firms[30:], team))
    added, _touched = take_up_facts(full=True)
    result = recompute_classes()
    lines.append(
        _("质量信用：由涉企信息生成信用记录 %(added)s 条，%(n)s 家企业完成信用风险分类（%(changed)s 家变化）")
        % {"added": added, "n": result.enterprises, "changed": result.changed}
    )
    from credit.warnings.demo import load_demo_warnings  # early warning: its signals on the demo data

    lines.append(load_demo_warnings())
    return lines


def _listings_and_applications(firms: list[Enterprise], team) -> list[str]:
    today = timezone.localdate()
    years_ago = lambda n, days=0: today.replace(year=today.year - n) - dt.timedelta(days=days)  # noqa: E731
    made = {}
    # Noticed (陈述申辩期 running) and awaiting the city's approval: from enforcement's penalties when its
    # demo recorded some, otherwise from marked demo facts.
    recorded = _recorded_penalties()
    first = recorded[0] if recorded else _penalty(firms[0], today - dt.timedelta(days=20), 101)
    second = recorded[1] if len(recorded) > 1 else _penalty(firms[1], today - dt.timedelta(days=40), 102)
    made["noticed"] = _list(first.enterprise, first, team, proposed=today - dt.timedelta(days=1), stop="noticed")
    made["pending"] = _list(second.enterprise, second, team, proposed=today - dt.timedelta(days=20), stop="pending")
    # Listed (with an early-removal application pending), listed recently, removed at expiry, removed early.
    made["listed"] = _list(
        firms[2], _penalty(firms[2], years_ago(1, 60), 103, paid=True), team, proposed=years_ago(1, 40)
    )
    made["listed_recent"] = _list(
        firms[3], _penalty(firms[3], today - dt.timedelta(days=120), 104), team, proposed=today - dt.timedelta(days=90)
    )
    made["expired"] = _list(
        firms[4], _penalty(firms[4], years_ago(3, 90), 105, paid=True), team, proposed=years_ago(3, 60)
    )
    listings.listings_remove_expired(today=today)
    early = _list(firms[5], _penalty(firms[5], years_ago(2, 30), 106, paid=True), team, proposed=years_ago(2, 10))
    accounts = {
        key: enterprise_account_create(enterprise=firm, username=f"qy_demo{i}", password=PASSWORD)
        for i, (key, firm) in enumerate(
            (
                ("listed", firms[2]),
                ("early", firms[5]),
                ("repair", firms[6]),
                ("repair_done", firms[7]),
                ("noticed", firms[0]),
            ),
            start=1,
        )
    }
    removal = applications.application_file(
        user=accounts["early"],
        kind=ApplicationKind.EARLY_REMOVAL,
        listing=early,
        harm_removed=True,
        commitment=True,
        statement=_("罚款已缴清，不合格产品已全部召回销毁，整改已通过复查。"),
        files=[_pdf("整改报告.pdf")],
        on=today - dt.timedelta(days=20),
    )
    applications.application_decide(
        user=team["leader"],
        application=removal,
        grant=True,
        note=_("经审查，符合提前移出条件。"),
        evidence_checked=True,
        on=today - dt.timedelta(days=10),
    )
    applications.application_file(
        user=accounts["listed"],
        kind=ApplicationKind.EARLY_REMOVAL,
        listing=made["listed"],
        harm_removed=True,
        commitment=True,
        statement=_("已履行处罚决定并完成整改，申请提前移出。"),
        files=[_pdf("缴款凭证.pdf")],
    )
    # Credit repair of published penalties: one waiting for a decision, one granted, one not yet possible.
    pending_fact = _penalty(firms[6], today - dt.timedelta(days=250), 107, publish=True, paid=True, fine="8000.00")
    done_fact = _penalty(firms[7], today - dt.timedelta(days=400), 108, publish=True, paid=True, fine="5000.00")
    _penalty(firms[8], today - dt.timedelta(days=60), 109, publish=True, fine="3000.00", sector="food")
    published = {
        n: EnterpriseFact.objects.get(kind="enforcement.penalty_published", data__decision_no=f.data["decision_no"])
        for n, f in (("pending", pending_fact), ("done", done_fact))
    }
    applications.application_file(
        user=accounts["repair"],
        kind=ApplicationKind.PENALTY_REPAIR,
        penalty_fact=published["pending"],
        harm_removed=True,
        commitment=True,
        statement=_("已缴清罚款并整改到位，申请停止公示。"),
        files=[_pdf("整改说明.pdf")],
    )
    repair = applications.application_file(
        user=accounts["repair_done"],
        kind=ApplicationKind.PENALTY_REPAIR,
        penalty_fact=published["done"],
        harm_removed=True,
        commitment=True,
        statement=_("已履行处罚，申请信用修复。"),
        files=[_pdf("信用承诺书.pdf")],
        on=today - dt.timedelta(days=5),
    )
    applications.application_decide(
        user=team["leader"],
        application=repair,
        grant=True,
        note=_("材料齐全，准予修复。"),
        evidence_checked=True,
    )
    return [
        _("质量信用：严重违法失信名单 6 份（已告知、待上级审核、已列入、期满移出、提前移出），信用申请 4 件"),
        _("质量信用：企业用户 qy_demo1–qy_demo5（密码 %(password)s）") % {"password": PASSWORD},
    ]
