"""Charts as SVG text, for ``plan.html`` (inline) and ``charts/*.svg``.

Written by hand rather than drawn with a plotting library: a chart here is a few hundred
rectangles, polygons and lines, and writing them as text takes milliseconds where importing
and running matplotlib took about 1.7 s of every run. The pictures are vector graphics, so
they stay sharp when the page is zoomed or printed.

Coordinates are SVG user units (pixels at 100 % zoom). A chart is ``WIDTH`` x ``HEIGHT``; the
plot area leaves room for the title and legend above and the quarter labels below.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from planner.report.charts import PALETTE, ChartBlock, fill_colors, line_colors

WIDTH, HEIGHT = 820, 420
CHAR = 6.3  # mean width of a character at 11 px, to lay out legends and labels without measuring
FONT = "font-family='system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif'"


def esc(text: object) -> str:
    """``text`` escaped for SVG content and attributes."""
    return html.escape(str(text), quote=True)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values (steps of 1, 2, 2.5 or 5 x 10^k) covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi - lo <= 0:
        lo, hi = min(lo, 0.0) if math.isfinite(lo) else 0.0, (max(hi, 0.0) if math.isfinite(hi) else 0.0) + 1.0
    raw = (hi - lo) / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-12))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [float(f"{k * step:.12g}") for k in range(first, last + 1)]  # 0.6, not 0.6000000000000001


def tick_label(value: float, step: float) -> str:
    """``value`` short: in millions (``2M``) or thousands (``250k``) once the step is that large,
    else with as many decimals as ``step`` needs."""
    if value == 0:
        return "0"
    for unit, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(step) >= unit:
            return f"{value / unit:,.{_decimals(step / unit)}f}{suffix}"
    return f"{value:,.{_decimals(step)}f}"


def _decimals(step: float) -> int:
    """The decimals that show every multiple of ``step`` exactly (at most 6)."""
    decimals = 0
    while decimals < 6 and abs(round(step, decimals) - step) > 1e-9 * max(1.0, abs(step)):
        decimals += 1
    return decimals


@dataclass(frozen=True)
class Frame:
    """The plot area (pixels) and the value range it shows on its value axis."""

    left: float
    top: float
    right: float
    bottom: float
    lo: float
    hi: float

    def y(self, value: float) -> float:
        """Pixel row of ``value`` on a vertical value axis."""
        return self.bottom - (value - self.lo) / (self.hi - self.lo) * (self.bottom - self.top)

    def x(self, value: float) -> float:
        """Pixel column of ``value`` on a horizontal value axis."""
        return self.left + (value - self.lo) / (self.hi - self.lo) * (self.right - self.left)


def _legend(names: list[str], colors: dict[str, str], top: float, dashed: set[str]) -> tuple[list[str], float]:
    """Legend items flowing left to right from ``top``; returns the SVG and the y below it."""
    out, x, y = [], 16.0, top
    for name in names:
        width = 18 + CHAR * len(name) + 14
        if x + width > WIDTH - 16 and x > 16:
            x, y = 16.0, y + 17
        if name in dashed or colors[name] == "000000":
            dash = " stroke-dasharray='5 3'" if name in dashed else ""
            out.append(f"<line x1='{x:.1f}' y1='{y - 4:.1f}' x2='{x + 14:.1f}' y2='{y - 4:.1f}' "
                       f"stroke='#{colors[name]}' stroke-width='2.5'{dash}/>")
        else:
            out.append(f"<rect x='{x:.1f}' y='{y - 10:.1f}' width='12' height='12' fill='#{colors[name]}'/>")
        out.append(f"<text x='{x + 18:.1f}' y='{y:.1f}' font-size='11'>{esc(name)}</text>")
        x += width
    return out, y + 14


def _series_colors(block: ChartBlock) -> dict[str, str]:
    """Stacked series take :func:`fill_colors` (as the Excel charts do); lines their own colours."""
    colors = fill_colors(block.stacked)
    colors.update(line_colors(block.lines))
    return colors


def _value_axis(frame: Frame, ticks: list[float], label: str, horizontal: bool = False) -> list[str]:
    """Grid lines at ``ticks`` with their values and the axis title: a vertical value axis
    (lines across, values on the left), or with ``horizontal`` one along the bottom."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    out = []
    for t in ticks:
        color = "#888" if t == 0 else "#e2e5e9"
        if horizontal:
            x = frame.x(t)
            line, text = (x, frame.top, x, frame.bottom), (x, frame.bottom + 14, "middle")
        else:
            y = frame.y(t)
            line, text = (frame.left, y, frame.right, y), (frame.left - 6, y + 4, "end")
        out.append(f"<line x1='{line[0]:.1f}' y1='{line[1]:.1f}' x2='{line[2]:.1f}' y2='{line[3]:.1f}' "
                   f"stroke='{color}' stroke-width='1'/>")
        out.append(f"<text x='{text[0]:.1f}' y='{text[1]:.1f}' font-size='10' text-anchor='{text[2]}'>"
                   f"{tick_label(t, step)}</text>")
    if horizontal:
        out.append(f"<text x='{(frame.left + frame.right) / 2:.1f}' y='{frame.bottom + 32:.1f}' font-size='11' "
                   f"text-anchor='middle'>{esc(label)}</text>")
    else:
        mid = (frame.top + frame.bottom) / 2
        out.append(f"<text x='14' y='{mid:.1f}' font-size='11' text-anchor='middle' "
                   f"transform='rotate(-90 14 {mid:.1f})'>{esc(label)}</text>")
    return out


