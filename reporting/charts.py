"""Small inline SVG charts for the PDF, legible in greyscale: values are printed on every point.

Each chart carries its text alternative twice: ``aria-label`` for HTML, and a ``<title>`` that WeasyPrint turns
into the tagged PDF's ``/Alt`` for the figure (PDF/UA). Both say only what the chart draws (published figures).
"""

from django.utils.html import escape

WIDTH, HEIGHT, PAD = 300, 90, 22
# Without its period labels (``trend_svg(period_labels=False)``) a trend chart is this much shorter, and its first
# and last points sit half a label's width ("2025-Q3" at 8px) from the edges, so that the labels, justified across
# the chart's width under it, each centre under their point.
AXIS_LABELS_HEIGHT, AXIS_PAD = 12, 16
# The document's own font: without it a chart's text is set in the renderer's default (another font to embed).
FONT = "Liberation Sans, Arial, sans-serif"


def trend_svg(title: str, points: list[tuple[str, float | None]], unit: str = "", *, period_labels: bool = True) -> str:
    """A line through the published values, each printed above its point.

    ``period_labels=False`` leaves the periods' names out of the picture (``trend_axis_html`` sets them as one
    line of text under it): WeasyPrint lays out and draws an SVG text letter by letter, so the four labels were
    about half of the time spent drawing the chart."""
    known = [(label, value) for label, value in points if value is not None]
    if not known:
        return ""
    values = [value for _, value in known]
    top, bottom = max(values), min(min(values), 0)
    span = (top - bottom) or 1
    pad_x = PAD if period_labels else AXIS_PAD
    height = HEIGHT if period_labels else HEIGHT - AXIS_LABELS_HEIGHT
    step = (WIDTH - 2 * pad_x) / max(len(points) - 1, 1)
    readings = "; ".join(
        f"{label} {'not published' if value is None else _short(value, unit)}" for label, value in points
    )
    alternative = f"{title}, county trend: {readings}"
    coords = []
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="{FONT}" role="img" aria-label="{escape(alternative)}"><title>{escape(alternative)}</title>',
        f'<line x1="{pad_x}" y1="{HEIGHT - PAD}" x2="{WIDTH - pad_x}" y2="{HEIGHT - PAD}" '
        'stroke="#505a5f" stroke-width="1"/>',
    ]
    for index, (label, value) in enumerate(points):
        x = pad_x + index * step
        if period_labels:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 6}" font-size="8" text-anchor="middle" fill="#505a5f">'
                f"{escape(label)}</text>"
            )
        if value is None:
            continue
        y = HEIGHT - PAD - (value - bottom) / span * (HEIGHT - 2 * PAD - 10)
        coords.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0b0c0c"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="9" font-weight="bold" text-anchor="middle">'
            f"{escape(_short(value, unit))}</text>"
        )
    if len(coords) > 1:
        parts.insert(2, f'<polyline points="{" ".join(coords)}" fill="none" stroke="#0b0c0c" stroke-width="1.5"/>')
    parts.append("</svg>")
    return "".join(parts)


def trend_axis_html(points: list[tuple[str, float | None]]) -> str:
    """The periods of a ``trend_svg(period_labels=False)``, as one line of text for under it (the PDF justifies it
    across the chart's width: class ``chart-axis``). One line of text costs WeasyPrint a fraction of the same
    labels drawn in SVG."""
    if not any(value is not None for _, value in points):
        return ""
    return f'<p class="chart-axis">{" ".join(escape(label) for label, _ in points)}</p>'


def split_bar_svg(title: str, left_label: str, left: int, right_label: str, right: int, baseline_left=None) -> str:
    """A 100% bar split in two (solid and hatched), with the 2018 baseline marked."""
    total = left + right
    if not total:
        return ""
    width = WIDTH - 2 * PAD
    split = PAD + width * left / total
    hatch = "hatch-" + "".join(ch for ch in title.lower() if ch.isalnum())[:40]  # ids must be unique in the PDF
    alternative = (
        f"{title}, county: {left_label} {100 * left / total:.0f}%, {right_label} {100 * right / total:.0f}%"
        + ("" if baseline_left is None else f"; 2018 baseline {left_label.lower()} {baseline_left}%")
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="60" viewBox="0 0 {WIDTH} 60" '
        f'font-family="{FONT}" role="img" aria-label="{escape(alternative)}"><title>{escape(alternative)}</title>',
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#0b0c0c" stroke-width="2"/></pattern></defs>',
        f'<rect x="{PAD}" y="10" width="{split - PAD:.1f}" height="20" fill="#505a5f"/>',
        f'<rect x="{split:.1f}" y="10" width="{PAD + width - split:.1f}" height="20" fill="url(#{hatch})" '
        'stroke="#0b0c0c"/>',
        f'<text x="{PAD}" y="44" font-size="9">{escape(left_label)} {100 * left / total:.0f}%</text>',
        f'<text x="{WIDTH - PAD}" y="44" font-size="9" text-anchor="end">{escape(right_label)} '
        f"{100 * right / total:.0f}%</text>",
    ]
    if baseline_left is not None:
        x = PAD + width * baseline_left / 100
        parts.append(f'<line x1="{x:.1f}" y1="5" x2="{x:.1f}" y2="35" stroke="#0b0c0c" stroke-dasharray="3 2"/>')
        parts.append(
            f'<text x="{x:.1f}" y="56" font-size="8" text-anchor="middle">2018 baseline {baseline_left}%</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(value, unit: str) -> str:
    if unit == "percent":
        return f"{value:.0f}%"
    if unit == "money":
        return f"£{float(value):,.0f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}" if float(value).is_integer() else str(value)


def bars_svg(title: str, bars: list[tuple[str, float | None]], unit: str = "") -> str:
    """Horizontal bars, one per label, each value printed at its end; a withheld value (None) is drawn as no bar
    and says "not published" (in the picture and in its text alternative)."""
    if not any(value is not None for _, value in bars):
        return ""
    label_width, row_height, width = 190, 18, 520
    height = row_height * len(bars) + 10
    top = max(value for _, value in bars if value is not None) or 1
    span = width - label_width - 70
    readings = "; ".join(
        f"{label} {'not published' if value is None else _bar_value(value, unit)}" for label, value in bars
    )
    alternative = f"{title}: {readings}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" role="img" aria-label="{escape(alternative)}"><title>{escape(alternative)}</title>',
    ]
    for index, (label, value) in enumerate(bars):
        y = 5 + index * row_height
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 12}" font-size="11" text-anchor="end" fill="#0b0c0c">'
            f"{escape(label)}</text>"
        )
        if value is None:
            parts.append(f'<text x="{label_width}" y="{y + 12}" font-size="11" fill="#505a5f">not published</text>')
            continue
        length = max(span * value / top, 1)
        parts.append(
            f'<rect x="{label_width}" y="{y + 2}" width="{length:.1f}" height="{row_height - 5}" fill="#1d70b8"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 4:.1f}" y="{y + 12}" font-size="11" font-weight="bold" fill="#0b0c0c">'
            f"{escape(_bar_value(value, unit))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _bar_value(value, unit: str) -> str:
    """Shares of a population are small: one decimal place, as the table prints them."""
    return f"{value:.1f}%" if unit == "percent" else _short(value, unit)
