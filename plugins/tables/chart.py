"""Charts drawn at build time as inline SVG: no JavaScript, no chart library, nothing to download.

Each chart is drawn twice: 320 units wide, about a 360 px phone's text column, so its 13- and
14-unit labels read at 12 to 13 px there, and 600 units wide for a desktop column and for paper.
The page shows the one that fits its container (CSS container query); both scale (viewBox).
Bars are horizontal: long Vietnamese labels (agency names) get their own line above the bar instead
of being cut or turned sideways. Lines have a dash pattern and marker shape per series, so a chart
printed in black and white still tells its series apart.
"""

from __future__ import annotations

import math
from html import escape

import vntext

from .model import SHARE_TYPES, Chart, Row, Table, numeric_value

__all__ = ["render_chart", "describe", "axis_ticks", "NARROW", "WIDE"]

NARROW = 320  # a phone's text column
WIDE = 600  # a desktop column or a printed page
FONT = 14  # category and legend labels
SMALL = 13  # values and axis ticks
INK = "#1d2330"
MUTED = "#5a6270"
GRID = "#dfe3ea"
PALETTE = ("#0b4f9c", "#d98e04", "#a61b1b", "#2e7d4f", "#6b4fa0", "#5a6270")
# Text drawn on a bar of each colour (stacked segments): dark on the light amber, white elsewhere.
ON_PALETTE = ("#ffffff", INK, "#ffffff", "#ffffff", "#ffffff", "#ffffff")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 2", "1 2")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")
# Value labels: bold, with a white outline drawn under the letters so a line or grid never cuts them.
HALO = ' font-weight="600" class="value" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Arial, sans-serif"
KIND_NAMES = {"bar": "Biểu đồ thanh ngang", "stacked-bar": "Biểu đồ thanh ngang xếp chồng", "line": "Biểu đồ đường"}
_NARROW = set(" .,:;'|!iljIf()-/")


def text_width(text: str, size: float) -> float:
    """A generous estimate of the drawn width of text in a sans-serif font (layout only)."""
    units = sum(0.32 if ch in _NARROW else 0.68 if ch.isupper() or ch in "mwMW%" else 0.56 for ch in text)
    return units * size


