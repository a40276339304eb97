"""A stored report in another language, on request (?lang=en): the stored snapshot's figures, its words rendered
again in that language by the kind's ``localize`` hook. The stored (Chinese) PDF is never replaced."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from core.reports.registry import ReportKind
from core.reports.render import html_to_pdf, render_html


def requested_language(request) -> str | None:
    """The language asked for with ``?lang=``, when it is a supported one other than the stored reports' language."""
    code = (request.GET.get("lang") or "").strip().lower()
    supported = {language for language, _name in settings.LANGUAGES}
    if code in supported and code != settings.LANGUAGE_CODE:
        return code
    return None


def localized_snapshot(kind: ReportKind, snapshot: dict, language: str) -> dict:
    with translation.override(language):
        return kind.localize(snapshot)


def localized_html(kind: ReportKind, snapshot: dict, language: str, *, for_pdf: bool = False) -> str:
    with translation.override(language):
        return render_html(kind, kind.localize(snapshot), for_pdf=for_pdf)


def localized_pdf(kind: ReportKind, snapshot: dict, language: str) -> bytes:
    return html_to_pdf(localized_html(kind, snapshot, language, for_pdf=True))


def localized_title(kind: ReportKind, snapshot: dict, language: str) -> str:
    return localized_snapshot(kind, snapshot, language).get("meta", {}).get("title", "")
