"""The random draw (双随机): enterprises drawn at random from the registry, weighted by credit class, and two
inspectors drawn at random for each from the organising bureau's roster, never one who sampled the same
enterprise in the previous round (回避).

The draw is binding and verifiable (docs/draw.md):

- the seed comes from the server (``secrets.token_hex``), never from the person drawing;
- before drawing, the candidate pool is frozen as rows ``[enterprise id, USCC, credit class, weight]`` in
  enterprise-id order and the SHA-256 of its canonical JSON (``pool_json``) is stored with the draw;
- a task is drawn once; a further attempt needs a reason and a leader's approval (``redraw_request`` →
  ``redraw_approve``), and every attempt stays on record (draws are insert-only);
- ``draw_verify`` re-runs the same algorithm from what is stored. Only ``random.Random(seed).random()`` is
  used, so anyone can re-run it from the published description:

1. candidates in the order stored; each takes u = random() and the key u ** (1 / w) (Efraimidis & Spirakis,
   weighted sampling without replacement); the ``count`` largest keys are drawn, ties going to the earlier
   candidate; a weight of 0 is never drawn;
2. then, for each drawn enterprise in drawn order, the same generator keys the eligible inspectors (the pool
   minus those to avoid) with weight 1 and the two largest keys are assigned.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from constance import config
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.errors import DomainError, PermissionDenied
from core.models import Enterprise, EnterpriseStatus, Region, Role, User
from sampling import policies
from sampling.models import Draw, RedrawRequest, RedrawStatus, Sample, SamplingTask, Stage, TaskStatus
from sampling.services.tasks import task_set_status
from sampling.transitions import REDRAW_FLOW

DRAWING_ROLES = policies.DRAWING_ROLES
ALGORITHM = "efraimidis-spirakis/python-random-mt19937/v1"
INSPECTORS_PER_SAMPLE = 2
CREDIT_CLASSES = ("A", "B", "C", "D")
# GB/T 4754 门类 F: sellers. At the production stage only makers are drawn, in circulation and e-commerce only
# sellers; an enterprise sampled before for the product at that stage is a candidate either way.
SELLER_INDUSTRIES = ("批发和零售业",)
SEED_BYTES = 16
REASON_MAX_LENGTH = 1000


def credit_weights() -> dict[str, float]:
    """The draw weight of each credit class, as an administrator set it (分类监管, constance CREDIT_WEIGHT_*)."""
    return {cls: float(getattr(config, f"CREDIT_WEIGHT_{cls}")) for cls in CREDIT_CLASSES}


def weight_of(credit_class: str, weights: dict[str, float]) -> float:
    """An enterprise not yet rated counts as class B."""
    return weights[credit_class or "B"]


def new_seed() -> str:
    """The seed of a draw: 128 random bits from the operating system, as 32 hex digits."""
    return secrets.token_hex(SEED_BYTES)


def pool_json(rows: Sequence[Sequence]) -> str:
    """The canonical JSON of a candidate pool: ``json.dumps(rows, ensure_ascii=False, separators=(",", ":"))``
    of the rows ``[enterprise id, USCC, credit class ("" = unrated), weight]`` in enterprise-id order."""
    return json.dumps([list(row) for row in rows], ensure_ascii=False, separators=(",", ":"))


def pool_sha256(rows: Sequence[Sequence]) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of ``pool_json(rows)``."""
    return hashlib.sha256(pool_json(rows).encode("utf-8")).hexdigest()


def pool_rows(draw: Draw) -> list[tuple[int, str, str, float]]:
    """The stored pool as (id, USCC, class, weight); draws made before USCCs were stored had [id, class, weight]."""
    rows = []
    for row in draw.candidates:
        if len(row) == 3:
            rows.append((int(row[0]), "", row[1], float(row[2])))
        else:
            rows.append((int(row[0]), row[1], row[2], float(row[3])))
    return rows


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


def candidate_enterprises(*, region: Region, product_type_ids: Sequence[int], stage: str, industry: str = ""):
    """Active enterprises of the region that make or sell the products: a product line among them, or sampled
    for one of them before (at the stage, when one is given); at the production stage makers only, in
    circulation and e-commerce sellers only, unless sampled before at that stage."""
    sampled_before = Sample.objects.filter(enterprise_id=OuterRef("pk"), product_type_id__in=product_type_ids)
    if stage:
        sampled_before = sampled_before.filter(stage=stage)
    lines = Enterprise.product_lines.through.objects.filter(
        enterprise_id=OuterRef("pk"), producttype_id__in=product_type_ids
    )
    by_lines = Q(Exists(lines))
    if stage == Stage.PRODUCTION:
        by_lines &= ~Q(industry__in=SELLER_INDUSTRIES)
    elif stage:
        by_lines &= Q(industry__in=SELLER_INDUSTRIES)
    queryset = Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE, region__code__startswith=region.scope_prefix)
    if industry:
        queryset = queryset.filter(industry=industry)
    return queryset.filter(by_lines | Q(Exists(sampled_before)))


