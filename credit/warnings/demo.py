"""Demo warnings: the signals evaluated on the demo data for every year that has judged batches or ledger facts
(idempotent: running it again updates the same warnings).

What makes them fire is demo data of the lower apps, recorded through their services: sampling's power-bank
special tasks (a steady pass rate 2023–2025, a drop this year, two repeat offenders) and, here, complaints from
the public about one power-bank model clustered in the current month. Then a few warnings are moved through
their workflow (研判, 处置, 排除) as staff would, so every state shows; the power-bank warning stays new for the
leader to turn into next round's task."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.reports.periods import ANNUAL, Period

# The planted complaint cluster: this many complaints in the current month, after one in each of two earlier months.
CLUSTER_COMPLAINTS = 4
CLUSTER_EARLIER_DAYS = (150, 75)
POWER_BANK_TASK = "HNZX-2026-01"


def load_demo_warnings() -> str:
    """Evaluate every enabled signal for each demo year, oldest first; returns the loader's line for load_demo."""
    from django.db.models.functions import ExtractYear

    from core.models import EnterpriseFact
    from credit.models_warnings import OPEN_STATES, EarlyWarning
    from credit.warnings.evaluation import evaluate
    from credit.warnings.services import ensure_signal_settings
    from sampling.models import Sample

    ensure_signal_settings()
    complaints = _plant_complaint_cluster(timezone.localdate())
    years = set(Sample.objects.exclude(final_verdict="").values_list("year", flat=True).distinct())
    years |= set(EnterpriseFact.objects.annotate(y=ExtractYear("occurred_on")).values_list("y", flat=True).distinct())
    with audit_context(source="load_demo_warnings"):
        for year in sorted(years):
            evaluate(period=Period(ANNUAL, year))
        moved = _work_through_some()
    return _(
        "风险预警：评估 %(years)s 年，未办结预警 %(n)s 条（新增演示投诉 %(complaints)s 件，办理预警 %(moved)s 条）"
    ) % {
        "years": "、".join(str(y) for y in sorted(years)) or "—",
        "n": EarlyWarning.objects.filter(state__in=OPEN_STATES).count(),
        "complaints": complaints,
        "moved": moved,
    }


def _plant_complaint_cluster(today: dt.date) -> int:
    """Complaints from the public about the model of a failed power bank of this year's special task: one in
    each of two earlier months, then ``CLUSTER_COMPLAINTS`` in the current month (through enforcement's public
    complaint service, as the complaint form records them). Once: nothing is added when they exist."""
    from enforcement.models import Clue
    from enforcement.services.clues import complaint_submit
    from sampling.models import Sample

    sample = (
        Sample.objects.filter(task__code=POWER_BANK_TASK, final_verdict="fail")
        .select_related("enterprise__region")
        .order_by("-region_id", "sample_no")
        .first()
    )
    if sample is None or Clue.objects.filter(brand=sample.brand, model_spec=sample.model_spec).exists():
        return 0
    month_start = today.replace(day=1)
    dates = [today - dt.timedelta(days=d) for d in CLUSTER_EARLIER_DAYS]
    dates += [min(today, month_start + dt.timedelta(days=2 * n)) for n in range(CLUSTER_COMPLAINTS)]
    texts = (
        _("充电时外壳发烫鼓包"),
        _("使用一个月后无法充电，标称容量严重不足"),
        _("充电过程中冒烟，差点起火"),
        _("外壳鼓包变形，担心爆炸"),
        _("标称 20000mAh，实测容量不足一半"),
        _("给手机充电时移动电源异常发热并断电"),
    )
    enterprise = sample.enterprise
    for n, received_on in enumerate(dates):
        complaint_submit(
            channel=("12315", "web", "12365")[n % 3],
            region=enterprise.region,
            enterprise_name=enterprise.name,
            uscc=enterprise.uscc,
            product=sample.product_type.name,
            brand=sample.brand,
            model_spec=sample.model_spec,
            description=texts[n % len(texts)],
            received_on=received_on,
        )
    return len(dates)


def _work_through_some() -> int:
    """Move three warnings on through the services, as the province's leader and inspector would: the product-level
    complaint cluster is dismissed (the same complaints are followed under the model's warning), a repeat failure
    is assessed and handled, another assessed. The power-bank product-type warning is left new for the leader to
    turn into next round's task. Once: nothing is done when any warning has left 新."""
    from core.demo import demo_username
    from core.models import Role, User
    from credit.models_warnings import EarlyWarning, SignalCode, SubjectType, WarningState
    from credit.warnings.services import warning_assess, warning_dismiss, warning_handle

    if EarlyWarning.objects.exclude(state=WarningState.NEW).exists():
        return 0
    leader = User.objects.filter(username=demo_username("hn", Role.LEADER)).first()
    inspector = User.objects.filter(username=demo_username("hn", Role.INSPECTOR)).first()
    if leader is None or inspector is None:
        return 0
    new = EarlyWarning.objects.filter(state=WarningState.NEW, region__code__startswith="43").order_by("period", "id")
    moved = 0
    duplicate = new.filter(signal=SignalCode.COMPLAINT_CLUSTER, subject_type=SubjectType.PRODUCT).first()
    if duplicate is not None:
        warning_dismiss(
            user=leader,
            warning=duplicate,
            reason=_("演示数据：与同一品牌型号的投诉聚集预警为同一批投诉，按型号预警研判处置，本条排除。"),
        )
        moved += 1
    repeats = list(new.filter(signal=SignalCode.REPEAT_FAILURE)[:2])
    if repeats:
        warning = repeats.pop(0)
        warning_assess(user=inspector, warning=warning, assessment=_("演示数据：经研判，风险属实，建议约谈企业。"))
        warning_handle(
            user=leader, warning=warning, reason=_("演示数据：已约谈企业负责人，责令整改，并列入下一年度重点抽查。")
        )
        moved += 1
    other = repeats[0] if repeats else new.filter(signal=SignalCode.OVERDUE_CHAIN).first()
    if other is not None:
        warning_assess(
            user=inspector,
            warning=other,
            assessment=_("演示数据：该企业本年度多批次产品不合格，建议提高抽查频次并现场检查。"),
        )
        moved += 1
    return moved
