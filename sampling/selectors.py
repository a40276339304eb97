"""Reads of the sampling app, scoped to the user's jurisdiction (core.selectors decides the scope).

Helpers of other modules append functions below; keep each one small and scoped.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.selectors import enterprise_ids_named, scope_to_jurisdiction
from sampling.models import Announcement, AnnouncementStatus, Sample, SamplingTask, Stage, Verdict


def tasks_visible_to(user) -> QuerySet[SamplingTask]:
    """Tasks of the jurisdiction and below, and those whose current draw assigned the user (a county inspector
    drawn by the city for an enterprise of another county)."""
    from core.selectors import region_q

    return SamplingTask.objects.select_related("region", "institution").filter(
        _widen(region_q(user), _drawn_for_q(user))
    )


def samples_visible_to(user) -> QuerySet[Sample]:
    """Samples of the jurisdiction and below, and those the user signed as inspector."""
    from core.selectors import region_q

    signed = Q(pk__in=[])
    if getattr(user, "is_authenticated", False) and getattr(user, "role", "") == "inspector":
        signed = Q(pk__in=Sample.inspectors.through.objects.filter(user_id=user.pk).values("sample_id"))
    return Sample.objects.select_related("task", "enterprise", "product_type__group", "region").filter(
        _widen(region_q(user), signed)
    )


# --- draw (随机抽取): who was drawn for what ---------------------------------------------------------


def current_draws():
    """Each task's binding draw: its latest attempt (no later attempt exists)."""
    from django.db.models import Exists, OuterRef

    from sampling.models import Draw

    later = Draw.objects.filter(task_id=OuterRef("task_id"), attempt__gt=OuterRef("attempt"))
    return Draw.objects.filter(~Exists(later))


def _widen(scope: Q, extra: Q) -> Q:
    """``scope`` or ``extra``; an empty scope (Q(): everything) stays everything."""
    return scope if not scope else scope | extra


def _drawn_for_q(user) -> Q:
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") != "inspector":
        return Q(pk__in=[])
    return Q(pk__in=current_draws().filter(assigned_inspectors__contains=[user.pk]).values("task_id"))


def enterprises_drawn_for(user, task) -> list[int]:
    """Enterprises the task's current draw assigned to the user."""
    draw = current_draws().filter(task=task).first() if task is not None else None
    if draw is None or not getattr(user, "pk", None):
        return []
    return [int(e) for e, users in draw.assignments.items() if user.pk in [int(u) for u in users]]


def redraw_requests_pending(user):
    """Pending re-draw requests of the tasks of the user's jurisdiction (leaders decide them), oldest first."""
    from sampling.models import RedrawRequest, RedrawStatus

    if not getattr(user, "is_authenticated", False) or not user.has_role("leader"):
        return RedrawRequest.objects.none()
    return scope_to_jurisdiction(
        RedrawRequest.objects.filter(status=RedrawStatus.REQUESTED).select_related("task__region"),
        user,
        "task__region",
    ).order_by("requested_at")[:20]


def public_draws():
    """一公开 of the draw: every attempt of a task that has a published announcement, nothing else."""
    from django.db.models import Exists, OuterRef

    from sampling.models import Draw

    published = Announcement.objects.filter(task_id=OuterRef("task_id"), status=AnnouncementStatus.PUBLISHED)
    return Draw.objects.filter(Exists(published)).select_related("task__region")


def enterprises_for_sampling(user, task=None):
    """Enterprises a user may name on a sampling form of ``task``: the jurisdiction's, and those the task's
    current draw assigned to the user wherever they are in the task's region."""
    from core.models import Enterprise
    from core.selectors import region_q

    return Enterprise.objects.select_related("region").filter(
        _widen(region_q(user), Q(pk__in=enterprises_drawn_for(user, task)))
    )


def announcements_visible_to(user) -> QuerySet[Announcement]:
    return scope_to_jurisdiction(Announcement.objects.select_related("task", "region"), user)


def published_samples() -> QuerySet[Sample]:
    """What the public may see: batches of published announcements with a confirmed final verdict, nothing else
    (a batch whose verdict was reopened, e.g. by an objection, leaves the public pages until it is final again)."""
    return Sample.objects.filter(
        is_published=True,
        announcement__status=AnnouncementStatus.PUBLISHED,
        final_verdict__in=[Verdict.PASS, Verdict.FAIL],
    )