def weight_multipliers(enterprise_ids: Sequence[int]) -> dict[str, float]:
    """{enterprise id: multiplier} that higher apps (early warning) registered with core for enterprises with
    something open; the pool stores the multiplied weight, so the re-run needs nothing more."""
    from core import services as core_services

    provider = getattr(core_services, "draw_weight_multipliers", None)
    if provider is None or not enterprise_ids:
        return {}
    return {str(pk): float(m) for pk, m in provider(list(enterprise_ids)).items()}


def _candidate_pool(
    *, region: Region, product_type_ids: Sequence[int], stage: str, industry: str, weights: dict[str, float]
) -> tuple[list[list], dict[str, float]]:
    rows = list(
        candidate_enterprises(region=region, product_type_ids=product_type_ids, stage=stage, industry=industry)
        .order_by("id")
        .values_list("id", "uscc", "credit_class")
    )
    multipliers = weight_multipliers([pk for pk, _uscc, _cls in rows])
    pool = [
        [pk, uscc, credit_class, weight_of(credit_class, weights) * multipliers.get(str(pk), 1.0)]
        for pk, uscc, credit_class in rows
    ]
    return pool, multipliers


def roster(task: SamplingTask):
    """The organising bureau's roster (执法检查人员名录库): active inspectors of the task's region and below who
    hold an enforcement credential."""
    return (
        User.objects.filter(
            is_active=True, role=Role.INSPECTOR, jurisdiction__code__startswith=task.region.scope_prefix
        )
        .exclude(enforcement_credential="")
        .exclude(enforcement_credential__regex=r"^\s+$")
    )


def _inspector_pool(task: SamplingTask) -> list[int]:
    return list(roster(task).order_by("id").values_list("id", flat=True))


def _too_few_message(error: TooFewInspectors) -> str:
    name = Enterprise.objects.filter(pk=error.enterprise_id).values_list("name", flat=True).first() or ""
    return _("检查人员不足：企业“%(name)s”回避后仅剩 %(n)d 名可分配的抽样人员，每家企业需要 %(needed)d 名。") % {
        "name": name,
        "n": error.eligible,
        "needed": INSPECTORS_PER_SAMPLE,
    }


def _roster_too_small_message(task: SamplingTask, eligible: int) -> str:
    return _(
        "检查人员不足：每家企业需要 %(needed)d 名抽样人员，%(region)s及下级的执法检查人员名录中符合条件的"
        "（在岗、角色为抽样人员、持有执法证）只有 %(n)d 名。请先为抽样人员登记执法证号或增加人员。"
    ) % {"needed": INSPECTORS_PER_SAMPLE, "region": task.region.name, "n": eligible}


def _check_drawer(user: User, task: SamplingTask) -> None:
    if not user.has_role(*DRAWING_ROLES):
        raise PermissionDenied(_("您的角色无权进行随机抽取。"))
    if not policies.may_draw_for(user, task):
        if task.status == TaskStatus.COMPLETED:
            raise DomainError(_("任务“%(code)s”已完成，不能再抽取。") % {"code": task.code})
        raise PermissionDenied(_("该抽查任务不在您的管辖范围内。"))


