"""Vehicle identification numbers (车辆识别代号, VIN) as GB 16735 (and ISO 3779 / 49 CFR 565) define them.

17 characters of 0–9 and A–Z without I, O and Q. Position 9 is the check digit: GB 16735 makes it
mandatory for every vehicle made for China (as the US rule does for North America), while ISO 3779 leaves
it optional — Europe-only VINs may not carry one, but those vehicles are not sold here under that VIN. The
check digit: transliterate each character (A=1 … H=8, J=1 … N=5, P=7, R=9, S=2 … Z=9, digits as such),
weigh positions 1–17 by 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2, take the sum mod 11; 10 is written "X".

``vininfo`` checks length and characters too, but its checksum test is skipped for makers it believes do
not use one and it says nothing about *where* a VIN is wrong; the owners' lookup needs to tell a citizen
exactly that, in Chinese, so the rule is written out here (and tested against ``vininfo`` in the tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import DomainError

ALLOWED = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
FORBIDDEN = {"I": "1", "O": "0", "Q": "0"}
_SEPARATORS = re.compile(r"[\s\-]+")


class VinError(DomainError):
    pass


def normalise(value: str) -> str:
    """Upper case without spaces or dashes (as printed on registration certificates)."""
    return _SEPARATORS.sub("", (value or "")).upper()


def check_digit(vin: str) -> str:
    """The check digit (position 9) that the other 16 characters give."""
    total = sum(TRANSLITERATION[char] * weight for char, weight in zip(vin, WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_vin(value: str, *, field: str | None = None) -> str:
    """The normalised VIN, or a VinError saying in Chinese what is wrong with it and where."""
    label = field or _("车辆识别代号（VIN）")
    vin = normalise(value)
    if not vin:
        raise VinError(_("%(field)s：不能为空。") % {"field": label})
    if len(vin) != 17:
        raise VinError(_("%(field)s：应为 17 位，您输入了 %(count)d 位。") % {"field": label, "count": len(vin)})
    for position, char in enumerate(vin, start=1):
        if char in FORBIDDEN:
            raise VinError(
                _("%(field)s：第 %(pos)d 位是字母“%(char)s”，VIN 中不使用 I、O、Q（是否应为数字“%(digit)s”？）。")
                % {"field": label, "pos": position, "char": char, "digit": FORBIDDEN[char]}
            )
        if char not in ALLOWED:
            raise VinError(
                _("%(field)s：第 %(pos)d 位“%(char)s”不是允许的字符（只能是数字和除 I、O、Q 以外的大写字母）。")
                % {"field": label, "pos": position, "char": char}
            )
    expected = check_digit(vin)
    if vin[8] != expected:
        raise VinError(
            _("%(field)s：第 9 位校验位应为“%(expected)s”，实为“%(actual)s”，请核对是否抄错（GB 16735）。")
            % {"field": label, "expected": expected, "actual": vin[8]}
        )
    return vin


def is_valid_vin(value: str) -> bool:
    try:
        validate_vin(value)
    except VinError:
        return False
    return True


def with_check_digit(vin16: str) -> str:
    """A 17-character VIN from one whose position 9 is a placeholder: the check digit filled in."""
    vin = normalise(vin16)
    return vin[:8] + check_digit(vin[:8] + "0" + vin[9:]) + vin[9:]


def stem_of(vin: str) -> str:
    """Positions 1–8 and 10–11: what a run of serial numbers shares (the check digit varies along it)."""
    return vin[:8] + vin[9:11]


def serial_of(vin: str) -> str:
    return vin[11:]


@dataclass(frozen=True)
class Run:
    stem: str
    serial_from: str
    serial_to: str
    first_vin: str
    last_vin: str

    @property
    def units(self) -> int:
        if self.serial_from.isdigit() and self.serial_to.isdigit():
            return int(self.serial_to) - int(self.serial_from) + 1
        return 1 if self.serial_from == self.serial_to else 0


def parse_vin_ranges(text: str) -> list[Run]:
    """Lines of "VIN" or "VIN1-VIN2" / "VIN1~VIN2" / "VIN1 至 VIN2"; each VIN is checked. A range's two ends
    share positions 1–8 and 10–11 and its serials (12–17) are numbers, the first not above the last."""
    runs: list[Run] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p for p in re.split(r"\s*(?:~|～|至|—|–|,|，|\s-\s|\.\.)\s*", line) if p]
        if len(parts) == 1 and line.count("-") == 1 and len(normalise(line)) == 34:
            parts = line.split("-")
        field = _("VIN 清单第 %(line)d 行") % {"line": number}
        if len(parts) == 1:
            vin = validate_vin(parts[0], field=field)
            runs.append(Run(stem_of(vin), serial_of(vin), serial_of(vin), vin, vin))
            continue
        if len(parts) != 2:
            raise VinError(_("%(field)s：应为一个 VIN，或“起始 VIN~截止 VIN”。") % {"field": field})
        first, last = (validate_vin(p, field=field) for p in parts)
        if stem_of(first) != stem_of(last):
            raise VinError(
                _("%(field)s：起止 VIN 的第 1–8 位和第 10–11 位必须相同（%(a)s / %(b)s）。")
                % {"field": field, "a": first, "b": last}
            )
        if not (serial_of(first).isdigit() and serial_of(last).isdigit()):
            raise VinError(_("%(field)s：VIN 范围的第 12–17 位（生产序号）必须是数字。") % {"field": field})
        if serial_of(first) > serial_of(last):
            raise VinError(_("%(field)s：起始 VIN 的生产序号大于截止 VIN。") % {"field": field})
        runs.append(Run(stem_of(first), serial_of(first), serial_of(last), first, last))
    return runs
