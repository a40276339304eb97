"""Working-day arithmetic on the real 2026 State Council schedule, and overrides for a year the library lacks."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from core.models import CalendarYear, WorkdayOverride
from core.workdays import UnknownCalendarYear, WorkdayCalendar

D = dt.date


def test_the_2026_facts_the_tests_rely_on():
    # 中秋 2026-09-25 and 国庆 10-01..10-07 are holidays; Sunday 09-20 and Saturday 10-10 are make-up working days.
    makeup = [d for d in chinese_calendar.get_workdays(D(2026, 9, 1), D(2026, 10, 31)) if d.weekday() >= 5]
    assert makeup == [D(2026, 9, 20), D(2026, 10, 10)]
    assert not chinese_calendar.is_workday(D(2026, 9, 25))
    assert all(not chinese_calendar.is_workday(D(2026, 10, day)) for day in range(1, 8))


@pytest.mark.django_db
def test_five_working_days_across_mid_autumn_and_national_day():
    # Thu 09-24 → 09-28, 29, 30, (holidays to 10-07), 10-08, 10-09.
    assert WorkdayCalendar().add_working_days(D(2026, 9, 24), 5) == D(2026, 10, 9)


@pytest.mark.django_db
def test_make_up_saturday_and_sunday_count_as_working_days():
    calendar = WorkdayCalendar()
    assert calendar.add_working_days(D(2026, 10, 8), 2) == D(2026, 10, 10)  # Fri 10-09, Sat 10-10 (调休上班)
    assert calendar.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)  # Sun 09-20 (调休上班)
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4  # 10-08, 09, 10, 12


@pytest.mark.django_db
def test_a_2027_holiday_entered_as_an_override_is_skipped():
    # 2027 is beyond the library: without overrides New Year's Day (a Friday) would count as a working day.
    assert WorkdayCalendar().add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    CalendarYear.objects.create(year=2027, note="测试用安排")
    calendar = WorkdayCalendar(strict=True)
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.unknown_years == set()


@pytest.mark.django_db
def test_a_2027_make_up_saturday_entered_as_an_override_counts():
    WorkdayOverride.objects.create(date=D(2027, 2, 20), is_workday=True, note="调休上班（测试）")
    assert WorkdayCalendar().add_working_days(D(2027, 2, 19), 1) == D(2027, 2, 20)


@pytest.mark.django_db
def test_strict_calendar_refuses_a_year_nobody_entered():
    with pytest.raises(UnknownCalendarYear, match="2028"):
        WorkdayCalendar(strict=True).is_workday(D(2028, 3, 1))
    lenient = WorkdayCalendar()
    assert lenient.is_workday(D(2028, 3, 1)) is True
    assert lenient.unknown_years == {2028}
