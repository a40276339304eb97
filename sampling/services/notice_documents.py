"""The notices to the enterprise as documents to print, sign and serve: 检验结果通知书 and 不合格通知书, each
followed by its 送达回证 (proof of service). Both are rendered from the confirmed first result as it stands; a
served notice's proof shows how, when and to whom it was served (services.notices.notice_serve)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from core.reports.pipeline import issuer_for
from core.reports.render import html_to_pdf
from core.timelimits import limit
from sampling.models import TestResult
from sampling.models_notices import NoticeKind, NoticeService
from sampling.services.notices import notice_kinds_for, notice_number
from sampling.services.objections import OBJECTION_LIMIT


def notice_context(result: TestResult, kind: str) -> dict:
    sample = result.sample
    service = NoticeService.objects.filter(result=result, kind=kind).select_related("recorded_by").first()
    return {
        "kind": kind,
        "title": NoticeKind(kind).label,
        "number": notice_number(result, kind),
        # The bureau that organised the task serves the notice (长沙市芙蓉区市场监督管理局 for a county task).
        "issuer": issuer_for(sample.task.region),
        "font_family": settings.REPORT_FONT_FAMILY,
        "result": result,
        "sample": sample,
        "enterprise": sample.enterprise,
        "task": sample.task,
        "items": list(result.items.order_by("id")),
        "objection_limit": limit(OBJECTION_LIMIT),
        "service": service,
    }


def render_notice_html(result: TestResult, kind: str) -> str:
    if kind not in notice_kinds_for(result):
        raise ValueError(kind)
    return render_to_string("sampling/notices/notice.html", notice_context(result, kind))


def render_notice_pdf(result: TestResult, kind: str) -> bytes:
    return html_to_pdf(render_notice_html(result, kind))