def _n(value: float) -> str:
    """A coordinate, short: 12.0 -> '12', 12.345 -> '12.35'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(x, y, content, size=SMALL, anchor="start", fill=INK, extra="") -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}"'
    if size != FONT:
        attrs += f' font-size="{size}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if fill != INK:
        attrs += f' fill="{fill}"'
    return f"<text {attrs}{extra}>{escape(content)}</text>"


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + ([current] if current else [])


def _marker(kind: str, x: float, y: float, color: str) -> str:
    if kind == "square":
        return f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" fill="{color}"/>'
    if kind == "diamond":
        return f'<path d="M{_n(x)} {_n(y - 4.5)}L{_n(x + 4.5)} {_n(y)}L{_n(x)} {_n(y + 4.5)}L{_n(x - 4.5)} {_n(y)}Z" fill="{color}"/>'
    if kind == "triangle":
        return f'<path d="M{_n(x)} {_n(y - 4.5)}L{_n(x + 4.5)} {_n(y + 3.5)}L{_n(x - 4.5)} {_n(y + 3.5)}Z" fill="{color}"/>'
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{color}"/>'


def _series_label(column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else column.label


def _legend(chart: Chart, top: float, width: float) -> tuple[str, float]:
    """Swatch and label per series, wrapped into rows; returns the markup and the height used."""
    parts, x, y, row_height = [], 0.0, top, FONT + 7
    for index, column in enumerate(chart.series):
        label = _series_label(column)
        item = 22 + text_width(label, FONT) + 12
        if x > 0 and x + item > width:
            x, y = 0.0, y + row_height
        color = PALETTE[index % len(PALETTE)]
        middle = y + row_height / 2 - 2
        if chart.type == "line":
            dash = DASHES[index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<line x1="{_n(x)}" y1="{_n(middle)}" x2="{_n(x + 18)}" y2="{_n(middle)}" stroke="{color}" stroke-width="2.5"{dash_attr}/>')
            parts.append(_marker(MARKERS[index % len(MARKERS)], x + 9, middle, color))
        else:
            parts.append(f'<rect x="{_n(x)}" y="{_n(middle - 6)}" width="14" height="12" fill="{color}"/>')
        parts.append(_text(x + 22, middle + FONT * 0.35, label, FONT))
        x += item
    height = (y - top) + row_height + 4
    return f'<g class="legend">{"".join(parts)}</g>', height


def _share(chart: Chart) -> bool:
    return chart.series[0].type in SHARE_TYPES


def _decimals(step: float) -> int:
    for decimals in range(0, 7):
        if abs(round(step, decimals) - step) < 1e-9:
            return decimals
    return 6


def _format_axis(value: float, decimals: int, share: bool) -> str:
    return vntext.format_percent(value, decimals) if share else vntext.format_number(value, decimals)


def _format_total(chart: Chart, total: float) -> str:
    first = chart.series[0]
    if first.type == "ratio":
        return vntext.format_percent(total, 1)
    decimals = max(c.decimals for c in chart.series)
    text = vntext.format_number(total, decimals)
    return text + "%" if first.type == "percent" else text


def axis_ticks(low: float, high: float, share: bool = False, count: int = 4) -> list[float]:
    """Round tick values covering low..high; from 0 unless the data sit far above it."""
    if high == low:
        high = low + (abs(low) or 1)
    start = 0.0 if 0 <= low <= (high - low) * 1.2 else low - (high - low) * 0.1
    raw = (high - start) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * (1 + 1e-9))
    first = math.floor(start / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    if share:
        first = max(first, 0.0)
        if high <= 100:
            last = min(last, 100.0)
    ticks, value = [], first
    while value <= last + step * 1e-6:
        ticks.append(round(value, 9))
        value += step
    return ticks


def _points(table: Table, chart: Chart) -> list[list[float | None]]:
    return [[numeric_value(c, row.value(c.id)) for c in chart.series] for row in table.rows]


# --- Bars ----------------------------------------------------------------------------------------


def _bar_length(value: float, scale: float, plot: float) -> float:
    """A bar's length: never negative, never past the plot, never infinite or NaN (the checks refuse
    such figures; a drawing must not depend on that)."""
    length = value / scale * plot if scale and math.isfinite(scale) else 0.0
    return min(max(length, 0.0), plot) if math.isfinite(length) else 0.0


def _bars(table: Table, chart: Chart, stacked: bool, width: float) -> tuple[str, float]:
    series = chart.series
    values = _points(table, chart)
    labels = [row.cell(chart.x.id).text for row in table.rows]
    if stacked:
        extents = [sum(v for v in row if v is not None) for row in values]
        ends = [_format_total(chart, e) if any(v is not None for v in row) else "–" for e, row in zip(extents, values)]
    else:
        extents = [v for row in values for v in row if v is not None]
        ends = [row.cell(c.id).text for row in table.rows for c in series]
    top = max(extents, default=0.0)
    # Shares are drawn against the whole (100%), counts against the largest value.
    scale = 100.0 if _share(chart) and top <= 100 else (top or 1.0)
    value_room = max((text_width(e, SMALL) for e in ends), default=0) + 8

    legend, y = _legend(chart, 0, width)
    y += 4
    # Short labels (years) or a wide drawing: labels left of the bars; else each on a line above its bar.
    inline = max((text_width(label, FONT) for label in labels), default=0) <= width * (0.3 if width <= NARROW else 0.5)
    x0 = (max(text_width(label, FONT) for label in labels) + 8) if inline else 0.0
    # Very long figures or labels must not leave the bars less than nothing to be drawn in.
    plot = max(width - x0 - value_room, width * 0.2)
    one_bar = stacked or len(series) == 1
    bar_height = 18 if one_bar else 13
    gap = 10 if inline else 12
    parts = [legend]
    top_of_bars = y
    for index, row in enumerate(values):
        if not inline:
            for line in _wrap(labels[index], width - 2, FONT):
                y += FONT + 3
                parts.append(_text(0, y - 3, line, FONT))
            y += 2
        group_top = y
        if stacked:
            x = x0
            for s, value in enumerate(row):
                if value is None:
                    continue
                width = _bar_length(value, scale, plot)
                parts.append(
                    f'<rect class="bar s{s}" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{bar_height}" fill="{PALETTE[s % len(PALETTE)]}" stroke="#ffffff" stroke-width="1"/>'
                )
                inner = table.rows[index].cell(series[s].id).text
                if width >= text_width(inner, SMALL) + 6:
                    parts.append(_text(x + width / 2, y + bar_height / 2 + SMALL * 0.35, inner, SMALL, "middle", ON_PALETTE[s % len(ON_PALETTE)]))
                x += width
            parts.append(_text(x + 4, y + bar_height / 2 + SMALL * 0.35, ends[index], SMALL, extra=' font-weight="600"'))
            y += bar_height
        else:
            for s, value in enumerate(row):
                text = table.rows[index].cell(series[s].id).text
                if value is None:
                    parts.append(_text(x0 + 4, y + bar_height / 2 + SMALL * 0.35, text, SMALL, fill=MUTED))
                else:
                    width = _bar_length(value, scale, plot)
                    parts.append(
                        f'<rect class="bar s{s}" x="{_n(x0)}" y="{_n(y)}" width="{_n(width)}" height="{bar_height}" fill="{PALETTE[s % len(PALETTE)]}"/>'
                    )
                    parts.append(_text(x0 + width + 4, y + bar_height / 2 + SMALL * 0.35, text, SMALL))
                y += bar_height + 2
            y -= 2
        if inline:
            parts.append(_text(x0 - 6, (group_top + y) / 2 + FONT * 0.35, labels[index], FONT, "end"))
        else:
            # The zero line beside this group's bars only, not through the label above them.
            parts.append(f'<line x1="{_n(x0)}" y1="{_n(group_top - 2)}" x2="{_n(x0)}" y2="{_n(y + 2)}" stroke="{MUTED}" stroke-width="1"/>')
        y += gap
    bottom = y - gap
    if inline:
        parts.append(f'<line x1="{_n(x0)}" y1="{_n(top_of_bars - 2)}" x2="{_n(x0)}" y2="{_n(bottom + 2)}" stroke="{MUTED}" stroke-width="1"/>')
    return "".join(parts), bottom + 4


# --- Lines ---------------------------------------------------------------------------------------


def _lines(table: Table, chart: Chart, width: float) -> tuple[str, float]:
    series = chart.series
    values = _points(table, chart)
    labels = [row.cell(chart.x.id).text for row in table.rows]
    present = [v for row in values for v in row if v is not None]
    share = _share(chart)
    ticks = axis_ticks(min(present, default=0.0), max(present, default=1.0), share)
    decimals = _decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    tick_labels = [_format_axis(t, decimals, share) for t in ticks]
    single = len(series) == 1
    texts = [[table.rows[i].cell(c.id).text for c in series] for i in range(len(values))]
    widest_value = max((text_width(t, SMALL) for row in texts for t in row), default=0)

    legend, top = _legend(chart, 0, width)
    top += 14  # room for the labels above the highest points
    left = max(text_width(t, SMALL) for t in tick_labels) + 8
    right = width - (widest_value / 2 + 2 if single else widest_value + 10)
    height = 180 if width <= NARROW else 220
    bottom = top + height
    count = len(values)
    step = (right - left) / (count - 1) if count > 1 else 0.0
    xs = [left + i * step for i in range(count)] if count > 1 else [(left + right) / 2]
    # Label every k-th point (always the last) so that neighbouring labels do not touch.
    widest = max(max((text_width(t, SMALL) for t in labels), default=0), widest_value if single else 0) + 6
    every = max(1, math.ceil(widest / step)) if step else 1
    shown = {i for i in range(count) if (count - 1 - i) % every == 0}

    def y_of(value: float) -> float:
        return bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * height

    parts = [legend]
    for tick, text in zip(ticks, tick_labels):
        y = y_of(tick)
        parts.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(left - 6, y + SMALL * 0.35, text, SMALL, "end", MUTED))
    parts.append(f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" stroke="{MUTED}" stroke-width="1"/>')
    for i in sorted(shown):
        parts.append(_text(xs[i], bottom + SMALL + 6, labels[i], SMALL, "middle"))
        parts.append(f'<line x1="{_n(xs[i])}" y1="{_n(bottom)}" x2="{_n(xs[i])}" y2="{_n(bottom + 4)}" stroke="{MUTED}" stroke-width="1"/>')

    end_labels: list[tuple[float, float, str]] = []
    for s, _column in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        dash = DASHES[s % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments = []
        for i, row in enumerate(values):
            value = row[s]
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(f"{_n(xs[i])},{_n(y_of(value))}")
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline class="line s{s}" points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2.5" stroke-linejoin="round"{dash_attr}/>'
                )
        for i, row in enumerate(values):
            value = row[s]
            if value is None:
                continue
            parts.append(_marker(MARKERS[s % len(MARKERS)], xs[i], y_of(value), color))
            if single and i in shown:
                # Centred over the point, but kept clear of the axis labels and inside the drawing.
                half = text_width(texts[i][s], SMALL) / 2
                x, anchor = xs[i], "middle"
                if xs[i] - half < left:
                    # Right of the axis, clear of its tick labels (which end 6 units left of it).
                    x, anchor = left + 3, "start"
                elif xs[i] + half > width:
                    x, anchor = xs[i] + 4, "end"
                parts.append(_text(x, y_of(value) - 8, texts[i][s], SMALL, anchor, extra=HALO))
        last = next(((i, v) for i in range(count - 1, -1, -1) if (v := values[i][s]) is not None), None)
        if not single and last is not None:
            i, value = last
            end_labels.append((y_of(value) + SMALL * 0.35, xs[i] + 7, texts[i][s]))
    # Multi-series: the last value of each line beside it, nudged apart when they would overlap.
    end_labels.sort()
    nudged: list[tuple[float, float, str]] = []
    for y, x, text in end_labels:
        if nudged:
            y = max(y, nudged[-1][0] + SMALL + 1)
        nudged.append((y, x, text))
    for y, x, text in nudged:
        parts.append(_text(x, y, text, SMALL, extra=HALO))
    return "".join(parts), bottom + SMALL + 12


# --- The SVG -------------------------------------------------------------------------------------


def _chart_of(table: Table) -> Chart:
    # Callers draw only tables with a chart (chart_svg checks); a table without one is a bug here.
    if table.chart is None:
        raise ValueError(f"table {table.id} has no chart")
    return table.chart


def describe(table: Table) -> str:
    """The chart in words, for <desc>: what is drawn over what, and each series' lowest and highest."""
    chart = _chart_of(table)
    if chart.description:
        return chart.description
    names = ", ".join(_series_label(c) for c in chart.series)
    xs = [row.cell(chart.x.id).text for row in table.rows]
    if chart.x.type in ("year", "date"):
        span = f"{chart.x.label} từ {xs[0]} đến {xs[-1]}"
    else:
        span = f"{len(xs)} mục theo cột “{chart.x.label}”"
    sentences = [f"{KIND_NAMES[chart.type]}: {names}; {span}."]
    for column in chart.series:
        found: list[tuple[float, Row]] = []
        for row in table.rows:
            number = numeric_value(column, row.value(column.id))
            if number is not None:
                found.append((number, row))
        if not found:
            continue
        low = min(found, key=lambda item: item[0])[1]
        high = max(found, key=lambda item: item[0])[1]
        sentences.append(
            f"{column.label}: thấp nhất {low.cell(column.id).text} ({low.cell(chart.x.id).text}), "
            f"cao nhất {high.cell(column.id).text} ({high.cell(chart.x.id).text})."
        )
    sentences.append(f"Số liệu đầy đủ ở bảng “{table.title}”.")
    return " ".join(sentences)


def render_chart(table: Table, id_prefix: str, width: int = NARROW) -> str:
    """The table's chart as an <svg> element, named by its <title> and described by its <desc>."""
    chart = _chart_of(table)
    if chart.type == "line":
        body, height = _lines(table, chart, width)
    else:
        body, height = _bars(table, chart, chart.type == "stacked-bar", width)
    height = math.ceil(height)
    title_id, desc_id = f"{id_prefix}-tieu-de", f"{id_prefix}-mo-ta"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{chart.type}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT}" fill="{INK}">'
        f'<title id="{title_id}">{escape(chart.title)}</title>'
        f'<desc id="{desc_id}">{escape(describe(table))}</desc>'
        f"{body}</svg>"
    )


def chart_svg(table: Table, id_prefix: str, wide: bool = False) -> str:
    """The table's chart as inline SVG, in the phone (320 units) or the desktop and print (600)
    layout; "" for a table without a chart. A Jinja global (the tables plugin registers it), so the
    model never imports the chart."""
    return render_chart(table, id_prefix, WIDE if wide else NARROW) if table.chart else ""
