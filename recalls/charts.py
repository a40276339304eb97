"""The completion-rate chart of one recall: plain server-drawn SVG (no script, no fonts to embed), two lines
over the dates of its progress reports and summary: remedied ÷ (affected − unreachable), remedied ÷ affected."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _

from recalls.models import Recall, RecallReport

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 40
PRIMARY, SECONDARY, GRID, TEXT = "#1f5fa8", "#8a6d00", "#d9dee5", "#1f2933"


def completion_points(recall: Recall) -> list[dict]:
    reports = RecallReport.objects.filter(recall=recall, submitted_on__isnull=False).order_by("submitted_on", "id")
    points = []
    for report in reports:
        points.append(
            {
                "on": report.submitted_on,
                "kind": report.kind,
                "affected": report.units_affected,
                "remedied": report.units_remedied,
                "unreachable": report.units_unreachable,
                "rate": report.completion_rate,
                "rate_all": report.completion_rate_all,
            }
        )
    return points


def completion_svg(recall: Recall, points: list[dict] | None = None) -> str:
    points = completion_points(recall) if points is None else points
    title = _("召回完成率变化")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart completion-chart">',
        f"<title>{escape(title)}</title>",
    ]
    for pct in (0, 25, 50, 75, 100):
        y = TOP + plot_h * (1 - pct / 100)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{TEXT}">{pct}%</text>'
        )
    if not points:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="13" fill="{TEXT}">'
            f"{escape(_('尚无进展报告'))}</text></svg>"
        )
        return "".join(parts)
    start = recall.published_on or points[0]["on"]
    first, last = min(start, points[0]["on"]), points[-1]["on"]
    span = max((last - first).days, 1)

    def x_of(day) -> float:
        return LEFT + plot_w * ((day - first).days / span)

    def y_of(rate) -> float:
        return TOP + plot_h * (1 - (rate or 0))

    for key, color, label, dash in (
        ("rate", PRIMARY, _("已完成 ÷（涉及 − 无法联系）"), ""),
        ("rate_all", SECONDARY, _("已完成 ÷ 涉及"), ' stroke-dasharray="5 4"'),
    ):
        coords = [(x_of(start), TOP + plot_h)] + [(x_of(p["on"]), y_of(p[key])) for p in points]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} points="{path}"/>')
        for x, y in coords[1:]:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
        legend_x = LEFT + (0 if key == "rate" else plot_w / 2)
        parts.append(f'<rect x="{legend_x}" y="8" width="14" height="3" fill="{color}"/>')
        parts.append(f'<text x="{legend_x + 18}" y="13" font-size="11" fill="{TEXT}">{escape(label)}</text>')
    final = points[-1]
    if final["rate"] is not None:
        parts.append(
            f'<text x="{x_of(final["on"]) - 4:.1f}" y="{y_of(final["rate"]) - 8:.1f}" text-anchor="end" '
            f'font-size="11" fill="{PRIMARY}">{final["rate"] * 100:.1f}%</text>'
        )
    days = sorted({start, *(p["on"] for p in points)})
    if len(days) > 6:  # keep the labels apart: first, last and every few between
        step = len(days) // 5 + 1
        days = sorted({*days[::step], days[-1]})
    for day in days:
        anchor = "start" if day == days[0] else "end" if day == days[-1] else "middle"
        parts.append(
            f'<text x="{x_of(day):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="{anchor}" font-size="10" '
            f'fill="{TEXT}">{day.isoformat()}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(name: str, labels: list[str], values: list[float | None], *, percent: bool = False) -> str:
    """Horizontal bars as plain SVG with presentation attributes only (the pages' CSP allows no inline style)."""
    row, label_w, width = 26, 170, WIDTH
    height = TOP + row * max(len(labels), 1) + 8
    top = 100.0 if percent else max([v or 0 for v in values] + [1])
    plot_w = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(name)}" class="chart completion-chart"><title>{escape(name)}</title>'
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP - 16 + i * row
        bar = plot_w * ((value or 0) / top)
        text = "—" if value is None else (f"{value:.1f}%" if percent else f"{value:,.0f}")
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="12" fill="{TEXT}">'
            f"{escape(str(label)[:14])}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{bar:.1f}" height="16" fill="{PRIMARY}"/>'
            f'<text x="{label_w + bar + 6:.1f}" y="{y + 15}" font-size="11" fill="{TEXT}">{text}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
