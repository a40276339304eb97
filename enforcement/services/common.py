"""Shared steps of the case services: locking, moving along the table, the timeline, clocks and numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import timelimits
from core.errors import DomainError, PermissionDenied
from core.models import Region, RegionLevel
from core.models_timelimits import Clock, ClockState
from enforcement.models import Bureau, Case, DocumentSequence, TimelineEntry
from enforcement.transitions import CASE_FLOW

# Province abbreviations (简称) for document numbers: 湘长市监处罚〔2026〕12号.
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑", "31": "沪",
    "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫", "42": "鄂", "43": "湘",
    "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "黔", "53": "滇", "54": "藏", "61": "陕",
    "62": "甘", "63": "青", "64": "宁", "65": "新",
}  # fmt: skip

CENT = Decimal("0.01")


def money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(value).quantize(CENT)


def today() -> dt.date:
    return timezone.localdate()


def locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def check(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("%(field)s：不能为空。") % {"field": field})
    return value


def event(case: Case, code: str, text: str, *, user=None, on: dt.date | None = None, before: str = "") -> TimelineEntry:
    return TimelineEntry.objects.create(
        case=case,
        on=on or today(),
        code=code,
        text=text[:500],
        from_status=before,
        to_status=case.status if before else "",
        user=user if getattr(user, "pk", None) else None,
    )


def move(case: Case, to: str, *, user, on: dt.date, text: str, fields: tuple[str, ...] = ()) -> Case:
    """Check the table, write the status with the given fields, and put the step on the timeline."""
    CASE_FLOW.require(case, to)
    before = case.status
    case.status = to
    case.save(update_fields=["status", *fields, "updated_at"])
    event(case, to, text, user=user, on=on, before=before)
    return case


# --- Clocks ---------------------------------------------------------------------------------------


def start_clock(case: Case, key: str, on: dt.date) -> Clock:
    return timelimits.clock_start(owner=case, key=key, started_on=on, region_code=case.region_id)


def registered_elsewhere(case: Case) -> bool:
    """The party is registered in another province than the deciding bureau's (Order 45 art. 10)."""
    enterprise = case.enterprise
    return bool(enterprise and enterprise.region_id and enterprise.region_id[:2] != case.region_id[:2])


def start_publication_clocks(case: Case, on: dt.date) -> None:
    """公示 within 20 工作日 (art. 9); for a party registered in another province also the push to its
    registration authority within 10 工作日 (art. 10), unless already pushed."""
    start_clock(case, "enforcement.publication", on)
    if registered_elsewhere(case) and not case.publication_pushed_on:
        start_clock(case, "enforcement.publication_push", on)


def clock(case: Case, key: str) -> Clock | None:
    return timelimits.clock_for(case, key)


def stop_clock(case: Case, key: str, on: dt.date) -> None:
    found = clock(case, key)
    if found is not None and found.state != ClockState.STOPPED:
        timelimits.clock_stop(clock=found, on=max(on, found.started_on))


def stop_all_clocks(case: Case, on: dt.date) -> None:
    content_type = ContentType.objects.get_for_model(Case)
    for found in Clock.objects.filter(content_type=content_type, object_id=str(case.pk)).exclude(
        state=ClockState.STOPPED
    ):
        timelimits.clock_stop(clock=found, on=max(on, found.started_on))


def refresh_next_due(case: Case) -> None:
    """The nearest due date of the case's running clocks, stored for the overdue and due-soon lists."""
    content_type = ContentType.objects.get_for_model(Case)
    nearest = (
        Clock.objects.filter(content_type=content_type, object_id=str(case.pk), state=ClockState.RUNNING)
        .select_related("limit")
        .order_by("due_on", "id")
        .first()
    )
    case.next_due_on = nearest.due_on if nearest else None
    case.next_due_label = nearest.limit.name if nearest else ""  # stored: the msgid, translated where shown
    Case.objects.filter(pk=case.pk).update(next_due_on=case.next_due_on, next_due_label=case.next_due_label)


# --- Bureaus and numbers ----------------------------------------------------------------------------


def bureau_for(region: Region) -> Bureau:
    """The enforcement authority of ``region`` (created from the region's names on first use)."""
    found = Bureau.objects.filter(region=region).first()
    if found is not None:
        return found
    province = PROVINCE_ABBREVIATIONS.get(region.code[:2], "")
    abbreviation = province
    if region.level in (RegionLevel.CITY, RegionLevel.COUNTY):
        city = Region.objects.filter(code=region.code[:4] + "00").first()
        abbreviation += city.name[:1] if city else ""
    if region.level == RegionLevel.COUNTY:
        abbreviation += region.name[:1]
    bureau, _created = Bureau.objects.get_or_create(
        region=region,
        defaults={
            # The authority's own names, as printed on its documents (data, not interface text).
            "name": f"{region.full_name or region.name}市场监督管理局",
            "abbreviation": abbreviation + "市监",
            "review_body": f"{region.full_name or region.name}人民政府",
            "court": f"{region.full_name or region.name}人民法院",
        },
    )
    return bureau


def next_sequence(bureau: Bureau, year: int, word: str) -> int:
    """The next number of a bureau's series for a year; the row lock makes it gap-free and never reused."""
    sequence, _created = DocumentSequence.objects.get_or_create(bureau=bureau, year=year, word=word)
    DocumentSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db(fields=["last"])
    return sequence.last


def document_number(bureau: Bureau, year: int, word: str) -> str:
    # A legal identifier, the same in every interface language (not translated).
    return f"{bureau.abbreviation}{word}〔{year}〕{next_sequence(bureau, year, word)}号"
