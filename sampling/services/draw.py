"""The random draw (双随机): enterprises drawn at random from the registry, weighted by credit class, and two
inspectors drawn at random for each, never one who sampled the same enterprise in the previous round (回避).

The draw is reproducible: the seed, the candidate pool with each weight, the inspector pool and the avoidance
list are stored on the Draw row, and ``draw_verify`` re-runs the same algorithm from them. Only
``random.Random(seed).random()`` is used, so anyone can re-run it from the published description:

1. candidates in the order stored (enterprise id ascending); each takes u = random() and the key u ** (1 / w)
   (Efraimidis & Spirakis, weighted sampling without replacement); the ``count`` largest keys are drawn, ties
   going to the earlier candidate; a weight of 0 is never drawn;
2. then, for each drawn enterprise in drawn order, the same generator keys the eligible inspectors (the pool
   minus those to avoid) with weight 1 and the two largest keys are assigned.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from constance import config
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.errors import DomainError, PermissionDenied
from core.models import Enterprise, EnterpriseStatus, Region, Role, User
from core.selectors import region_in_jurisdiction
from sampling.models import Draw, Sample, SamplingTask, Stage, TaskStatus

DRAWING_ROLES = ("inspector", "leader", "administrator")
ALGORITHM = "efraimidis-spirakis/python-random-mt19937/v1"
INSPECTORS_PER_SAMPLE = 2
CREDIT_CLASSES = ("A", "B", "C", "D")


def credit_weights() -> dict[str, float]:
    """The draw weight of each credit class, as an administrator set it (分类监管)."""
    return {cls: float(getattr(config, f"CREDIT_WEIGHT_{cls}")) for cls in CREDIT_CLASSES}


def weight_of(credit_class: str, weights: dict[str, float]) -> float:
    """An enterprise not yet rated counts as class B."""
    return weights[credit_class or "B"]


def pick_weighted(rng: random.Random, items: Sequence[tuple[int, float]], count: int) -> list[int]:
    """Weighted sampling without replacement: the ``count`` items with the largest keys u ** (1 / w)."""
    keyed = []
    for position, (item_id, weight) in enumerate(items):
        # Drawn for every item, so the random stream does not depend on the weights.
        u = rng.random()
        if weight > 0:
            keyed.append((u ** (1.0 / weight), -position, item_id))
    keyed.sort(reverse=True)
    return [item_id for _key, _position, item_id in keyed[:count]]


class TooFewInspectors(Exception):
    def __init__(self, enterprise_id: int, eligible: int):
        super().__init__(enterprise_id, eligible)
        self.enterprise_id = enterprise_id
        self.eligible = eligible


def assign_inspectors(
    rng: random.Random, selected: Iterable[int], inspector_pool: Sequence[int], avoid: dict[str, list[int]]
) -> dict[str, list[int]]:
    """Two inspectors per drawn enterprise, at random from the pool minus those who sampled it last round."""
    assignments: dict[str, list[int]] = {}
    for enterprise_id in selected:
        barred = set(avoid.get(str(enterprise_id), ()))
        eligible = [user_id for user_id in inspector_pool if user_id not in barred]
        if len(eligible) < INSPECTORS_PER_SAMPLE:
            raise TooFewInspectors(enterprise_id, len(eligible))
        assignments[str(enterprise_id)] = pick_weighted(rng, [(u, 1.0) for u in eligible], INSPECTORS_PER_SAMPLE)
    return assignments


def previous_round(task: SamplingTask) -> SamplingTask | None:
    """The task of the same level and region that came just before this one (by year, then creation)."""
    return (
        SamplingTask.objects.filter(level=task.level, region_id=task.region_id)
        .exclude(pk=task.pk)
        .filter(Q(year__lt=task.year) | Q(year=task.year, created_at__lt=task.created_at))
        .order_by("-year", "-created_at", "-pk")
        .first()
    )


def inspectors_to_avoid(previous: SamplingTask | None, enterprise_ids: Iterable[int]) -> dict[str, list[int]]:
    """{enterprise id: inspectors who sampled it in the previous round} (回避)."""
    if previous is None:
        return {}
    rows = (
        Sample.inspectors.through.objects.filter(sample__task=previous, sample__enterprise_id__in=list(enterprise_ids))
        .values_list("sample__enterprise_id", "user_id")
        .order_by("sample__enterprise_id", "user_id")
        .distinct()
    )
    avoid: dict[str, list[int]] = {}
    for enterprise_id, user_id in rows:
        avoid.setdefault(str(enterprise_id), []).append(user_id)
    return avoid


def _candidate_pool(*, region: Region, industry: str, weights: dict[str, float]) -> list[list]:
    rows = (
        Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE, region__code__startswith=region.scope_prefix)
        .filter(**({"industry": industry} if industry else {}))
        .order_by("id")
        .values_list("id", "credit_class")
    )
    return [[enterprise_id, credit_class, weight_of(credit_class, weights)] for enterprise_id, credit_class in rows]


def _inspector_pool(task: SamplingTask) -> list[int]:
    return list(
        User.objects.filter(
            is_active=True, role=Role.INSPECTOR, jurisdiction__code__startswith=task.region.scope_prefix
        )
        .order_by("id")
        .values_list("id", flat=True)
    )


def _too_few_message(error: TooFewInspectors) -> str:
    name = Enterprise.objects.filter(pk=error.enterprise_id).values_list("name", flat=True).first() or ""
    return _("检查人员不足：企业“%(name)s”回避后仅剩 %(n)d 名可分配的抽样人员，每家企业需要 2 名。") % {
        "name": name,
        "n": error.eligible,
    }


def draw_enterprises(
    *,
    task: SamplingTask,
    user: User,
    seed: str | None = None,
    region_code: str | None = None,
    product_type_ids: Iterable[int] | None = None,
    stage: str | None = None,
    industry: str = "",
    count: int,
) -> Draw:
    """Draw ``count`` enterprises for a task and two inspectors for each (双随机), and store everything
    needed to re-run it. Candidates: active enterprises in the task's region (or a sub-region), weighted by
    credit class; inspectors: active inspectors of the task's region or below, avoiding last round's."""
    if not user.has_role(*DRAWING_ROLES):
        raise PermissionDenied(_("您的角色无权进行随机抽取。"))
    if not region_in_jurisdiction(user, task.region_id):
        raise PermissionDenied(_("该抽查任务不在您的管辖范围内。"))
    if count is None or int(count) < 1:
        raise DomainError(_("抽取数量：至少为 1。"))
    count = int(count)
    seed = (seed or "").strip() or secrets.token_hex(16)
    if len(seed) > 64:
        raise DomainError(_("随机种子：不超过 64 个字符。"))

    region = task.region
    if region_code and region_code != task.region_id:
        region = Region.objects.filter(code=region_code).first()
        if region is None or not region.code.startswith(task.region.scope_prefix):
            raise DomainError(_("抽取地区：%(code)s 不在任务的组织地区内。") % {"code": region_code})
    task_type_ids = set(task.product_types.values_list("id", flat=True))
    product_type_ids = sorted({int(pk) for pk in product_type_ids or ()})
    if not set(product_type_ids) <= task_type_ids:
        raise DomainError(_("抽查产品：只能选择本任务的抽查产品。"))
    if stage and stage not in Stage.values:
        raise DomainError(_("抽样环节：“%(stage)s”不是有效的环节。") % {"stage": stage})

    with audit_context(user=user, source="sampling.draw", task=task.code), transaction.atomic():
        task = SamplingTask.objects.select_for_update().select_related("region").get(pk=task.pk)
        if task.status == TaskStatus.COMPLETED:
            raise DomainError(_("任务“%(code)s”已完成，不能再抽取。") % {"code": task.code})
        weights = credit_weights()
        candidates = _candidate_pool(region=region, industry=industry.strip(), weights=weights)
        drawable = sum(1 for _id, _cls, weight in candidates if weight > 0)
        if drawable < count:
            raise DomainError(
                _("抽取数量：符合条件的候选企业只有 %(n)d 家，少于抽取数量 %(count)d 家。")
                % {"n": drawable, "count": count}
            )
        inspector_pool = _inspector_pool(task)

        rng = random.Random(seed)
        selected = pick_weighted(rng, [(c[0], c[2]) for c in candidates], count)
        previous = previous_round(task)
        avoid = inspectors_to_avoid(previous, selected)
        try:
            assignments = assign_inspectors(rng, selected, inspector_pool, avoid)
        except TooFewInspectors as error:
            raise DomainError(_too_few_message(error))

        draw = Draw.objects.create(
            task=task,
            seed=seed,
            criteria={
                "region_code": region.code,
                "region_name": region.name,
                "product_type_ids": product_type_ids,
                "stage": stage or "",
                "industry": industry.strip(),
                "count": count,
                "previous_task_id": previous.pk if previous else None,
                "previous_task_code": previous.code if previous else "",
                "avoid": avoid,
                "algorithm": ALGORITHM,
            },
            weights=weights,
            candidates=candidates,
            selected=selected,
            inspector_pool=inspector_pool,
            assignments=assignments,
            created_by=user,
        )
        if task.status == TaskStatus.PLANNED:
            task.status = TaskStatus.DRAWN
            task.save(update_fields=["status"])
    return draw


@dataclass
class DrawVerification:
    reproduced: bool
    selected: list[int] = field(default_factory=list)
    assignments: dict[str, list[int]] = field(default_factory=dict)
    selected_matches: bool = False
    assignments_matches: bool = False
    error: str = ""


def draw_verify(*, draw: Draw) -> DrawVerification:
    """Re-run a stored draw from its seed, candidate pool, weights, inspector pool and avoidance list and say
    whether it gives the same enterprises and the same inspectors (复核)."""
    rng = random.Random(draw.seed)
    count = int(draw.criteria.get("count", len(draw.selected)))
    selected = pick_weighted(rng, [(int(c[0]), float(c[2])) for c in draw.candidates], count)
    try:
        assignments = assign_inspectors(
            rng, selected, [int(u) for u in draw.inspector_pool], draw.criteria.get("avoid", {})
        )
    except TooFewInspectors as error:
        return DrawVerification(reproduced=False, selected=selected, error=_too_few_message(error))
    stored_assignments = {str(k): [int(u) for u in v] for k, v in draw.assignments.items()}
    selected_matches = selected == [int(e) for e in draw.selected]
    assignments_matches = assignments == stored_assignments
    return DrawVerification(
        reproduced=selected_matches and assignments_matches,
        selected=selected,
        assignments=assignments,
        selected_matches=selected_matches,
        assignments_matches=assignments_matches,
    )
