"""A small server-rendered SVG chart of an indicator: its measurements as a step line (a value
holds until the next measurement), the baseline and the target as horizontal lines, the target
date marked. Pure Python, no Django: the caller passes every text already translated.

The output is deterministic (same input, same bytes), needs no script or style sheet (the colours
are presentation attributes, which a strict Content-Security-Policy allows) and is accessible:
`role="img"` labelled by its <title> and <desc>, and each point carries its own <title>.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT = 360, 140
LEFT, RIGHT, TOP, BOTTOM = 10, 10, 16, 20  # margins around the plot area
INK, MUTED, TARGET, LINE = "#1d2733", "#5a6675", "#1e6b3a", "#0b4f8a"


@dataclass(frozen=True)
class Point:
    on: date
    value: float
    label: str = ""  # the point's tooltip, e.g. "42 people trained on 2025-10-03"


def _number(value):
    """Coordinates with one decimal, the same on every platform."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def step_chart(points, *, baseline, target, start, end, chart_id, title, description,
               baseline_label="", target_label="", width=WIDTH, height=HEIGHT,
               show_day=date.isoformat):
    """The chart as an SVG string.

    `points`: Point (or (date, value[, label]) tuples), in any order. `baseline` is the value on
    `start` (the baseline date), `target` the value wanted by `end` (the target date).
    `chart_id` makes the ids of <title> and <desc> unique on the page. `show_day` writes the
    dates of the axis in the reader's format.
    """
    pts = sorted((p if isinstance(p, Point) else Point(*p) for p in points),
                 key=lambda p: (p.on, p.value))
    baseline, target = float(baseline), float(target)

    first = min([start, *(p.on for p in pts)]).toordinal()
    last = max([end, *(p.on for p in pts)]).toordinal()
    if last == first:
        last = first + 1
    values = [baseline, target, *(float(p.value) for p in pts)]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad

    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def x(day):
        return LEFT + (day.toordinal() - first) / (last - first) * plot_w

    def y(value):
        return TOP + (high - float(value)) / (high - low) * plot_h

    ident = escape(chart_id, quote=True)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="system-ui, sans-serif" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#f4f6f9"/>',
    ]

    def level(value, label, colour, dash, css):
        at = _number(y(value))
        out.append(f'<line class="{css}" x1="{LEFT}" y1="{at}" x2="{width - RIGHT}" y2="{at}" '
                   f'stroke="{colour}" stroke-width="1" stroke-dasharray="{dash}"/>')
        if label:
            out.append(f'<text class="{css}-label" x="{width - RIGHT - 8}" '
                       f'y="{_number(y(value) - 3)}" text-anchor="end" font-size="10" '
                       f'fill="{colour}">{escape(label)}</text>')

    level(baseline, baseline_label, MUTED, "4 3", "baseline")
    level(target, target_label, TARGET, "6 3", "target")
    out.append(f'<circle class="target-point" cx="{_number(x(end))}" cy="{_number(y(target))}" '
               f'r="4" fill="none" stroke="{TARGET}" stroke-width="1.5"/>')

    if pts:
        # From the baseline, each value holds until the next measurement.
        path = [f"M{_number(x(start))} {_number(y(baseline))}"] if start <= pts[0].on else \
            [f"M{_number(x(pts[0].on))} {_number(y(pts[0].value))}"]
        for p in pts:
            path.append(f"H{_number(x(p.on))}")
            path.append(f"V{_number(y(p.value))}")
        out.append(f'<path class="measurements" d="{" ".join(path)}" fill="none" '
                   f'stroke="{LINE}" stroke-width="2"/>')
        for p in pts:
            tip = f"<title>{escape(p.label)}</title>" if p.label else ""
            out.append(f'<circle class="measurement" cx="{_number(x(p.on))}" '
                       f'cy="{_number(y(p.value))}" r="3" fill="{LINE}">{tip}</circle>')

    base_y = height - 6
    out.append(f'<text class="axis" x="{LEFT}" y="{base_y}" font-size="10" fill="{INK}">'
               f'{escape(show_day(date.fromordinal(first)))}</text>')
    out.append(f'<text class="axis" x="{width - RIGHT}" y="{base_y}" text-anchor="end" '
               f'font-size="10" fill="{INK}">{escape(show_day(date.fromordinal(last)))}</text>')
    out.append("</svg>")
    return "".join(out)
