"""Publication of results (一公开): announcements that make confirmed verdicts public, and their withdrawal."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.errors import DomainError, PermissionDenied
from core.models import User
from core.selectors import region_in_jurisdiction
from sampling import policies
from sampling.models import (
    Announcement,
    AnnouncementStatus,
    Objection,
    ObjectionStatus,
    Sample,
    SamplingTask,
    Verdict,
)
from sampling.public_cache import public_data_changed
from sampling.selectors import live_announcement_counts
from sampling.services import facts as sampling_facts
from sampling.transitions import ANNOUNCEMENT_FLOW

DRAFTING_ROLES = policies.DRAFTING_ROLES
PUBLISHING_ROLES = policies.PUBLISHING_ROLES
# How many sample numbers an error message names before it says "等 N 批".
_NAMED_IN_ERROR = 10


def _has_open_objection() -> Exists:
    return Exists(
        Objection.objects.filter(sample=OuterRef("pk"), status__in=[ObjectionStatus.FILED, ObjectionStatus.RETESTING])
    )


def final_verdict_q() -> Q:
    """A sample whose verdict is final: a confirmed deciding result (final_verdict is written only from one,
    services.verdicts) and no objection still open."""
    return Q(final_verdict__in=[Verdict.PASS, Verdict.FAIL], has_open_objection=False, voided_at__isnull=True)


def publishable_samples(task: SamplingTask) -> QuerySet[Sample]:
    """Samples of the task that a new announcement carries by default: final verdict, in no announcement yet."""
    return (
        Sample.objects.filter(task=task, is_published=False, announcement__isnull=True)
        .annotate(has_open_objection=_has_open_objection())
        .filter(final_verdict_q())
        .order_by("sample_no")
    )


def _name_samples(numbers: Iterable[str]) -> str:
    numbers = sorted(numbers)
    named = "、".join(numbers[:_NAMED_IN_ERROR])
    if len(numbers) > _NAMED_IN_ERROR:
        named += _("等 %(count)d 批") % {"count": len(numbers)}
    return named


def _require_jurisdiction(user: User, region_code: str) -> None:
    if not region_in_jurisdiction(user, region_code):
        raise PermissionDenied(_("该公告不在您的管辖范围内"))


def announcement_create(
    *,
    user: User,
    task: SamplingTask,
    title: str,
    number: str = "",
    summary: str = "",
    samples: Iterable[Sample] | None = None,
) -> Announcement:
    """Draft an announcement (结果公告草稿) for a task of the user's jurisdiction.

    By default it carries every sample of the task with a final verdict that no announcement carries yet;
    given samples must belong to the task and not be published already (a draft's samples move over).
    """
    if not user.has_role(*DRAFTING_ROLES):
        raise PermissionDenied(_("您的角色无权起草结果公告"))
    if not policies.can_draft_announcement(user, task):
        raise PermissionDenied(_("该抽查任务不在您的管辖范围内"))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("公告标题：必须填写"))

    with transaction.atomic():
        if samples is None:
            chosen = list(publishable_samples(task).select_for_update(of=("self",)))
        else:
            ids = {s.pk for s in samples}
            chosen = list(Sample.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("sample_no"))
            foreign = [s.sample_no for s in chosen if s.task_id != task.pk]
            if foreign:
                raise DomainError(
                    _("抽样单 %(numbers)s 不属于任务 %(task)s") % {"numbers": _name_samples(foreign), "task": task.code}
                )
            published = [s.sample_no for s in chosen if s.is_published]
            if published:
                raise DomainError(_("抽样单 %(numbers)s 已在其他公告中发布") % {"numbers": _name_samples(published)})
            final = set(
                Sample.objects.filter(pk__in=ids)
                .annotate(has_open_objection=_has_open_objection())
                .filter(final_verdict_q())
                .values_list("pk", flat=True)
            )
            pending = [s.sample_no for s in chosen if s.pk not in final]
            if pending:
                raise DomainError(
                    _("抽样单 %(numbers)s 尚无经确认的最终检验结论，不能列入公告") % {"numbers": _name_samples(pending)}
                )
        if not chosen:
            raise DomainError(_("该任务没有可公告的抽样单（需有最终检验结论）"))

        announcement = Announcement.objects.create(
            task=task,
            title=title,
            number=(number or "").strip(),
            summary=summary or "",
            region_id=task.region_id,
        )
        # A draft only links its batches; nothing becomes public before announcement_publish.
        Sample.objects.filter(pk__in=[s.pk for s in chosen]).update(announcement=announcement)
    return announcement


def announcement_publish(*, user: User, announcement: Announcement) -> Announcement:
    """Publish an announcement (发布公告): its batches become public in one update, all or none.

    Only a leader or administrator of the announcement's jurisdiction publishes, and every batch
    must carry a final verdict (合格/不合格, no open objection).
    """
    if not user.has_role(*PUBLISHING_ROLES):
        raise PermissionDenied(_("只有负责人或系统管理员可以发布结果公告"))
    _require_jurisdiction(user, announcement.region_id)

    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if announcement.status == AnnouncementStatus.PUBLISHED:
            raise DomainError(_("公告“%(title)s”已发布") % {"title": announcement.title})
        if not policies.can_publish(user, announcement):
            raise PermissionDenied(_("只有负责人或系统管理员可以发布结果公告"))
        ANNOUNCEMENT_FLOW.require(announcement, AnnouncementStatus.PUBLISHED)
        samples = list(
            Sample.objects.select_for_update(of=("self",))
            .filter(announcement=announcement)
            .annotate(has_open_objection=_has_open_objection())
            .select_related("enterprise", "product_type")
            .only(
                "pk",
                "sample_no",
                "final_verdict",
                "enterprise__uscc",
                "enterprise__region_id",
                "product_type__name",
            )
        )
        if not samples:
            raise DomainError(_("公告没有任何抽样单，不能发布"))
        pending = [s.sample_no for s in samples if s.final_verdict not in (Verdict.PASS, Verdict.FAIL)]
        if pending:
            raise DomainError(
                _("以下抽样单尚无最终检验结论，不能发布：%(numbers)s") % {"numbers": _name_samples(pending)}
            )
        objected = [s.sample_no for s in samples if s.has_open_objection]
        if objected:
            raise DomainError(
                _("以下抽样单的异议尚未处理完毕，不能发布：%(numbers)s") % {"numbers": _name_samples(objected)}
            )

        announcement.status = AnnouncementStatus.PUBLISHED
        announcement.published_at = timezone.now()
        announcement.published_by = user
        # Every batch has a final verdict (checked above): these are the counts the public pages show.
        announcement.batch_count = len(samples)
        announcement.failed_count = sum(1 for s in samples if s.final_verdict == Verdict.FAIL)
        announcement.save(update_fields=["status", "published_at", "published_by", "batch_count", "failed_count"])
        Sample.objects.filter(pk__in=[s.pk for s in samples]).update(is_published=True, announcement=announcement)
        on = timezone.localdate()
        ref = publication_ref(announcement)
        sampling_facts.record_facts(
            [
                published_fact(sample, announcement, ref=ref, on=on, product_type=sample.product_type.name)
                for sample in samples
            ],
            user=user,
        )
        transaction.on_commit(public_data_changed)
    return announcement


def announcement_counts_refresh(announcement_ids: Iterable[int | None]) -> None:
    """Store on each announcement the counts of its batches the public sees (caller holds the transaction).

    Called when it is published or withdrawn and when a verdict of one of its published batches changes
    (services.verdicts) or a batch leaves it (作废): the public lists then read two columns instead of
    counting the batches of every announcement shown.
    """
    ids = {pk for pk in announcement_ids if pk is not None}
    if not ids:
        return
    # A published batch changed (its verdict, or it left): what the public search shows changed with it, even
    # where the counts stay the same (合格 → 待定 while an objection is heard).
    transaction.on_commit(public_data_changed)
    counts = live_announcement_counts(ids)
    for pk in sorted(ids):
        batches, failed = counts.get(pk, (0, 0))
        Announcement.objects.filter(pk=pk).exclude(batch_count=batches, failed_count=failed).update(
            batch_count=batches, failed_count=failed
        )


def announcements_of_published(sample_ids: Iterable[int]) -> set[int]:
    """The announcements carrying any of these batches as published."""
    return set(
        Sample.objects.filter(pk__in=list(sample_ids), is_published=True, announcement__isnull=False)
        .values_list("announcement_id", flat=True)
        .distinct()
    )


def publication_ref(announcement: Announcement) -> str:
    """Distinguishes each publication of a batch (a withdrawn announcement may be published again)."""
    return f"{announcement.pk}@{announcement.published_at:%Y%m%d%H%M%S%f}"


def published_fact(sample, announcement, *, ref: str, on, product_type: str) -> sampling_facts.FactRow:
    return sampling_facts.FactRow(
        enterprise_id=sample.enterprise_id,
        uscc=sample.enterprise.uscc,
        region_code=sample.enterprise.region_id,
        kind=sampling_facts.RESULT_PUBLISHED,
        source_type=sampling_facts.SAMPLE_SOURCE,
        source_id=str(sample.pk),
        source_label=sample.sample_no,
        occurred_on=on,
        ref=ref,
        summary=f"{sample.sample_no} {announcement.title}"[:255],
        data={
            "sample_no": sample.sample_no,
            "verdict": sample.final_verdict,
            "announcement_id": announcement.pk,
            "product_type": product_type,
        },
        public_from=on,
    )


def announcement_withdraw(*, user: User, announcement: Announcement, reason: str) -> Announcement:
    """Withdraw a published announcement (撤回公告): its batches leave the public pages at once.

    The announcement returns to draft and keeps its batches, its last publication time and publisher,
    so it can be corrected and published again; the reason is a column of the announcement, and each
    batch's published fact is ended by a withdrawn fact in the ledger.
    """
    if not user.has_role(*PUBLISHING_ROLES):
        raise PermissionDenied(_("只有负责人或系统管理员可以撤回结果公告"))
    _require_jurisdiction(user, announcement.region_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("撤回理由：必须填写"))

    with transaction.atomic(), audit_context(user=user, source="announcement_withdraw", reason=reason):
        announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if announcement.status != AnnouncementStatus.PUBLISHED:
            raise DomainError(_("公告“%(title)s”未发布，无需撤回") % {"title": announcement.title})
        ANNOUNCEMENT_FLOW.require(announcement, AnnouncementStatus.DRAFT)
        announcement.status = AnnouncementStatus.DRAFT
        announcement.withdrawal_reason = reason
        announcement.withdrawn_at = timezone.now()
        announcement.withdrawn_by = user
        announcement.batch_count = announcement.failed_count = 0  # nothing of it is public any more
        announcement.save(
            update_fields=["status", "withdrawal_reason", "withdrawn_at", "withdrawn_by", "batch_count", "failed_count"]
        )
        Sample.objects.filter(announcement=announcement).update(is_published=False)
        _record_withdrawn(announcement, reason=reason, user=user)
        transaction.on_commit(public_data_changed)
    return announcement


def _record_withdrawn(announcement: Announcement, *, reason: str, user) -> None:
    from core.models_facts import EnterpriseFact

    ref = publication_ref(announcement)
    on = timezone.localdate()
    published = EnterpriseFact.objects.filter(
        kind=sampling_facts.RESULT_PUBLISHED, source_type=sampling_facts.SAMPLE_SOURCE, ref=ref
    )
    sampling_facts.record_facts(
        [
            sampling_facts.FactRow(
                enterprise_id=fact.enterprise_id,
                uscc=fact.uscc,
                region_code=fact.region_code,
                kind=sampling_facts.RESULT_WITHDRAWN,
                source_type=fact.source_type,
                source_id=fact.source_id,
                source_label=fact.source_label,
                occurred_on=on,
                ref=ref,
                summary=fact.summary,
                data={"reason": reason},
                ends_id=fact.pk,
            )
            for fact in published
        ],
        user=user,
    )
