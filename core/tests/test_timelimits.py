"""How the law counts time limits: working days, calendar days, months and years (DOMAIN "Time limits")."""

import datetime as dt

import pytest

from core.errors import DomainError
from core.models import CalendarYear, WorkdayOverride
from core.models_timelimits import ClockState, TimeLimit
from core.timelimits import (
    add_months,
    clock_extend,
    clock_pause,
    clock_resume,
    clock_start,
    clock_stop,
    compute_due,
    due_for,
    load_time_limits,
    validate_limit_values,
)

D = dt.date
pytestmark = pytest.mark.django_db


class TestWorkingDays:
    def test_across_national_day_2025(self):
        # 2025-09-30 (Tue) + 5 working days: Oct 1–8 is the holiday, Oct 9 (Thu) is the 1st, Oct 11 (Sat) a make-up day.
        due = compute_due(D(2025, 9, 30), 5, "workday")
        assert due.due == D(2025, 10, 14)
        assert due.moved_from is None

    def test_make_up_sunday_counts(self):
        # 2025-09-26 (Fri) + 1 working day: Sunday 2025-09-28 is a make-up working day.
        assert compute_due(D(2025, 9, 26), 1, "workday").due == D(2025, 9, 28)

    def test_across_spring_festival_2026(self):
        # Spring Festival 2026: Feb 15–23 off, Feb 14 (Sat) and Feb 28 (Sat) make-up working days.
        due = compute_due(D(2026, 2, 13), 2, "workday")
        assert due.due == D(2026, 2, 24)

    def test_fifteen_working_days_filing_limit_over_national_day(self):
        due = compute_due(D(2025, 9, 25), 15, "workday")
        # Sep 26, 28, 29, 30 (4), Oct 9, 10, 11, 13, 14, 15, 16, 17, 20, 21, 22 (11).
        assert due.due == D(2025, 10, 22)


class TestCalendarDays:
    def test_sixty_days_ending_in_national_day_moves_to_first_working_day(self):
        due = compute_due(D(2025, 8, 2), 60, "day")
        assert due.moved_from == D(2025, 10, 1)
        assert due.due == D(2025, 10, 9)
        assert "顺延" in due.explanation

    def test_last_day_on_plain_sunday_moves_to_monday(self):
        due = compute_due(D(2025, 3, 1), 15, "day")  # 2025-03-16 is a Sunday
        assert (due.moved_from, due.due) == (D(2025, 3, 16), D(2025, 3, 17))

    def test_last_day_on_make_up_saturday_stays(self):
        due = compute_due(D(2025, 9, 26), 15, "day")  # 2025-10-11 is a make-up working Saturday
        assert due.due == D(2025, 10, 11)
        assert due.moved_from is None

    def test_start_day_not_counted(self):
        assert compute_due(D(2025, 6, 2), 1, "day").due == D(2025, 6, 3)


class TestMonthsAndYears:
    @pytest.mark.parametrize(
        "start, months, expected",
        [
            (D(2025, 1, 31), 1, D(2025, 2, 28)),
            (D(2024, 1, 31), 1, D(2024, 2, 29)),
            (D(2025, 8, 31), 3, D(2025, 11, 30)),
            (D(2025, 5, 15), 3, D(2025, 8, 15)),
        ],
    )
    def test_add_months_clamps_to_month_end(self, start, months, expected):
        assert add_months(start, months) == expected

    def test_month_period_ending_on_sunday_moves(self):
        due = compute_due(D(2025, 8, 31), 3, "month")  # 2025-11-30 is a Sunday
        assert (due.moved_from, due.due) == (D(2025, 11, 30), D(2025, 12, 1))

    def test_three_years_from_leap_day(self):
        due = compute_due(D(2024, 2, 29), 3, "year")  # 2027-02-28 (Sun) → unknown 2027 calendar, Mon–Fri
        assert due.moved_from == D(2027, 2, 28)
        assert due.due == D(2027, 3, 1)
        assert due.provisional


class TestUnknownYear:
    def test_year_the_calendar_does_not_know_is_provisional(self):
        due = compute_due(D(2027, 3, 1), 10, "workday")
        assert due.provisional
        assert "尚未录入" in due.explanation

    def test_entered_year_is_not_provisional_and_overrides_win(self):
        CalendarYear.objects.create(year=2027)
        WorkdayOverride.objects.create(date=D(2027, 3, 2), is_workday=False, note="test")
        due = compute_due(D(2027, 3, 1), 1, "workday")
        assert not due.provisional
        assert due.due == D(2027, 3, 3)


class TestLimitsAsData:
    def test_defaults_loaded_once_and_admin_values_kept(self):
        created = load_time_limits()
        assert created >= 30
        TimeLimit.objects.filter(key="sampling.rectification").update(amount=45)
        assert load_time_limits() == 0
        assert TimeLimit.objects.get(key="sampling.rectification").amount == 45

    def test_due_for_carries_basis(self):
        due = due_for("enforcement.decision", D(2025, 1, 2))
        assert due.unit == "day" and due.amount == 90
        assert "行政处罚法" in due.basis_display and "第六十条" in due.basis_display

    def test_range_latest(self):
        assert due_for("sampling.second_reinspection", D(2025, 3, 3), latest=True).amount == 90

    @pytest.mark.parametrize(
        "amount, max_amount, unit",
        [(0, None, "day"), (-1, None, "day"), (10, 5, "day"), (5, None, "week")],
    )
    def test_bad_values_refused(self, amount, max_amount, unit):
        with pytest.raises(DomainError):
            validate_limit_values(amount=amount, max_amount=max_amount, unit=unit)

    def test_database_refuses_zero(self):
        from django.db import IntegrityError, transaction

        load_time_limits()
        with pytest.raises(IntegrityError), transaction.atomic():
            TimeLimit.objects.filter(key="sampling.objection").update(amount=0)


class TestClocks:
    def test_ninety_days_with_pause_and_extension(self, county_inspector, provincial_leader):
        owner = county_inspector  # any model instance can own a clock
        clock = clock_start(owner=owner, key="enforcement.decision", started_on=D(2025, 7, 3))
        assert clock.due_on == D(2025, 10, 9)  # day 90 = 2025-10-01, National Day → first working day
        clock_pause(clock=clock, user=county_inspector, reason="检验检测", on=D(2025, 7, 10))
        clock.refresh_from_db()
        assert clock.state == ClockState.PAUSED
        clock_resume(clock=clock, user=county_inspector, on=D(2025, 7, 20))
        clock.refresh_from_db()
        # 10 paused days: 2025-10-01 + 10 = 2025-10-11, a make-up working Saturday.
        assert clock.due_on == D(2025, 10, 11)
        clock_extend(clock=clock, user=provincial_leader, amount=30, unit="day", reason="案情复杂", on=D(2025, 9, 1))
        clock.refresh_from_db()
        assert clock.due_on == D(2025, 11, 10)
        assert clock.extensions.get().approved_by == provincial_leader
        clock_stop(clock=clock, on=D(2025, 9, 30))
        clock.refresh_from_db()
        assert clock.state == ClockState.STOPPED and clock.stopped_on == D(2025, 9, 30)

    def test_pause_needs_reason(self, county_inspector):
        clock = clock_start(owner=county_inspector, key="enforcement.decision", started_on=D(2025, 7, 3))
        with pytest.raises(DomainError, match="中止事由"):
            clock_pause(clock=clock, user=county_inspector, reason=" ", on=D(2025, 7, 5))
