"""How the law counts a time limit (期限), and the running clocks of records.

- 工作日: working days on the official calendar (调休 make-up days are working days); the start day is
  not counted (行政处罚法 art. 85).
- 日 / 个月 / 年: the start day is not counted; a month or a year ends on the same date of the later
  month (no such date: that month's last day); when the last day is a 法定节假日 (a weekend or holiday
  that is not a make-up working day) the period ends on the first working day after it (期间 rule of
  市场监督管理行政处罚程序规定).
- Pauses (中止) do not count; an approved extension runs on from the end of the period it extends.

Every due date travels with its basis (``DueDate.basis``), so pages show "依据《…》第…条" beside it.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.data.time_limits import SPECS_BY_KEY
from core.errors import DomainError
from core.legal_basis import legal_basis_label
from core.models_timelimits import Clock, ClockExtension, ClockPause, ClockState, TimeLimit, TimeUnit
from core.workdays import WorkdayCalendar

UNITS = tuple(TimeUnit.values)


def unit_label(unit: str) -> str:
    return str(TimeUnit(unit).label)


def add_months(start: dt.date, months: int) -> dt.date:
    """The same date ``months`` later; the month's last day when that month is shorter (1-31 → 2-28)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DueDate:
    """A computed due date: where it started, how long, where it ends, and why."""

    start: dt.date
    amount: int
    unit: str
    due: dt.date
    moved_from: dt.date | None = None
    provisional: bool = False
    basis: str = ""
    paused_days: int = 0
    extensions: tuple[tuple[int, str], ...] = field(default_factory=tuple)

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit)

    @property
    def basis_display(self) -> str:
        return _("依据%(basis)s") % {"basis": legal_basis_label(self.basis)} if self.basis else ""

    @property
    def explanation(self) -> str:
        parts = [
            _("自 %(start)s 起算（起算日不计入），%(amount)d %(unit)s")
            % {"start": self.start.isoformat(), "amount": self.amount, "unit": self.unit_label}
        ]
        for amount, unit in self.extensions:
            parts.append(_("经批准延长 %(amount)d %(unit)s") % {"amount": amount, "unit": unit_label(unit)})
        if self.paused_days:
            parts.append(_("中止期间 %(days)d 日不计入") % {"days": self.paused_days})
        if self.moved_from:
            parts.append(
                _("期限最后一日 %(last)s 为法定节假日，顺延至其后第一个工作日 %(due)s")
                % {"last": self.moved_from.isoformat(), "due": self.due.isoformat()}
            )
        else:
            parts.append(_("届满日为 %(due)s") % {"due": self.due.isoformat()})
        text = "，".join(parts) + "。"
        if self.provisional:
            text += _("该年度的节假日安排尚未录入，暂按周一至周五为工作日计算，届满日可能变化。")
        if self.basis:
            text += self.basis_display + "。"
        return text

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "amount": self.amount,
            "unit": self.unit,
            "due": self.due.isoformat(),
            "moved_from": self.moved_from.isoformat() if self.moved_from else None,
            "provisional": self.provisional,
            "explanation": self.explanation,
        }


def _raw_end(start: dt.date, amount: int, unit: str, cal: WorkdayCalendar) -> dt.date:
    if unit == TimeUnit.WORKDAY:
        return cal.add_working_days(start, amount)
    if unit == TimeUnit.DAY:
        return start + dt.timedelta(days=amount)
    if unit == TimeUnit.MONTH:
        return add_months(start, amount)
    if unit == TimeUnit.YEAR:
        return add_months(start, 12 * amount)
    raise DomainError(_("单位：“%(unit)s”不是有效的期限单位（工作日、日、月、年）。") % {"unit": unit})


