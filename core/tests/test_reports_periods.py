"""Report periods: parsing, ranges, comparisons and the period the schedule reports on."""

import datetime as dt

import pytest

from core.errors import DomainError
from core.reports.periods import Period, last_finished


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2017", dt.date(2017, 1, 1), dt.date(2017, 12, 31), "2017年"),
        ("2017-Q3", dt.date(2017, 7, 1), dt.date(2017, 9, 30), "2017年第三季度"),
        ("2017-q1", dt.date(2017, 1, 1), dt.date(2017, 3, 31), "2017年第一季度"),
        ("2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29), "2016年2月"),
    ],
)
def test_a_period_covers_its_dates(text, start, end, label):
    period = Period.parse(text)

    assert (period.start, period.end, period.label) == (start, end, label)
    assert str(Period.parse(str(period))) == str(period)


@pytest.mark.parametrize("text", ["17", "2017-Q5", "2017-13", "2017-5", "二〇一七", "", "1999"])
def test_a_malformed_period_is_refused_in_chinese(text):
    with pytest.raises(DomainError, match="格式不正确"):
        Period.parse(text)


def test_comparisons_step_back_across_years():
    assert str(Period.parse("2017-01").previous) == "2016-12"
    assert str(Period.parse("2017-Q1").previous) == "2016-Q4"
    assert str(Period.parse("2017-Q1").same_period_last_year) == "2016-Q1"
    assert [str(p) for p in Period.parse("2017").trend()] == ["2013", "2014", "2015", "2016", "2017"]
    assert len(Period.parse("2017-03").trend()) == 12


def test_a_year_filters_on_the_sample_year_and_shorter_periods_on_dates():
    assert Period.parse("2017").statistics_filters() == {"year": 2017}
    assert Period.parse("2017-05").statistics_filters() == {
        "date_from": dt.date(2017, 5, 1),
        "date_to": dt.date(2017, 5, 31),
    }


def test_the_schedule_reports_on_the_period_just_ended():
    assert str(last_finished("month", dt.date(2018, 1, 1))) == "2017-12"
    assert str(last_finished("quarter", dt.date(2018, 1, 1))) == "2017-Q4"
    assert str(last_finished("quarter", dt.date(2018, 7, 1))) == "2018-Q2"
    assert str(last_finished("year", dt.date(2018, 1, 1))) == "2017"