def _quarter_axis(frame: Frame, labels: list[str]) -> list[str]:
    """Quarter labels under the plot, turned 60 degrees; every k-th one when there are many."""
    n = len(labels)
    every = max(1, math.ceil(n / 36))
    band = (frame.right - frame.left) / max(n, 1)
    out = []
    for i in range(0, n, every):
        x = frame.left + (i + 0.5) * band
        out.append(f"<text x='{x:.1f}' y='{frame.bottom + 12:.1f}' font-size='10' text-anchor='end' "
                   f"transform='rotate(-60 {x:.1f} {frame.bottom + 12:.1f})'>{esc(labels[i])}</text>")
    return out


def _stacks(values: list[list[float]]) -> list[tuple[list[float], list[float]]]:
    """Per series, its (bottom, top) per category: positives stack up from 0, negatives down."""
    n = len(values[0]) if values else 0
    up, down = [0.0] * n, [0.0] * n
    out = []
    for v in values:
        bottom = [up[i] if x >= 0 else down[i] for i, x in enumerate(v)]
        top = [b + x for b, x in zip(bottom, v)]
        for i, x in enumerate(v):
            if x >= 0:
                up[i] = top[i]
            else:
                down[i] = top[i]
        out.append((bottom, top))
    return out


def _columns(block: ChartBlock) -> tuple[list[list[float]], list[list[float]]]:
    """The stacked and the line series as lists of floats (missing values as 0 and nan)."""
    def floats(name: str, missing: float) -> list[float]:
        return [missing if v is None or v != v else float(v) for v in block.frame[name].tolist()]
    return [floats(c, 0.0) for c in block.stacked], [floats(c, math.nan) for c in block.lines]


