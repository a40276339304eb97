"""Legal time limits (期限) as data: an amount, a unit, the event it runs from and its legal basis.

A ``TimeLimit`` row is the configurable rule (administrators edit the amount in the browser); a ``Clock``
is one running limit of one record (a case's 90-日 decision limit, a recall's progress report), with its
pauses (中止: testing, hearing, public notice, suspension) and its approved extensions. The arithmetic is
in ``core.timelimits``.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.legal_basis import legal_basis_label


class TimeUnit(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    DAY = "day", _("日")
    MONTH = "month", _("个月")
    YEAR = "year", _("年")


def amount_with_unit(n: int, unit: str) -> str:
    """The "%(n)s <unit>" pattern for a number of that unit, in the active language's plural form."""
    if unit == TimeUnit.WORKDAY:
        return ngettext("%(n)s 工作日", "%(n)s 工作日", n)
    if unit == TimeUnit.DAY:
        return ngettext("%(n)s 日", "%(n)s 日", n)
    if unit == TimeUnit.MONTH:
        return ngettext("%(n)s 个月", "%(n)s 个月", n)
    return ngettext("%(n)s 年", "%(n)s 年", n)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class TimeLimit(models.Model):
    """One time limit of the law or of the bureau's rules, e.g. 整改期限 60 日 自送达不合格通知书之日起."""

    key = models.CharField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("期限名称"), max_length=128)
    amount = models.PositiveIntegerField(_("期限"))
    # A range (再次复查 60–90 日 after publication): amount is the earliest, max_amount the latest.
    max_amount = models.PositiveIntegerField(_("最长期限"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=8, choices=TimeUnit.choices)
    start_event = models.CharField(_("起算事件"), max_length=128)
    basis = models.CharField(_("法律依据"), max_length=255)
    # True where no primary text gave the number: the default stands for the article named in basis.
    is_assumed = models.BooleanField(_("默认值（无明文规定）"), default=False)
    note = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法定期限")
        verbose_name_plural = _("法定期限")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=1), name="time_limit_amount_positive"),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gte=F("amount")), name="time_limit_range_ordered"
            ),
            models.CheckConstraint(condition=Q(unit__in=TimeUnit.values), name="time_limit_unit_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.amount_display}）"

    @property
    def amount_display(self) -> str:
        """ "5 工作日", "60–90 日" ("1 year", "5 working days" in English: the unit agrees with the number)."""
        if self.max_amount and self.max_amount != self.amount:
            return amount_with_unit(self.max_amount, self.unit) % {"n": f"{self.amount}–{self.max_amount}"}
        return amount_with_unit(self.amount, self.unit) % {"n": self.amount}

    @property
    def basis_display(self) -> str:
        return _("依据%(basis)s") % {"basis": legal_basis_label(self.basis)}

    # The name and start event as shown: the reference data's wording is a msgid (core/data/time_limits.py), so
    # it reads in the active language; a wording an administrator changed is shown as written.
    @property
    def label(self) -> str:
        return gettext(self.name)

    @property
    def start_event_label(self) -> str:
        return gettext(self.start_event)


class ClockState(models.TextChoices):
    RUNNING = "running", _("计时中")
    PAUSED = "paused", _("已中止")
    STOPPED = "stopped", _("已结束")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Clock(models.Model):
    """A running time limit of one record. The amount, unit and basis are copied from the limit when the
    clock starts, so a later change of the rule does not move a running deadline."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    owner = GenericForeignKey("content_type", "object_id")
    limit = models.ForeignKey(TimeLimit, verbose_name=_("期限"), on_delete=models.PROTECT, related_name="clocks")
    started_on = models.DateField(_("起算日"))
    amount = models.PositiveIntegerField(_("期限"))
    unit = models.CharField(_("单位"), max_length=8, choices=TimeUnit.choices)
    basis = models.CharField(_("法律依据"), max_length=255)
    state = models.CharField(_("状态"), max_length=8, choices=ClockState.choices, default=ClockState.RUNNING)
    # Derived from started_on, amount, unit, pauses and extensions; stored so lists filter in SQL.
    due_on = models.DateField(_("届满日"))
    moved_from = models.DateField(_("顺延前届满日"), null=True, blank=True)
    provisional = models.BooleanField(_("节假日安排未定"), default=False)
    stopped_on = models.DateField(_("结束日"), null=True, blank=True)
    region_code = models.CharField(_("所属地区"), max_length=6, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("期限计时")
        verbose_name_plural = _("期限计时")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ClockState.values), name="clock_state_known"),
            models.CheckConstraint(condition=Q(unit__in=TimeUnit.values), name="clock_unit_known"),
            models.UniqueConstraint(fields=["content_type", "object_id", "limit"], name="clock_one_per_owner_limit"),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="clock_owner_idx"),
            # Due-soon / overdue lists: running clocks by due date.
            models.Index(fields=["due_on"], name="clock_running_due_idx", condition=Q(state="running")),
        ]

    def __str__(self) -> str:
        return f"{self.limit.name} {self.due_on}"

    @property
    def history_region_code(self) -> str | None:
        return self.region_code or None


class ClockPause(models.Model):
    """A period that does not count towards a limit (检测、检验、鉴定、听证、公告、中止), with its reason."""

    clock = models.ForeignKey(Clock, verbose_name=_("期限"), on_delete=models.PROTECT, related_name="pauses")
    reason = models.CharField(_("中止事由"), max_length=255)
    started_on = models.DateField(_("中止日"))
    ended_on = models.DateField(_("恢复日"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("期限中止")
        verbose_name_plural = _("期限中止")
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="clock_pause_ordered"
            ),
            models.UniqueConstraint(fields=["clock"], condition=Q(ended_on__isnull=True), name="clock_one_open_pause"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.started_on}–{self.ended_on or ''}"


class ClockExtension(models.Model):
    """An approved extension (延长) of a limit: how much, why, and who approved it."""

    clock = models.ForeignKey(Clock, verbose_name=_("期限"), on_delete=models.PROTECT, related_name="extensions")
    amount = models.PositiveIntegerField(_("延长"))
    unit = models.CharField(_("单位"), max_length=8, choices=TimeUnit.choices)
    reason = models.CharField(_("延长理由"), max_length=255)
    basis = models.CharField(_("依据"), max_length=255, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("批准日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("期限延长")
        verbose_name_plural = _("期限延长")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=1), name="clock_extension_positive"),
            models.CheckConstraint(condition=Q(unit__in=TimeUnit.values), name="clock_extension_unit_known"),
        ]

    def __str__(self) -> str:
        return f"+{self.amount} {self.get_unit_display()}"
