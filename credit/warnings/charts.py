"""A small server-drawn SVG bar chart of a signal's history (warnings raised per period): digits only, so no
font is needed, and it scales with its container."""

from __future__ import annotations

from django.utils.html import escape

WIDTH, HEIGHT, PAD_BOTTOM, PAD_TOP = 320, 110, 18, 14
BAR = "#1f5fa8"
MUTED = "#9aa5b1"


def history_svg(points: list[tuple[str, int]]) -> str:
    """Bars of counts per period, oldest first; an empty string when there is no period at all."""
    if not points:
        return ""
    top = max((n for _p, n in points), default=0) or 1
    slot = WIDTH / len(points)
    bar = min(48.0, max(4.0, slot * 0.6))
    usable = HEIGHT - PAD_BOTTOM - PAD_TOP
    parts = [
        f'<svg class="warning-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="0" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - PAD_BOTTOM}" stroke="{MUTED}" '
        f'stroke-width="1"/>',
    ]
    for index, (period, count) in enumerate(points):
        height = usable * count / top
        x = index * slot + (slot - bar) / 2
        y = HEIGHT - PAD_BOTTOM - height
        label = escape(period)
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{BAR}">'
            f"<title>{label}: {count}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{max(y - 3, 10):.1f}" font-size="10" text-anchor="middle" '
            f'fill="#1f2933">{count}</text>'
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 4}" font-size="9" text-anchor="middle" '
            f'fill="#52606d">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
