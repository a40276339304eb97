"""HTML and PDF rendering of a report snapshot. The PDF is rendered to bytes first, so a failure never
leaves a half-written file behind."""

from __future__ import annotations

import base64
import logging
import threading

from django.conf import settings
from django.template.loader import render_to_string

from core.reports.registry import ReportKind

# WeasyPrint logs every layout step at INFO; a worker log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _as_image(svg: str) -> str:
    # WeasyPrint draws an SVG given as an image much faster than inline markup styled by the HTML cascade.
    if not svg:
        return ""
    return f'<img alt="" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'


def render_html(kind: ReportKind, snapshot: dict, *, for_pdf: bool = False) -> str:
    """The report as one standalone HTML document (the browser view and the PDF source are the same)."""
    charts = kind.charts(snapshot, for_pdf=for_pdf)
    if for_pdf:
        charts = {name: _as_image(svg) for name, svg in charts.items()}
    context = {
        "kind": kind,
        "snapshot": snapshot,
        "meta": snapshot.get("meta", {}),
        "charts": charts,
        "for_pdf": for_pdf,
        "font_family": settings.REPORT_FONT_FAMILY,
    }
    return render_to_string(kind.template, context)


_fonts = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread, kept for the life of the process: a new one per document
    reloads fontconfig's configuration and font list and opens the CJK font (19 MB) in a fresh Pango font map
    each time (0.1–0.2 s CPU of a national annual report). No report stylesheet declares @font-face, so the
    configuration carries nothing from one document to the next; Pango's font maps are not shared between
    threads. A font installed later is seen after the worker restarts."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint renders the HTML with the CJK font named in the CSS; only inline data: URIs are fetched."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(font_config=_font_config())
