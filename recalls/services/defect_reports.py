"""Defect reports (缺陷线索): from the public (no sign-in), from producers and from staff; staff triage."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.facts import record_fact
from core.models import Enterprise, ProductType, Region
from recalls import policies
from recalls.models import Category, DefectReport, DefectReportPhoto, DefectReportStatus, ReportSource
from recalls.services.common import check_photos, group_key, next_number, not_future, require_text
from recalls.transitions import DEFECT_REPORT_FLOW
from recalls.vin import validate_vin


def _record_received(report: DefectReport, user=None) -> None:
    if report.producer_id:
        record_fact(
            enterprise=report.producer,
            kind="recalls.defect_report_received",
            source=report,
            on=report.received_on,
            user=user,
            summary=f"{report.brand} {report.model} {report.product}",
            data={
                "product": report.product,
                "brand": report.brand,
                "model": report.model,
                "category": report.category,
            },
        )


def defect_report_submit(
    *,
    category: str,
    product: str,
    brand: str,
    model: str,
    description: str,
    region: Region | None,
    reporter_name: str,
    reporter_phone: str,
    reporter_email: str = "",
    vin: str = "",
    batch: str = "",
    purchased_on: dt.date | None = None,
    injury: bool = False,
    injury_detail: str = "",
    consent_publish: bool = False,
    photos=(),
    user=None,
    producer: Enterprise | None = None,
    today: dt.date | None = None,
) -> DefectReport:
    """Register a defect report. Everything is checked first (every field, every photo by its content);
    nothing is stored unless all of it is good. A producer's own account reports on its own products."""
    today = today or timezone.localdate()
    if category not in Category.values:
        raise DomainError(_("产品类别：请选择汽车产品或消费品。"))
    product = require_text(product, _("产品名称"), 128)
    brand = require_text(brand, _("品牌"), 64)
    model = require_text(model, _("型号"), 64)
    description = require_text(description, _("问题描述"), 4000)
    if len(description) < 10:
        raise DomainError(_("问题描述：请至少用 10 个字说明发生了什么。"))
    if region is None:
        raise DomainError(_("所在地区：请选择。"))
    reporter_name = require_text(reporter_name, _("报告人姓名"), 64)
    reporter_phone = require_text(reporter_phone, _("联系电话"), 32)
    digits = "".join(c for c in reporter_phone if c.isdigit())
    if len(digits) < 7 or any(c not in "0123456789+-() " for c in reporter_phone):
        raise DomainError(_("联系电话：请填写有效的电话号码（数字，可含区号和“-”）。"))
    vin = (vin or "").strip()
    if category == Category.VEHICLE:
        if not vin:
            raise DomainError(_("车辆识别代号（VIN）：汽车产品的缺陷报告请填写 VIN。"))
        vin = validate_vin(vin)
    elif vin:
        raise DomainError(_("车辆识别代号（VIN）：只有汽车产品需要填写。"))
    not_future(purchased_on, _("购买日期"), today)
    if injury and not (injury_detail or "").strip():
        raise DomainError(_("伤害情况：选择了造成人身伤害时，请简要说明伤害情况。"))
    source = ReportSource.PUBLIC
    if user is not None and getattr(user, "is_authenticated", False):
        if policies.is_producer(user):
            source, producer = ReportSource.PRODUCER, user.enterprise
        elif policies.can_supervise(user):
            source = ReportSource.STAFF
    checked = check_photos(photos)
    with transaction.atomic():
        report = DefectReport.objects.create(
            report_no=next_number("XS", today.year, 6),
            source=source,
            category=category,
            product=product,
            brand=brand,
            model=model,
            group_key=group_key(brand, model),
            vin=vin,
            batch=(batch or "").strip()[:64],
            purchased_on=purchased_on,
            description=description,
            injury=bool(injury),
            injury_detail=(injury_detail or "").strip()[:255] if injury else "",
            region=region,
            producer=producer,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            reporter_email=(reporter_email or "").strip(),
            consent_publish=bool(consent_publish),
            submitted_by=user if getattr(user, "pk", None) else None,
            received_on=today,
        )
        for _upload, name, content_type, size, data in checked:
            photo = DefectReportPhoto(report=report, content_type=content_type, size=size)
            photo.image.save(name, ContentFile(data), save=False)
            photo.save()
        _record_received(report, user)
    return report


@transaction.atomic
def defect_report_triage(
    *,
    user,
    report: DefectReport,
    status: str,
    note: str = "",
    producer: Enterprise | None = None,
    product_type: ProductType | None = None,
) -> DefectReport:
    """Triage (分拣): accept (and name the producer) or dismiss with a reason."""
    report = DefectReport.objects.select_for_update().get(pk=report.pk)
    if not policies.can_triage(user, report):
        raise PermissionDenied(_("您无权处理该缺陷线索。"))
    DEFECT_REPORT_FLOW.require(report, status)
    note = (note or "").strip()
    if status == DefectReportStatus.DISMISSED and not note:
        raise DomainError(_("分拣意见：不予处理时请说明理由。"))
    fields = ["status", "triage_note", "triaged_by", "updated_at"]
    report.status, report.triage_note, report.triaged_by = status, note[:255], user
    if producer is not None and producer.pk != report.producer_id:
        report.producer = producer
        fields.append("producer")
    if product_type is not None:
        report.product_type = product_type
        fields.append("product_type")
    report.save(update_fields=fields)
    _record_received(report, user)
    return report