# --- Publication (一公开): public reads build on published_samples() only -------------------------


def published_announcements() -> QuerySet[Announcement]:
    """Announcements the public may see, newest first."""
    return (
        Announcement.objects.filter(status=AnnouncementStatus.PUBLISHED)
        .select_related("task", "region")
        .order_by("-published_at", "-id")
    )


def _final_results_prefetch():
    from django.db.models import Prefetch

    from sampling.models import TestResult

    # The confirmed re-test, when there is one, is the final word; it sorts first.
    return Prefetch(
        "results",
        queryset=TestResult.objects.filter(is_confirmed=True).select_related("institution").order_by("-is_retest"),
        to_attr="confirmed_results",
    )


def public_results() -> QuerySet[Sample]:
    """Published batches with everything a public list shows, in two queries (rows + final results).

    Ordered (-sampled_on, -id) so the list reads the partial index sample_published_idx.
    """
    return (
        published_samples()
        .select_related(
            "announcement",
            "enterprise",
            "product_type__group",
            "region",
        )
        .prefetch_related(_final_results_prefetch())
        .order_by("-sampled_on", "-id")
    )


def announcement_samples(announcement: Announcement) -> QuerySet[Sample]:
    """The batches an announcement carries (staff preview), with the same related rows as public_results()."""
    return (
        Sample.objects.filter(announcement=announcement)
        .select_related("enterprise", "product_type__group", "region")
        .prefetch_related(_final_results_prefetch())
        .order_by("sample_no")
    )


def announcement_withdrawals(announcement: Announcement):
    """Withdrawals of an announcement from the audit trail, newest first: (time, metadata with user and reason).
    One per withdrawal: the stored batch counts refreshed in the same change write a second event of it."""
    events = (
        announcement.events.filter(pgh_context__metadata__source="announcement_withdraw", status="draft")
        .select_related("pgh_context")
        .order_by("-pgh_created_at")
    )
    seen, withdrawals = set(), []
    for event in events:
        if event.pgh_context_id not in seen:
            seen.add(event.pgh_context_id)
            withdrawals.append(event)
    return withdrawals


# --- tasks, draws and samples (helper "draw") ---------------------------------------------------


def tasks_related_to(user) -> QuerySet[SamplingTask]:
    """Tasks a user works on: those of the jurisdiction and below, and those organised above it (a county
    inspector samples for the city's and the province's tasks in the county)."""
    from django.db.models import Q

    from core.selectors import jurisdiction_prefix, region_q

    prefix = jurisdiction_prefix(user)
    if prefix is None:
        return SamplingTask.objects.none()
    ancestors = []
    node = user.jurisdiction if not user.is_superuser else None
    while node is not None:
        ancestors.append(node.code)
        node = node.parent
    return SamplingTask.objects.filter(region_q(user) | Q(region_id__in=ancestors))


def draws_visible_to(user):
    """Draws of the tasks a user sees (tasks_visible_to)."""
    from sampling.models import Draw

    return Draw.objects.select_related("task__region", "created_by").filter(
        task_id__in=tasks_visible_to(user).values("pk")
    )


def sample_inspectors_for(user, task=None):
    """Active inspectors a user may name on a sampling form: the jurisdiction, below it and above it, and
    those the task's current draw assigned (a drawn partner from another county)."""
    from django.db.models import Q

    from core.models import Role, User
    from core.selectors import jurisdiction_prefix

    prefix = jurisdiction_prefix(user)
    if prefix is None:
        return User.objects.none()
    ancestors = []
    node = user.jurisdiction if not user.is_superuser else None
    while node is not None:
        ancestors.append(node.code)
        node = node.parent
    drawn = current_draws().filter(task=task).values_list("assigned_inspectors", flat=True).first() if task else None
    return (
        User.objects.filter(is_active=True, role=Role.INSPECTOR)
        .filter(Q(jurisdiction__code__startswith=prefix) | Q(jurisdiction_id__in=ancestors) | Q(pk__in=drawn or []))
        .select_related("jurisdiction")
        .order_by("jurisdiction_id", "username")
    )


# --- Results, objections and post-processing (helper "results") ------------------------------
DUE_SOON_DAYS = 7


