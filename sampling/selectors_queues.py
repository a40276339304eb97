"""Work lists after the draw: the inspector's drawn enterprises and the testing institution's queues
(收样 → 待检 → 待确认), each with its task's deadline (完成期限)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from core.models import Enterprise, User
from sampling.models import ResultStatus, Sample, SamplingTask, TaskStatus, TestResult
from sampling.selectors import current_draws, results_visible_to, samples_visible_to

QUEUES = ("receive", "test", "confirm")


@dataclass(frozen=True)
class DrawnWork:
    task: SamplingTask
    enterprise: Enterprise
    partners: tuple[User, ...]  # the other inspectors drawn for the same enterprise
    inspector_ids: tuple[int, ...]
    sample: Sample | None  # the 抽样单 already registered for it, if any

    @property
    def deadline(self) -> dt.date | None:
        return self.task.deadline


def drawn_work_for(user) -> list[DrawnWork]:
    """Enterprises the binding draws of open tasks assigned to ``user``, to sample first, deadline first."""
    if not getattr(user, "pk", None):
        return []
    draws = list(
        current_draws()
        .filter(assigned_inspectors__contains=[user.pk])
        .exclude(task__status=TaskStatus.COMPLETED)
        .select_related("task__region")
    )
    pairs = []
    for draw in draws:
        for enterprise_id, users in draw.assignments.items():
            ids = tuple(int(u) for u in users)
            if user.pk in ids:
                pairs.append((draw.task, int(enterprise_id), ids))
    if not pairs:
        return []
    enterprises = Enterprise.objects.in_bulk({e for _, e, _ in pairs})
    people = User.objects.in_bulk({u for _, _, ids in pairs for u in ids})
    samples = {
        (s.task_id, s.enterprise_id): s
        for s in Sample.objects.filter(task_id__in={t.pk for t, _, _ in pairs}, voided_at__isnull=True).order_by("id")
    }
    rows = [
        DrawnWork(
            task=task,
            enterprise=enterprises[enterprise_id],
            partners=tuple(people[u] for u in ids if u != user.pk and u in people),
            inspector_ids=ids,
            sample=samples.get((task.pk, enterprise_id)),
        )
        for task, enterprise_id, ids in pairs
        if enterprise_id in enterprises
    ]
    return sorted(rows, key=lambda r: (r.sample is not None, r.deadline or dt.date.max, r.task.code, r.enterprise.name))


def _institution_samples(user) -> QuerySet[Sample]:
    if getattr(user, "institution_id", None) is None:
        return Sample.objects.none()
    return samples_visible_to(user).filter(task__institution_id=user.institution_id, voided_at__isnull=True)


def samples_to_receive(user) -> QuerySet[Sample]:
    """收样: the institution's samples not yet received and without any result."""
    has_result = TestResult.objects.filter(sample_id=OuterRef("pk"))
    return (
        _institution_samples(user)
        .filter(received_on__isnull=True)
        .exclude(Exists(has_result))
        .order_by("task__deadline", "sampled_on", "id")
    )


def samples_to_test(user) -> QuerySet[Sample]:
    """待检: received, no result entered yet."""
    has_result = TestResult.objects.filter(sample_id=OuterRef("pk"))
    return (
        _institution_samples(user)
        .filter(received_on__isnull=False)
        .exclude(Exists(has_result))
        .order_by("task__deadline", "received_on", "id")
    )


def results_to_confirm(user) -> QuerySet[TestResult]:
    """待确认: results entered in the institution's name, not yet confirmed."""
    if getattr(user, "institution_id", None) is None:
        return TestResult.objects.none()
    return (
        results_visible_to(user)
        .filter(institution_id=user.institution_id, status=ResultStatus.ENTERED, sample__voided_at__isnull=True)
        .select_related("sample__task", "sample__enterprise", "sample__product_type")
        .order_by("sample__task__deadline", "id")
    )


def queue_counts(user) -> dict[str, int]:
    return {
        "receive": samples_to_receive(user).count(),
        "test": samples_to_test(user).count(),
        "confirm": results_to_confirm(user).count(),
    }
