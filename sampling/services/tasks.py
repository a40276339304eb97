"""Sampling plans and tasks (抽查计划 / 任务)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.models import Institution, ProductType, RegionLevel, User
from sampling import policies
from sampling.models import SamplingTask, TaskLevel, TaskStatus
from sampling.transitions import TASK_FLOW

PLANNING_ROLES = policies.PLANNING_ROLES

# The level of a task is the level of the authority that organises it.
TASK_LEVEL_OF_REGION = {
    RegionLevel.NATIONAL: TaskLevel.NATIONAL,
    RegionLevel.PROVINCE: TaskLevel.PROVINCE,
    RegionLevel.CITY: TaskLevel.CITY,
    RegionLevel.COUNTY: TaskLevel.COUNTY,
}


def task_level_for(user: User) -> str:
    """The only task level a user's bureau organises: its own (a county bureau runs county tasks)."""
    return TASK_LEVEL_OF_REGION[user.jurisdiction.level]


@transaction.atomic
def task_create(
    *,
    user: User,
    code: str,
    name: str,
    level: str,
    year: int,
    batch: str = "",
    product_types: Iterable[ProductType],
    target_batches: int = 1,
    institution: Institution | None = None,
    budget: Decimal | None = None,
    deadline: dt.date | None = None,
) -> SamplingTask:
    """Create a task organised by the author's bureau: its region is the author's jurisdiction and its level
    must be that jurisdiction's level (a county bureau cannot organise a national spot check)."""
    if not policies.can_plan_task(user):
        raise PermissionDenied(_("您的角色无权制定抽查任务。"))
    code = code.strip()
    if not code:
        raise DomainError(_("任务编号：不能为空。"))
    if not name.strip():
        raise DomainError(_("任务名称：不能为空。"))
    if level not in TaskLevel.values:
        raise DomainError(_("抽查级别：“%(level)s”不是有效的级别。") % {"level": level})
    jurisdiction = user.jurisdiction
    expected = task_level_for(user)
    if level != expected:
        raise DomainError(
            _(
                "抽查级别：您的管辖区域为%(region)s（%(region_level)s），只能制定%(expected)s级抽查任务，不能制定%(level)s级任务。"
            )
            % {
                "region": jurisdiction.name,
                "region_level": jurisdiction.get_level_display(),
                "expected": TaskLevel(expected).label,
                "level": TaskLevel(level).label,
            }
        )
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("年度：应在 2000 至 2100 之间。"))
    product_types = list(product_types)
    if not product_types:
        raise DomainError(_("抽查产品：至少选择一种产品。"))
    if target_batches < 1:
        raise DomainError(_("计划批次数：至少为 1 批次。"))
    if budget is not None and budget < 0:
        raise DomainError(_("经费预算：不能为负数。"))
    if SamplingTask.objects.filter(code=code).exists():
        raise DomainError(_("任务编号：“%(code)s”已被使用。") % {"code": code})

    task = SamplingTask.objects.create(
        code=code,
        name=name.strip(),
        level=level,
        year=year,
        batch=batch.strip(),
        region=jurisdiction,
        target_batches=target_batches,
        institution=institution,
        budget=budget,
        deadline=deadline,
        created_by=user,
    )
    task.product_types.set(product_types)
    return task


def task_set_status(*, task: SamplingTask, to: str) -> SamplingTask:
    """Move a locked task along TASK_FLOW (the caller holds the row: sample registration, the draw)."""
    TASK_FLOW.require(task, to)
    task.status = to
    task.save(update_fields=["status"])
    return task


@transaction.atomic
def task_complete(*, user: User, task: SamplingTask) -> SamplingTask:
    """Close a task in progress (任务完成): no more samples are registered under it."""
    task = SamplingTask.objects.select_for_update().get(pk=task.pk)
    TASK_FLOW.require(task, TaskStatus.COMPLETED)
    if not policies.can_complete_task(user, task):
        raise PermissionDenied(_("您无权完成抽查任务“%(code)s”。") % {"code": task.code})
    return task_set_status(task=task, to=TaskStatus.COMPLETED)