def _next_workday(day: dt.date, cal: WorkdayCalendar) -> dt.date:
    while not cal.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def compute_due(
    start: dt.date,
    amount: int,
    unit: str,
    *,
    basis: str = "",
    pauses: Iterable[tuple[dt.date, dt.date | None]] = (),
    extensions: Iterable[tuple[int, str]] = (),
    today: dt.date | None = None,
    calendar: WorkdayCalendar | None = None,
) -> DueDate:
    """The last day of a period of ``amount`` ``unit`` from ``start`` (not counted), by the law's rules.

    ``pauses`` are (from, to) periods that do not count (an open pause counts up to ``today``);
    ``extensions`` are approved (amount, unit) extensions, each running on from the end before it.
    """
    if unit not in UNITS:
        raise DomainError(_("单位：“%(unit)s”不是有效的期限单位（工作日、日、月、年）。") % {"unit": unit})
    if amount is None or int(amount) < 1:
        raise DomainError(_("期限：必须为正整数。"))
    cal = calendar or WorkdayCalendar()
    cal.unknown_years = set()
    today = today or timezone.localdate()
    end = _raw_end(start, int(amount), unit, cal)
    extensions = tuple((int(a), u) for a, u in extensions)
    for ext_amount, ext_unit in extensions:
        end = _raw_end(end, ext_amount, ext_unit, cal)
    paused_days = 0
    for pause_from, pause_to in sorted(pauses, key=lambda p: p[0]):
        if pause_from > end:
            continue
        until = pause_to or today
        if until <= pause_from:
            continue
        if unit == TimeUnit.WORKDAY:
            lost = cal.working_days_between(pause_from, until)
            end = cal.add_working_days(end, lost) if lost else end
        else:
            lost = (until - pause_from).days
            end = end + dt.timedelta(days=lost)
        paused_days += (until - pause_from).days
    moved_from = None
    if unit != TimeUnit.WORKDAY or any(u != TimeUnit.WORKDAY for _a, u in extensions):
        shifted = _next_workday(end, cal)
        if shifted != end:
            moved_from, end = end, shifted
    # Touch the due year so that an unknown calendar year is noticed even when no day was tested in it.
    cal.is_workday(end)
    return DueDate(
        start=start,
        amount=int(amount),
        unit=unit,
        due=end,
        moved_from=moved_from,
        provisional=bool(cal.unknown_years),
        basis=basis,
        paused_days=paused_days,
        extensions=extensions,
    )


# --- Limits as configured -----------------------------------------------------------------------


def limit(key: str) -> TimeLimit:
    """The configured limit ``key`` (created from its default on first use)."""
    found = TimeLimit.objects.filter(key=key).first()
    if found is not None:
        return found
    spec = SPECS_BY_KEY.get(key)
    if spec is None:
        raise KeyError(key)
    found, _created = TimeLimit.objects.get_or_create(key=key, defaults=_spec_fields(spec))
    return found


def _spec_fields(spec) -> dict:
    return {
        "name": spec.name,
        "amount": spec.amount,
        "max_amount": spec.max_amount,
        "unit": spec.unit,
        "start_event": spec.start_event,
        "basis": spec.basis,
        "is_assumed": spec.assumed,
    }


def load_time_limits() -> int:
    """Create the limits that do not exist yet; amounts administrators changed are kept. Returns the count created."""
    existing = set(TimeLimit.objects.values_list("key", flat=True))
    missing = [TimeLimit(key=key, **_spec_fields(spec)) for key, spec in SPECS_BY_KEY.items() if key not in existing]
    TimeLimit.objects.bulk_create(missing)
    return len(missing)


def due_for(
    key: str,
    start: dt.date,
    *,
    latest: bool = False,
    calendar: WorkdayCalendar | None = None,
    **kwargs,
) -> DueDate:
    """The due date of limit ``key`` from ``start``; ``latest`` takes the range's maximum (60–90 日 → 90)."""
    rule = limit(key)
    amount = rule.max_amount if latest and rule.max_amount else rule.amount
    return compute_due(start, amount, rule.unit, basis=_translated_basis(rule.basis), calendar=calendar, **kwargs)


def _translated_basis(basis: str) -> str:
    # Default bases are stored as their Chinese msgids; translate the pieces the catalogue knows.
    return _(basis)


def validate_limit_values(*, amount: int | None, max_amount: int | None, unit: str) -> None:
    """Administrators' edits: positive amounts, a range with minimum ≤ maximum, a known unit."""
    if amount is None or amount < 1:
        raise DomainError(_("期限：必须为大于 0 的整数。"))
    if max_amount is not None and max_amount < amount:
        raise DomainError(_("最长期限：不能小于期限（最短）。"))
    if unit not in UNITS:
        raise DomainError(_("单位：只能是工作日、日、月或年。"))


# --- Clocks: the running limits of records ------------------------------------------------------


def _owner_keys(owner) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(owner, for_concrete_model=False), str(owner.pk)


def clocks_of(owner) -> list[Clock]:
    content_type, object_id = _owner_keys(owner)
    return list(
        Clock.objects.filter(content_type=content_type, object_id=object_id)
        .select_related("limit")
        .prefetch_related("pauses", "extensions")
        .order_by("started_on", "id")
    )


def clock_for(owner, key: str) -> Clock | None:
    content_type, object_id = _owner_keys(owner)
    return (
        Clock.objects.filter(content_type=content_type, object_id=object_id, limit__key=key)
        .select_related("limit")
        .first()
    )