def draw_enterprises(
    *,
    task: SamplingTask,
    user: User,
    region_code: str | None = None,
    product_type_ids: Iterable[int] | None = None,
    stage: str | None = None,
    industry: str = "",
    count: int,
) -> Draw:
    """Draw ``count`` enterprises for a task and two inspectors for each (双随机), binding and verifiable.

    Candidates: active enterprises in the task's region (or a sub-region) that make or sell the chosen
    products (all of the task's when none are chosen), weighted by credit class; inspectors: the roster of
    the task's region and below. The first draw of a task needs nothing more; a further one uses the task's
    approved re-draw request (and only one draw can use it)."""
    _check_drawer(user, task)
    if count is None or int(count) < 1:
        raise DomainError(_("抽取数量：至少为 1。"))
    count = int(count)

    region = task.region
    if region_code and region_code != task.region_id:
        region = Region.objects.filter(code=region_code).first()
        if region is None or not region.code.startswith(task.region.scope_prefix):
            raise DomainError(_("抽取地区：%(code)s 不在任务的组织地区内。") % {"code": region_code})
    task_type_ids = set(task.product_types.values_list("id", flat=True))
    product_type_ids = sorted({int(pk) for pk in product_type_ids or ()})
    if not set(product_type_ids) <= task_type_ids:
        raise DomainError(_("抽查产品：只能选择本任务的抽查产品。"))
    product_type_ids = product_type_ids or sorted(task_type_ids)
    if not product_type_ids:
        raise DomainError(_("抽查产品：任务尚未指定抽查产品，无法确定候选企业。"))
    stage = stage or ""
    if stage and stage not in Stage.values:
        raise DomainError(_("抽样环节：“%(stage)s”不是有效的环节。") % {"stage": stage})
    industry = (industry or "").strip()

    with audit_context(user=user, source="sampling.draw", task=task.code), transaction.atomic():
        task = SamplingTask.objects.select_for_update().select_related("region").get(pk=task.pk)
        _check_drawer(user, task)
        attempts = task.draws.count()
        redraw = None
        if attempts:
            redraw = (
                RedrawRequest.objects.select_for_update()
                .filter(task=task, status=RedrawStatus.APPROVED)
                .order_by("-id")
                .first()
            )
            if redraw is None:
                raise DomainError(
                    _("任务“%(code)s”已于 %(when)s 随机抽取，抽取结果具有约束力；再次抽取须说明理由并经负责人批准。")
                    % {
                        "code": task.code,
                        "when": timezone.localtime(task.draws.latest("attempt").created_at).strftime("%Y-%m-%d %H:%M"),
                    }
                )
        inspector_pool = _inspector_pool(task)
        if len(inspector_pool) < INSPECTORS_PER_SAMPLE:
            raise DomainError(_roster_too_small_message(task, len(inspector_pool)))
        weights = credit_weights()
        # Frozen before the seed exists: what is drawn from is fixed first, then the seed is made.
        candidates, multipliers = _candidate_pool(
            region=region, product_type_ids=product_type_ids, stage=stage, industry=industry, weights=weights
        )
        digest = pool_sha256(candidates)
        drawable = sum(1 for row in candidates if row[3] > 0)
        if drawable < count:
            raise DomainError(
                _("抽取数量：符合条件的候选企业只有 %(n)d 家，少于抽取数量 %(count)d 家。")
                % {"n": drawable, "count": count}
            )
        seed = new_seed()
        rng = random.Random(seed)
        selected = pick_weighted(rng, [(row[0], row[3]) for row in candidates], count)
        previous = previous_round(task)
        avoid = inspectors_to_avoid(previous, selected)
        try:
            assignments = assign_inspectors(rng, selected, inspector_pool, avoid)
        except TooFewInspectors as error:
            raise DomainError(_too_few_message(error)) from None

        try:
            with transaction.atomic():
                draw = Draw.objects.create(
                    task=task,
                    attempt=attempts + 1,
                    redraw_request=redraw,
                    seed=seed,
                    criteria={
                        "region_code": region.code,
                        "region_name": region.name,
                        "product_type_ids": product_type_ids,
                        "stage": stage,
                        "industry": industry,
                        "seller_industries": list(SELLER_INDUSTRIES),
                        "count": count,
                        "previous_task_id": previous.pk if previous else None,
                        "previous_task_code": previous.code if previous else "",
                        "avoid": avoid,
                        "weight_multipliers": multipliers,
                        "algorithm": ALGORITHM,
                    },
                    weights=weights,
                    candidates=candidates,
                    pool_sha256=digest,
                    selected=selected,
                    inspector_pool=inspector_pool,
                    assignments=assignments,
                    assigned_inspectors=sorted({u for pair in assignments.values() for u in pair}),
                    created_by=user,
                )
        except IntegrityError:
            raise DomainError(_("该任务刚刚被他人抽取，请刷新后查看抽取结果。")) from None
        if redraw is not None:
            REDRAW_FLOW.require(redraw, RedrawStatus.USED)
            redraw.status = RedrawStatus.USED
            redraw.save(update_fields=["status"])
        if task.status == TaskStatus.PLANNED:
            task_set_status(task=task, to=TaskStatus.DRAWN)
    return draw


# --- re-draw requests (重新抽取申请) -------------------------------------------------------------


