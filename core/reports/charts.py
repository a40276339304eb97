"""Charts drawn on the server as SVG, shared by the PDF reports and the web dashboards.

matplotlib's object API with the Agg machinery (no pyplot state, safe in workers); text is written as
paths so every glyph of the CJK font shows the same in the PDF and in any browser.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PRIMARY = "#1f5fa8"
WARNING = "#c0392b"
GRID = "#d9dee5"
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.8, "alpha": 0.85}
TEXT = "#1f2933"


def _rc(name: str, text_as_paths: bool = True) -> dict:
    return {
        "font.family": [settings.REPORT_FONT_FAMILY, "DejaVu Sans"],
        "font.size": 9,
        "axes.unicode_minus": False,
        # Paths for browsers, which may lack the CJK font; text for WeasyPrint, which has it (and draws faster).
        "svg.fonttype": "path" if text_as_paths else "none",
        # Stable, per-chart ids: the same data gives the same SVG, and several charts on one page don't clash.
        "svg.hashsalt": name,
        "axes.edgecolor": GRID,
        "axes.labelcolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "text.color": TEXT,
    }


@contextlib.contextmanager
def _figure(name: str, text_as_paths: bool, figsize: tuple[float, float]) -> Iterator[Figure]:
    """A figure under the chart's settings. matplotlib is imported here, on the first chart, not when the module
    is: reports register at start-up, and importing it then cost every management command ~0.5 s."""
    import matplotlib

    matplotlib.use("Agg")  # no-op once set
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc(name, text_as_paths)):
        yield Figure(figsize=figsize)


def _to_svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    # Inline markup: drop the XML prolog and doctype, let the width follow the container.
    svg = svg[svg.index("<svg") :]
    size = re.compile(r'<svg([^>]*?) width="[^"]+" height="[^"]+"')
    return size.sub(r'<svg\1 preserveAspectRatio="xMidYMid meet"', svg, count=1)


def _percent_axis(ax, axis: str = "x", low: float | None = None) -> None:
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    formatter = PercentFormatter(xmax=100, decimals=0)
    locator = MaxNLocator(nbins=7, steps=[1, 2, 5, 10], integer=True)
    if axis == "x":
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(formatter)
        ax.set_xlim(low if low is not None else 0, 100)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
    else:
        ax.yaxis.set_major_locator(locator)
        ax.yaxis.set_major_formatter(formatter)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _axis_floor(values: Sequence[float]) -> float:
    """Start the rate axis below the lowest bar so differences of a few points stay visible."""
    present = [v for v in values if v is not None]
    if not present:
        return 0
    lowest = min(present)
    return max(0.0, (int(lowest) // 10) * 10 - 10) if lowest > 20 else 0


def rate_bars(
    name: str,
    labels: Sequence[str],
    rates: Sequence[float | None],
    *,
    reference: float | None = None,
    reference_label: str = "",
    text_as_paths: bool = True,
) -> str:
    """Horizontal bars of pass rates (percent), one per category, with the value at the end of each bar."""
    rates_drawn = [r if r is not None else 0 for r in rates]
    # Long lists (31 provinces) get thinner rows so the chart still fits on one A4 page.
    height = 0.9 + (0.34 if len(labels) <= 12 else 0.25) * max(len(labels), 1)
    with _figure(name, text_as_paths, (6.4, height)) as fig:
        ax = fig.subplots()
        positions = list(range(len(labels)))[::-1]
        colors = [WARNING if reference is not None and r < reference else PRIMARY for r in rates_drawn]
        ax.barh(positions, rates_drawn, color=colors, height=0.62)
        ax.set_yticks(positions, labels=list(labels))
        floor = _axis_floor(rates_drawn)
        _percent_axis(ax, "x", floor)
        for y, rate in zip(positions, rates, strict=True):
            text = "—" if rate is None else f"{rate:.1f}%"
            # A white box keeps the figure readable where it crosses the reference line.
            ax.text(max(rate or floor, floor) + 0.6, y, text, va="center", fontsize=8, bbox=LABEL_BOX)
        if reference is not None:
            ax.axvline(reference, color=TEXT, linewidth=0.8, linestyle="--")
            if reference_label:
                ax.text(reference, len(labels) - 0.35, reference_label, fontsize=7.5, ha="center", va="bottom")
        fig.subplots_adjust(left=0.3, right=0.95)
        return _to_svg(fig)


def trend_line(name: str, labels: Sequence[str], rates: Sequence[float | None], *, text_as_paths: bool = True) -> str:
    """The pass rate over consecutive periods; periods without data leave a gap."""
    with _figure(name, text_as_paths, (6.4, 2.8)) as fig:
        ax = fig.subplots()
        xs = list(range(len(labels)))
        ys = [float("nan") if r is None else r for r in rates]
        ax.plot(xs, ys, color=PRIMARY, marker="o", linewidth=1.8, markersize=4)
        for x, rate in zip(xs, rates, strict=True):
            if rate is not None:
                ax.annotate(
                    f"{rate:.1f}%", (x, rate), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8
                )
        ax.set_xticks(xs, labels=list(labels), rotation=30 if len(labels) > 6 else 0)
        present = [r for r in rates if r is not None]
        low = _axis_floor(present)
        ax.set_ylim(low, 100 if not present else min(100, max(present) + 5))
        _percent_axis(ax, "y")
        ax.set_xlim(-0.5, len(labels) - 0.5)
        return _to_svg(fig)


def count_bars(name: str, labels: Sequence[str], counts: Sequence[int], *, text_as_paths: bool = True) -> str:
    """Horizontal bars of counts, largest first (e.g. the most frequent failed test items)."""
    height = 0.9 + 0.32 * max(len(labels), 1)
    with _figure(name, text_as_paths, (6.4, height)) as fig:
        ax = fig.subplots()
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, list(counts), color=WARNING, height=0.62)
        ax.set_yticks(positions, labels=list(labels))
        top = max(counts) if counts else 1
        ax.set_xlim(0, top * 1.15 + 1)
        for y, count in zip(positions, counts, strict=True):
            ax.text(count + top * 0.01, y, f"{count:,}", va="center", fontsize=8)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.xaxis.get_major_locator().set_params(integer=True)
        return _to_svg(fig)