def chart_svg(block: ChartBlock) -> str:
    """``block`` as an SVG document: stacked areas (coverage) or stacked bars (costs), with lines
    drawn over them, quarters across; a ``horizontal`` block is drawn as grouped horizontal bars."""
    if block.horizontal:
        return _horizontal_svg(block)
    colors = _series_colors(block)
    dashed = {c for c in block.lines if c.endswith("used")}
    legend, below = _legend(block.stacked + block.lines, colors, 44, dashed)
    stacked, lines = _columns(block)
    stacks = _stacks(stacked)
    extremes = [x for b, t in stacks for x in b + t] + [x for v in lines for x in v if x == x] + [0.0]
    ticks = nice_ticks(min(extremes), max(extremes))
    frame = Frame(70, below + 8, WIDTH - 16, HEIGHT - 70, ticks[0], ticks[-1])
    n = len(block.frame)
    band = (frame.right - frame.left) / max(n, 1)
    xs = [frame.left + (i + 0.5) * band for i in range(n)]
    body = _value_axis(frame, ticks, block.y_title)
    area = block.name.startswith("coverage")
    for name, (bottom, top) in zip(block.stacked, stacks):
        if area:
            points = [(x, frame.y(t)) for x, t in zip(xs, top)] + [(x, frame.y(b)) for x, b in
                                                                   zip(reversed(xs), reversed(bottom))]
            body.append(f"<polygon points='{' '.join(f'{x:.1f},{y:.1f}' for x, y in points)}' "
                        f"fill='#{colors[name]}' fill-opacity='0.85'><title>{esc(name)}</title></polygon>")
            continue
        for x, b, t in zip(xs, bottom, top):
            if t != b:
                y0, y1 = sorted((frame.y(b), frame.y(t)))
                body.append(f"<rect x='{x - band * 0.38:.1f}' y='{y0:.1f}' width='{band * 0.76:.1f}' "
                            f"height='{y1 - y0:.1f}' fill='#{colors[name]}'/>")
    for name, values in zip(block.lines, lines):
        points = " ".join(f"{x:.1f},{frame.y(v):.1f}" for x, v in zip(xs, values) if v == v)
        dash = " stroke-dasharray='6 4'" if name in dashed else ""
        body.append(f"<polyline points='{points}' fill='none' stroke='#{colors[name]}' stroke-width='2.2'"
                    f"{dash}><title>{esc(name)}</title></polyline>")
    body += _quarter_axis(frame, [str(q) for q in block.frame[block.frame.columns[0]]])
    return svg_document(block.title, legend + body)


def _horizontal_svg(block: ChartBlock) -> str:
    """Grouped horizontal bars around 0, one group per row of ``block.frame`` (a tornado)."""
    names = block.horizontal or []
    colors = {name: PALETTE[k % len(PALETTE)] for k, name in enumerate(names)}
    labels = [str(v) for v in block.frame[block.frame.columns[0]]]
    legend, below = _legend(names, colors, 44, set())
    values = [[float(v) if v == v else 0.0 for v in block.frame[c].tolist()] for c in names]
    ticks = nice_ticks(min([0.0, *(x for v in values for x in v)]), max([0.0, *(x for v in values for x in v)]))
    left = min(300.0, 16 + CHAR * max((len(s) for s in labels), default=4))
    rows = len(labels)
    height = max(HEIGHT, int(below + 60 + 26 * rows))
    frame = Frame(left, below + 8, WIDTH - 24, height - 44, ticks[0], ticks[-1])
    band = (frame.bottom - frame.top) / max(rows, 1)
    bar = band * 0.8 / max(len(names), 1)
    body = _value_axis(frame, ticks, block.y_title, horizontal=True)
    for r, label in enumerate(labels):
        middle = frame.top + (r + 0.5) * band
        body.append(f"<text x='{frame.left - 6:.1f}' y='{middle + 4:.1f}' font-size='10' text-anchor='end'>"
                    f"{esc(label)}</text>")
        for k, name in enumerate(names):
            y = middle - band * 0.4 + k * bar
            x0, x1 = sorted((frame.x(0.0), frame.x(values[k][r])))
            body.append(f"<rect x='{x0:.1f}' y='{y:.1f}' width='{x1 - x0:.1f}' height='{bar * 0.92:.1f}' "
                        f"fill='#{colors[name]}'><title>{esc(name)}: {values[k][r]:,.1f}</title></rect>")
    return svg_document(block.title, legend + body, height)


def svg_document(title: str, body: list[str], height: int = HEIGHT, width: int = WIDTH) -> str:
    """A standalone SVG document with ``title`` on top."""
    return (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
            f"height='{height}' {FONT} fill='#1b1f24'>"
            f"<rect width='{width}' height='{height}' fill='white'/>"
            f"<text x='16' y='24' font-size='14' font-weight='600'>{esc(title)}</text>"
            + "".join(body) + "</svg>\n")
