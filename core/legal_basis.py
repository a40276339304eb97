"""A legal basis as stored ("《中华人民共和国产品质量法》第十五条", "…第四十四条至第四十六条") shown in the active
language. In Chinese it is the stored text. In another language each 《title》 whose msgid the catalogue translates
reads in that language and each 第…条/款/项 becomes "Art. 15" / "para. 2" / "item 3", so an English page says
"Product Quality Law of the People's Republic of China, Art. 15". A title the catalogue does not know stays as
written: the citation is never dropped or guessed."""

from __future__ import annotations

import re

from django.utils.translation import get_language, gettext, gettext_noop, pgettext, pgettext_lazy

# The laws the platform cites (reference data and services), so that their titles are in the catalogue.
KNOWN_TITLES = (
    gettext_noop("《中华人民共和国产品质量法》"),
    gettext_noop("《中华人民共和国行政处罚法》"),
    gettext_noop("《中华人民共和国标准化法》"),
    gettext_noop("《中华人民共和国计量法》"),
    gettext_noop("《产品质量监督抽查管理暂行办法》"),
    gettext_noop("《市场监督管理行政处罚程序规定》"),
    gettext_noop("《市场监督管理行政处罚信息公示规定》"),
    gettext_noop("《市场监督管理严重违法失信名单管理办法》"),
    gettext_noop("《市场监督管理信用修复管理办法》"),
    gettext_noop("《消费品召回管理暂行规定》"),
    gettext_noop("《缺陷汽车产品召回管理条例》"),
)

_TITLE = re.compile(r"《[^《》]+》")
_PROVISION = re.compile(r"第([零〇一二两三四五六七八九十百千0-9]+)(条|款|项)")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int:
    """ "十五" → 15, "四十四" → 44, "一百零二" → 102, "12" → 12."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (digit or 1) * _UNITS[char]
            digit = 0
    return total + digit


def _provision(match: re.Match) -> str:
    number = chinese_number(match.group(1))
    kind = match.group(2)
    if kind == "条":
        return pgettext("legal basis", "第%(n)d条") % {"n": number}
    if kind == "款":
        return pgettext("legal basis", "第%(n)d款") % {"n": number}
    return pgettext("legal basis", "第%(n)d项") % {"n": number}


_CONNECTIVES = {
    "、": pgettext_lazy("legal basis", "、"),
    "至": pgettext_lazy("legal basis", "至"),
    "和": pgettext_lazy("legal basis", "和"),
    "及": pgettext_lazy("legal basis", "及"),
}
_CJK = re.compile(r"[\u3400-\u9fff]")


def _provisions(segment: str) -> str:
    """The text between titles: provisions and their connectives ("第四十四条至第四十六条") are translated; any
    other wording (a free-text basis typed by staff) is left as written rather than half translated."""
    converted = _PROVISION.sub(_provision, segment)
    if _CJK.search(re.sub(r"[、至和及]", "", converted)):
        return segment
    for chinese, translated in _CONNECTIVES.items():
        converted = converted.replace(chinese, str(translated))
    return converted


def legal_basis_label(text: str) -> str:
    """The stored citation in the active language (unchanged in Chinese)."""
    if not text or (get_language() or "zh-hans").lower().startswith("zh"):
        return text
    text = str(text)  # a lazy translation of a stored basis (follow-up steps) is resolved first
    parts: list[str] = []
    position = 0
    for match in _TITLE.finditer(text):
        parts.append(_provisions(text[position : match.start()]))
        parts.append(gettext(match.group(0)))
        position = match.end()
        # A title is followed by its provisions: "Product Quality Law …, Art. 15".
        if _PROVISION.match(text, position):
            parts.append(pgettext("legal basis", "，"))
    parts.append(_provisions(text[position:]))
    return "".join(parts).strip()
