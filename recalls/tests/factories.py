"""Builders of recall test data; every record goes through the services."""

from __future__ import annotations

import datetime as dt

from core.models import Region, Role
from core.services import enterprise_account_create
from core.tests.factories import EnterpriseFactory, UserFactory
from recalls.models import Category, Recall, Remedy
from recalls.services import recalls as recall_services
from recalls.vin import with_check_digit

PASSWORD = "Passw0rd!"


def vin(serial: int, stem: str = "LSVAU2180N2") -> str:
    """A valid VIN of ``stem`` (positions 1–11, the 9th a placeholder) and a 6-digit serial."""
    return with_check_digit(f"{stem}{serial:06d}")


def producer(region_code: str = "430102", **fields):
    return EnterpriseFactory(region=Region.objects.get(code=region_code), **fields)


def producer_account(enterprise, username: str | None = None):
    return enterprise_account_create(
        enterprise=enterprise, username=username or f"ent_{enterprise.pk}", password=PASSWORD
    )


def staff(role: str = Role.LEADER, region_code: str = "430102", username: str | None = None):
    return UserFactory(
        username=username or f"{role}_{region_code}", role=role, jurisdiction=Region.objects.get(code=region_code)
    )


def plan(category: str = Category.CONSUMER, **overrides) -> dict:
    base = {
        "category": category,
        "product": "电热水壶" if category == Category.CONSUMER else "SUV 乘用车",
        "brand": "美厨" if category == Category.CONSUMER else "湘江",
        "models_list": ["MK-15A", "MK-17B"] if category == Category.CONSUMER else ["XJ7"],
        "production_from": dt.date(2025, 1, 1),
        "production_to": dt.date(2025, 6, 30),
        "batches": "20250101-20250630",
        "units_affected": 1200 if category == Category.CONSUMER else None,
        "defect": "温控器失效，干烧时不能断电。",
        "hazard": "可能引起过热，存在火灾隐患。",
        "emergency_measures": "请立即停止使用并拔下电源插头。",
        "remedies": [Remedy.REPLACE],
        "remedy_detail": "免费更换温控器。",
        "owner_notification": "短信、电话及官网公告通知用户。",
        "hotline": "400-800-1234",
        "injuries": "",
        "retailers": "各大电商平台",
        "started_on": dt.date(2026, 3, 2),
        "planned_end_on": dt.date(2026, 12, 31),
        "internal_note": "内部：供应商 A 批次温控器",
    }
    if category == Category.VEHICLE:
        base["vin_ranges"] = f"{vin(100)}~{vin(199)}\n{vin(500)}"
        base["remedies"] = [Remedy.REPAIR, Remedy.OTA]
    base.update(overrides)
    return base


def filed_recall(user, enterprise, *, filed_on=dt.date(2026, 3, 2), **overrides) -> Recall:
    return recall_services.recall_file(user=user, producer=enterprise, plan=plan(**overrides), filed_on=filed_on)


def published_recall(
    user, leader, enterprise, *, filed_on=dt.date(2026, 3, 2), published_on=dt.date(2026, 3, 4), **overrides
) -> Recall:
    recall = filed_recall(user, enterprise, filed_on=filed_on, **overrides)
    return recall_services.recall_publish_notice(user=leader, recall=recall, on=published_on)
