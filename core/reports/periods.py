"""Report periods: "2017" (annual), "2017-Q3" (quarterly), "2017-05" (monthly)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.errors import DomainError

ANNUAL, QUARTERLY, MONTHLY = "year", "quarter", "month"
_PATTERNS = [
    (re.compile(r"^(\d{4})$"), ANNUAL),
    (re.compile(r"^(\d{4})-Q([1-4])$"), QUARTERLY),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), MONTHLY),
]
# The quarter's number as written in "2017年第三季度"; translated with a context so a bare "一" is not ambiguous.
_QUARTER_NAMES = {
    1: pgettext_lazy("quarter number", "一"),
    2: pgettext_lazy("quarter number", "二"),
    3: pgettext_lazy("quarter number", "三"),
    4: pgettext_lazy("quarter number", "四"),
}


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    year: int
    number: int = 0  # quarter 1–4 or month 1–12; 0 for a year

    @classmethod
    def parse(cls, text: str) -> Period:
        text = (text or "").strip().upper()
        for pattern, kind in _PATTERNS:
            match = pattern.match(text)
            if match:
                year = int(match.group(1))
                if not 2000 <= year <= 2100:
                    break
                return cls(kind, year, int(match.group(2)) if kind != ANNUAL else 0)
        raise DomainError(_("统计期间“%(text)s”格式不正确，应为 2017、2017-Q3 或 2017-05。") % {"text": text})

    def __str__(self) -> str:
        if self.kind == ANNUAL:
            return f"{self.year}"
        if self.kind == QUARTERLY:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self) -> str:
        if self.kind == ANNUAL:
            return _("%(year)s年") % {"year": self.year}
        if self.kind == QUARTERLY:
            return _("%(year)s年第%(q)s季度") % {"year": self.year, "q": _QUARTER_NAMES[self.number]}
        return _("%(year)s年%(month)s月") % {"year": self.year, "month": self.number}

    @property
    def kind_label(self) -> str:
        return {ANNUAL: _("年度"), QUARTERLY: _("季度"), MONTHLY: _("月度")}[self.kind]

    @property
    def first_month(self) -> int:
        return {ANNUAL: 1, QUARTERLY: 3 * self.number - 2, MONTHLY: self.number}[self.kind]

    @property
    def months(self) -> int:
        return {ANNUAL: 12, QUARTERLY: 3, MONTHLY: 1}[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        last = self.first_month + self.months - 1
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    def shifted(self, steps: int) -> Period:
        """The period ``steps`` periods later (negative: earlier) of the same kind."""
        if self.kind == ANNUAL:
            return Period(ANNUAL, self.year + steps)
        per_year = 4 if self.kind == QUARTERLY else 12
        index = self.year * per_year + (self.number - 1) + steps
        return Period(self.kind, index // per_year, index % per_year + 1)

    @property
    def previous(self) -> Period:
        return self.shifted(-1)

    @property
    def same_period_last_year(self) -> Period:
        return Period(self.kind, self.year - 1, self.number)

    def trend(self, count: int | None = None) -> list[Period]:
        """This period and the ones before it, oldest first (5 years, 8 quarters or 12 months)."""
        count = count or {ANNUAL: 5, QUARTERLY: 8, MONTHLY: 12}[self.kind]
        return [self.shifted(-i) for i in range(count - 1, -1, -1)]

    def statistics_filters(self) -> dict:
        """Filters for sampling statistics: a year uses the sample's year, shorter periods its sampling date."""
        if self.kind == ANNUAL:
            return {"year": self.year}
        return {"date_from": self.start, "date_to": self.end}


def last_finished(kind: str, today: date) -> Period:
    """The most recent period of ``kind`` that has ended before ``today`` (what the schedule reports on)."""
    if kind == ANNUAL:
        return Period(ANNUAL, today.year - 1)
    if kind == QUARTERLY:
        return Period(QUARTERLY, today.year, (today.month - 1) // 3 + 1).previous
    return Period(MONTHLY, today.year, today.month).previous