def redraw_request(*, user: User, task: SamplingTask, reason: str) -> RedrawRequest:
    """Ask to draw a task again: a reason is required, one open request per task, and a leader of the
    task's jurisdiction other than the requester decides (a draw is binding: 抽取结果不得随意重抽)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("重新抽取理由：不能为空。"))
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(_("重新抽取理由：不超过 %(n)d 个字。") % {"n": REASON_MAX_LENGTH})
    with audit_context(user=user, source="sampling.redraw_request", task=task.code), transaction.atomic():
        task = SamplingTask.objects.select_for_update().select_related("region").get(pk=task.pk)
        if not policies.can_request_redraw(user, task):
            if not policies.may_draw_for(user, task):
                raise PermissionDenied(_("您无权为该任务申请重新抽取。"))
            if not task.draws.exists():
                raise DomainError(_("该任务尚未随机抽取，可直接抽取，无需申请。"))
            raise DomainError(_("该任务已有待审批或已批准未使用的重新抽取申请。"))
        current = task.draws.order_by("-attempt").first()
        return RedrawRequest.objects.create(task=task, draw=current, reason=reason, requested_by=user)


def _decide(*, user: User, request: RedrawRequest, to: str, note: str, source: str) -> RedrawRequest:
    with audit_context(user=user, source=source, task=request.task.code), transaction.atomic():
        request = RedrawRequest.objects.select_for_update().select_related("task__region").get(pk=request.pk)
        REDRAW_FLOW.require(request, to)
        if not policies.can_approve_redraw(user, request):
            if request.requested_by_id == user.pk:
                raise PermissionDenied(_("重新抽取申请不能由申请人本人审批。"))
            raise PermissionDenied(_("只有任务所在辖区的负责人可以审批重新抽取申请。"))
        request.status = to
        request.decided_by = user
        request.decided_at = timezone.now()
        request.decision_note = (note or "").strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return request


def redraw_approve(*, user: User, request: RedrawRequest, note: str = "") -> RedrawRequest:
    """A leader approves a re-draw request; the task may then be drawn exactly once more."""
    return _decide(user=user, request=request, to=RedrawStatus.APPROVED, note=note, source="sampling.redraw_approve")


def redraw_reject(*, user: User, request: RedrawRequest, note: str) -> RedrawRequest:
    """A leader rejects a re-draw request, saying why; the current draw stands."""
    if not (note or "").strip():
        raise DomainError(_("审批意见：驳回时须说明理由。"))
    return _decide(user=user, request=request, to=RedrawStatus.REJECTED, note=note, source="sampling.redraw_reject")


# --- verification (复核) -----------------------------------------------------------------------


@dataclass
class DrawVerification:
    reproduced: bool
    selected: list[int] = field(default_factory=list)
    assignments: dict[str, list[int]] = field(default_factory=dict)
    selected_matches: bool = False
    assignments_matches: bool = False
    pool_matches: bool = False
    pool_sha256: str = ""
    error: str = ""


def draw_verify(*, draw: Draw) -> DrawVerification:
    """Re-run a stored draw from its seed, candidate pool, weights, inspector pool and avoidance list and say
    whether it gives the same enterprises and the same inspectors, and whether the pool still hashes to the
    recorded SHA-256 (复核)."""
    rows = pool_rows(draw)
    digest = pool_sha256([list(row) for row in rows]) if draw.pool_sha256 else ""
    pool_matches = not draw.pool_sha256 or digest == draw.pool_sha256
    rng = random.Random(draw.seed)
    count = int(draw.criteria.get("count", len(draw.selected)))
    selected = pick_weighted(rng, [(row[0], row[3]) for row in rows], count)
    selected_matches = selected == [int(e) for e in draw.selected]
    try:
        assignments = assign_inspectors(
            rng, selected, [int(u) for u in draw.inspector_pool], draw.criteria.get("avoid", {})
        )
    except TooFewInspectors as error:
        return DrawVerification(
            reproduced=False,
            selected=selected,
            selected_matches=selected_matches,
            pool_matches=pool_matches,
            pool_sha256=digest,
            error=_too_few_message(error),
        )
    stored_assignments = {str(k): [int(u) for u in v] for k, v in draw.assignments.items()}
    assignments_matches = assignments == stored_assignments
    return DrawVerification(
        reproduced=selected_matches and assignments_matches and pool_matches,
        selected=selected,
        assignments=assignments,
        selected_matches=selected_matches,
        assignments_matches=assignments_matches,
        pool_matches=pool_matches,
        pool_sha256=digest,
    )


# --- reads used by pages, the API and sample registration ---------------------------------------


def current_draw(task: SamplingTask) -> Draw | None:
    """The task's binding draw: its latest attempt."""
    return task.draws.order_by("-attempt").first()


def drawn_inspectors_for(task: SamplingTask, enterprise: Enterprise) -> list[int]:
    """The inspectors the task's current draw assigned to an enterprise (empty when it was not drawn)."""
    draw = current_draw(task)
    if draw is None:
        return []
    return [int(u) for u in draw.assignments.get(str(enterprise.pk), [])]
