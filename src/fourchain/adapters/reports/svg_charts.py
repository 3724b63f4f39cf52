"""Small server-side SVG line and bar charts (WeasyPrint runs no JavaScript, so no ECharts)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 24, 64
PALETTE = ("#c0392b", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2")
FONT = "font-family=\"'Noto Sans SC', 'DejaVu Sans', sans-serif\""


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at or above `value` (an axis top that reads well)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-12:
            return float(step * power)
    return float(10 * power)


def _tick(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _frame(top: float, floor: float, unit: str) -> list[str]:
    out: list[str] = []
    plot_h = HEIGHT - TOP - BOTTOM
    step = nice_ceiling((top - floor) / 5)
    ticks = round((top - floor) / step)
    for i in range(ticks + 1):
        value = floor + step * i
        y = HEIGHT - BOTTOM - plot_h * i / ticks
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e5e7eb"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" {FONT} '
            f'fill="#374151">{escape(_tick(value))}</text>'
        )
    out.append(
        f'<text x="{LEFT - 6}" y="{TOP - 8}" text-anchor="end" font-size="11" {FONT} '
        f'fill="#6b7280">{escape(unit)}</text>'
    )
    return out


def _legend(names: list[str]) -> list[str]:
    out: list[str] = []
    x = LEFT
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<rect x="{x}" y="{HEIGHT - 18}" width="10" height="10" fill="{colour}"/>')
        out.append(
            f'<text x="{x + 14}" y="{HEIGHT - 9}" font-size="11" {FONT} fill="#111827">'
            f"{escape(name)}</text>"
        )
        x += 24 + 12 * len(name) + (0 if name.isascii() else 6 * len(name))
    return out


def _svg(body: list[str], title: str, overhang: int = 0) -> str:
    """`overhang`: room left of the frame for a rotated first label that reaches past it."""
    width = WIDTH + overhang
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-overhang} 0 {width} {HEIGHT}" '
        f'width="{width}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _categories(series: Mapping[str, Mapping[str, float]]) -> list[str]:
    seen: dict[str, None] = {}
    for values in series.values():
        for category in values:
            seen.setdefault(category, None)
    return list(seen)


def _bounds(series: Mapping[str, Mapping[str, float]], zero_based: bool) -> tuple[float, float]:
    """An axis from a round floor to a round top, in whole steps of 1, 2, 2.5 or 5 × 10^n.
    Bars start at zero; a trend line starts just under its lowest value, so change shows."""
    values = [v for s in series.values() for v in s.values()]
    if not values:
        return 0.0, 1.0
    high, low = max(values), min(values)
    if zero_based or low <= 0:
        low = min(0.0, low)
    if high == low:
        high = low + 1.0
    step = nice_ceiling((high - low) / 5)
    floor = math.floor(low / step) * step
    if not zero_based and floor == low and floor > 0:
        floor -= step
    top = math.ceil(high / step) * step
    if top == floor:
        top += step
    return floor, top


def line_chart(title: str, series: Mapping[str, Mapping[str, float]], unit: str) -> str:
    categories = _categories(series)
    low, top = _bounds(series, zero_based=False)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(categories) - 1, 1)
    body = _frame(top, low, unit)
    for i, category in enumerate(categories):
        body.append(
            f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="11" {FONT} fill="#374151">{escape(category)}</text>'
        )
    for n, (_name, values) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        points = [
            (LEFT + categories.index(c) * step, HEIGHT - BOTTOM - (v - low) / (top - low) * plot_h)
            for c, v in values.items()
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for (x, y), value in zip(points, values.values(), strict=True):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
            body.append(
                f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="10" {FONT} '
                f'fill="{colour}">{escape(_tick(value))}</text>'
            )
    body.extend(_legend(list(series)))
    return _svg(body, title)


def text_width(text: str, size: float = 10) -> float:
    """About how wide `text` sets at `size` px: CJK glyphs are square, Latin about 0.6 em."""
    return sum(size if ord(c) >= 0x2E80 else size * 0.6 for c in text)


def rotated_overhang(categories: list[str], group: float) -> int:
    """How far the first label, rotated -35° and anchored at its end under the first bar,
    reaches left of the image's edge (0 when it fits)."""
    if not categories:
        return 0
    reach = text_width(categories[0]) * math.cos(math.radians(35))
    return max(0, math.ceil(reach - (LEFT + group / 2) + 4))


def bar_chart(title: str, series: Mapping[str, Mapping[str, float]], unit: str) -> str:
    categories = _categories(series)
    low, top = _bounds(series, zero_based=True)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(categories), 1)
    bar = group * 0.8 / max(len(series), 1)
    rotate = len(categories) > 8
    body = _frame(top, low, unit)
    zero_y = HEIGHT - BOTTOM - (0 - low) / (top - low) * plot_h
    for i, category in enumerate(categories):
        x = LEFT + i * group + group / 2
        label_y = HEIGHT - BOTTOM + 14
        transform = f' transform="rotate(-35 {x:.1f} {label_y})"' if rotate else ""
        anchor = "end" if rotate else "middle"
        body.append(
            f'<text x="{x:.1f}" y="{label_y}" text-anchor="{anchor}" font-size="10" {FONT} '
            f'fill="#374151"{transform}>{escape(category)}</text>'
        )
    for n, (_name, values) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        for category, value in values.items():
            i = categories.index(category)
            x = LEFT + i * group + group * 0.1 + n * bar
            y = HEIGHT - BOTTOM - (value - low) / (top - low) * plot_h
            height = abs(zero_y - y)
            body.append(
                f'<rect x="{x:.1f}" y="{min(y, zero_y):.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(category)}: '
                f"{escape(_tick(value))}</title></rect>"
            )
    if len(series) > 1 or not rotate:
        body.extend(_legend(list(series)))
    return _svg(body, title, rotated_overhang(categories, group) if rotate else 0)


def chart_svg(kind: str, title: str, series: Mapping[str, Mapping[str, float]], unit: str) -> str:
    if kind == "line":
        return line_chart(title, series, unit)
    return bar_chart(title, series, unit)
