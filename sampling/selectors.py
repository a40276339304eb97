"""Reads of the sampling app, scoped to the user's jurisdiction (core.selectors decides the scope).

Helpers of other modules append functions below; keep each one small and scoped.
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.selectors import scope_to_jurisdiction
from sampling.models import Announcement, AnnouncementStatus, Sample, SamplingTask


def tasks_visible_to(user) -> QuerySet[SamplingTask]:
    return scope_to_jurisdiction(SamplingTask.objects.select_related("region", "institution"), user)


def samples_visible_to(user) -> QuerySet[Sample]:
    return scope_to_jurisdiction(
        Sample.objects.select_related("task", "enterprise", "product_type__group", "region"), user
    )


def announcements_visible_to(user) -> QuerySet[Announcement]:
    return scope_to_jurisdiction(Announcement.objects.select_related("task", "region"), user)


def published_samples() -> QuerySet[Sample]:
    """What the public may see: batches of published announcements, nothing else."""
    return Sample.objects.filter(is_published=True, announcement__status=AnnouncementStatus.PUBLISHED)
