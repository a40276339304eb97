"""Working days in mainland China: official holidays and make-up working days (调休).

The maintained ``chinese_calendar`` package knows the State Council's schedules; administrators
enter a year it does not know yet (or correct a day) as ``WorkdayOverride`` rows.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from django.utils.translation import gettext as _

from core.models import CalendarYear, WorkdayOverride


class UnknownCalendarYear(Exception):
    def __init__(self, year: int):
        super().__init__(_("%(year)s 年的节假日安排尚未录入，请系统管理员在“节假日调整”中录入。") % {"year": year})
        self.year = year


def _overrides() -> dict[dt.date, bool]:
    return dict(WorkdayOverride.objects.values_list("date", "is_workday"))


@lru_cache(maxsize=1)
def _library_years() -> tuple[int, int]:
    try:
        chinese_calendar.is_workday(dt.date(1900, 1, 1))
    except NotImplementedError as exc:
        import re

        found = re.findall(r"\d{4}", str(exc))
        if len(found) >= 3:
            return int(found[1]), int(found[2])
    return 2004, 2026


def year_is_known(year: int, entered_years: set[int] | None = None) -> bool:
    low, high = _library_years()
    if low <= year <= high:
        return True
    if entered_years is None:
        entered_years = set(CalendarYear.objects.values_list("year", flat=True))
    return year in entered_years


class WorkdayCalendar:
    """Answers "is this a working day" with the overrides loaded once."""

    def __init__(self, *, strict: bool = False):
        self.overrides = _overrides()
        self.entered_years = set(CalendarYear.objects.values_list("year", flat=True))
        self.strict = strict
        self.unknown_years: set[int] = set()

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        low, high = _library_years()
        if low <= day.year <= high:
            return chinese_calendar.is_workday(day)
        if day.year not in self.entered_years:
            if self.strict:
                raise UnknownCalendarYear(day.year)
            # Not known yet: count Monday to Friday and remember that the date is provisional.
            self.unknown_years.add(day.year)
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (start itself not counted)."""
        current = start
        remaining = days
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    return WorkdayCalendar().add_working_days(start, days)


def is_workday(day: dt.date) -> bool:
    return WorkdayCalendar().is_workday(day)