def results_visible_to(user):
    from sampling.models import TestResult

    return scope_to_jurisdiction(
        TestResult.objects.select_related("sample", "institution", "confirmed_by").prefetch_related("items"),
        user,
        field="sample__region",
    )


def objections_visible_to(user):
    from sampling.models import Objection

    return scope_to_jurisdiction(
        Objection.objects.select_related("sample__enterprise", "retest_institution"), user, field="sample__region"
    )


def followups_visible_to(user, *, state: str = "open"):
    """Post-processing steps of the jurisdiction; state: overdue, due_soon, open (default) or all."""
    import datetime as _dt

    from django.utils import timezone

    from sampling.models import FollowUp

    qs = scope_to_jurisdiction(
        FollowUp.objects.select_related("sample__enterprise", "sample__product_type", "done_by", "time_limit"),
        user,
        field="sample__region",
    )
    today = timezone.localdate()
    if state == "overdue":
        qs = qs.filter(done_on__isnull=True, due_on__lt=today)
    elif state == "due_soon":
        qs = qs.filter(done_on__isnull=True, due_on__gte=today, due_on__lte=today + _dt.timedelta(days=DUE_SOON_DAYS))
    elif state == "open":
        qs = qs.filter(done_on__isnull=True)
    from django.db.models import F

    return qs.order_by(F("done_on").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "id")


def filter_sample_list(samples: QuerySet[Sample], params) -> QuerySet[Sample]:
    """The staff sample-list filters, shared by the list page and its Excel export:
    task (id or code), year, final_verdict (or verdict), stage, q."""
    task = params.get("task", "").strip()
    if task:
        samples = samples.filter(task_id=int(task)) if task.isdigit() else samples.filter(task__code=task)
    year = params.get("year", "").strip()
    if year.isdigit():
        samples = samples.filter(year=int(year))
    verdict = params.get("final_verdict") or params.get("verdict") or ""
    if verdict == "judged":
        samples = samples.filter(final_verdict__in=[Verdict.PASS, Verdict.FAIL])
    elif verdict == "pending":
        # 待检验: a voided sample (作废) will never be tested.
        samples = samples.filter(final_verdict=Verdict.PENDING, voided_at__isnull=True)
    elif verdict in (Verdict.PASS, Verdict.FAIL):
        samples = samples.filter(final_verdict=verdict)
    stage = params.get("stage", "")
    if stage in Stage.values:
        samples = samples.filter(stage=stage)
    from sampling.statistics_links import filter_by_statistics_keys

    samples = filter_by_statistics_keys(samples, params)
    text = params.get("q", "").strip()
    if text:
        samples = samples.filter(
            Q(sample_no__iexact=text)
            | Q(enterprise_id__in=enterprise_ids_named(text))
            | Q(enterprise__uscc__iexact=text.upper())
        )
    return samples


# --- Public lists at scale (helper "bench") ------------------------------------------------------


def live_announcement_counts(announcement_ids) -> dict[int, tuple[int, int]]:
    """Published batches and the failing ones per announcement, counted now from the batches the public sees
    (published_samples()). services.publication stores them on the announcement (batch_count, failed_count),
    which is what the public lists read."""
    from django.db.models import Count, Q

    rows = (
        published_samples()
        .filter(announcement_id__in=list(announcement_ids))
        .order_by()
        .values("announcement_id")
        .annotate(batches=Count("id"), failed=Count("id", filter=Q(final_verdict=Verdict.FAIL)))
        .values_list("announcement_id", "batches", "failed")
    )
    return {pk: (batches, failed) for pk, batches, failed in rows}


PUBLIC_TOTALS_CACHE_KEY = "sampling:public-totals"


def public_totals() -> dict:
    """Published batches, failed batches and enterprises, for the public home page.

    Counting distinct enterprises over national data takes most of a second, so the figures are cached;
    whatever changes what the public sees drops them (``sampling.public_cache.public_data_changed``).
    """
    from django.core.cache import cache
    from django.db.models import Count, Q

    def count() -> dict:
        return published_samples().aggregate(
            batches=Count("id"),
            failed=Count("id", filter=Q(final_verdict="fail")),
            enterprises=Count("enterprise_id", distinct=True),
        )

    return cache.get_or_set(PUBLIC_TOTALS_CACHE_KEY, count, timeout=600)