def clock_due(clock: Clock, *, today: dt.date | None = None) -> DueDate:
    pauses = [(p.started_on, p.ended_on) for p in clock.pauses.all()]
    extensions = [(e.amount, e.unit) for e in clock.extensions.all()]
    return compute_due(
        clock.started_on,
        clock.amount,
        clock.unit,
        basis=_translated_basis(clock.basis),
        pauses=pauses,
        extensions=extensions,
        today=today,
    )


def _refresh(clock: Clock) -> Clock:
    due = clock_due(clock)
    clock.due_on, clock.moved_from, clock.provisional = due.due, due.moved_from, due.provisional
    clock.save(update_fields=["due_on", "moved_from", "provisional", "state", "stopped_on"])
    return clock


@transaction.atomic
def clock_start(*, owner, key: str, started_on: dt.date, region_code: str = "", latest: bool = False) -> Clock:
    """Start limit ``key`` for a record from ``started_on`` (safe to call twice: the first start stands)."""
    rule = limit(key)
    content_type, object_id = _owner_keys(owner)
    amount = rule.max_amount if latest and rule.max_amount else rule.amount
    due = compute_due(started_on, amount, rule.unit, basis=rule.basis)
    clock, _created = Clock.objects.get_or_create(
        content_type=content_type,
        object_id=object_id,
        limit=rule,
        defaults={
            "started_on": started_on,
            "amount": amount,
            "unit": rule.unit,
            "basis": rule.basis,
            "due_on": due.due,
            "moved_from": due.moved_from,
            "provisional": due.provisional,
            "region_code": region_code,
        },
    )
    return clock


def _locked(clock: Clock) -> Clock:
    return Clock.objects.select_for_update().select_related("limit").get(pk=clock.pk)


@transaction.atomic
def clock_pause(*, clock: Clock, user, reason: str, on: dt.date) -> ClockPause:
    """Stop a running limit (检验、检测、鉴定、听证、公告、中止): the days from ``on`` do not count."""
    clock = _locked(clock)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("中止事由：不能为空。"))
    if clock.state != ClockState.RUNNING:
        raise DomainError(_("“%(name)s”当前不在计时中，不能中止。") % {"name": clock.limit.name})
    if on < clock.started_on:
        raise DomainError(_("中止日：不能早于起算日 %(date)s。") % {"date": clock.started_on})
    pause = ClockPause.objects.create(clock=clock, reason=reason, started_on=on, created_by=user)
    clock.state = ClockState.PAUSED
    _refresh(clock)
    return pause


@transaction.atomic
def clock_resume(*, clock: Clock, user, on: dt.date) -> Clock:
    """Resume a paused limit on ``on``; the pause's days are added to the period."""
    clock = _locked(clock)
    pause = clock.pauses.filter(ended_on__isnull=True).first()
    if clock.state != ClockState.PAUSED or pause is None:
        raise DomainError(_("“%(name)s”没有中止，无需恢复计时。") % {"name": clock.limit.name})
    if on < pause.started_on:
        raise DomainError(_("恢复日：不能早于中止日 %(date)s。") % {"date": pause.started_on})
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    clock.state = ClockState.RUNNING
    return _refresh(clock)


@transaction.atomic
def clock_extend(
    *, clock: Clock, user, amount: int, unit: str, reason: str, on: dt.date, basis: str = ""
) -> ClockExtension:
    """Record an approved extension (who approved it, why); the period runs on from its current end."""
    clock = _locked(clock)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("延长理由：不能为空。"))
    if amount is None or int(amount) < 1:
        raise DomainError(_("延长期限：必须为正整数。"))
    if unit not in UNITS:
        raise DomainError(_("单位：只能是工作日、日、月或年。"))
    if clock.state == ClockState.STOPPED:
        raise DomainError(_("“%(name)s”已结束，不能延长。") % {"name": clock.limit.name})
    extension = ClockExtension.objects.create(
        clock=clock, amount=int(amount), unit=unit, reason=reason, basis=basis, approved_by=user, approved_on=on
    )
    _refresh(clock)
    return extension


@transaction.atomic
def clock_stop(*, clock: Clock, on: dt.date) -> Clock:
    """The limit is met (the act it waits for was done on ``on``); an open pause ends with it."""
    clock = _locked(clock)
    if clock.state == ClockState.STOPPED:
        return clock
    clock.pauses.filter(ended_on__isnull=True).update(ended_on=on)
    clock.state = ClockState.STOPPED
    clock.stopped_on = on
    return _refresh(clock)
