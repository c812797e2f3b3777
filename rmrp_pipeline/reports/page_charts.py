"""Charts of the sector page as inline SVG (vector in the PDF, text extractable, no image files).

Each function takes the rows already formatted by the caller (labels, values and their printed
text) and returns one ``<svg>`` element; scales are linear from zero, so bar lengths compare.
"""

from __future__ import annotations

from html import escape

PIN_COLOUR = "#9fc5e8"
TARGET_COLOUR = "#0b5394"
REACHED_COLOUR = "#e69138"
GRID_COLOUR = "#d9d9d9"
TEXT_COLOUR = "#333333"


def _text(x: float, y: float, text: str, size: float = 8, anchor: str = "start", weight: str = "normal",
          colour: str = TEXT_COLOUR) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{colour}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">{escape(text)}</text>')


def pin_target_bars(rows: list[tuple[str, list[tuple[str, float, float, str]]]],
                    legend: tuple[str, str], width: int = 690) -> str:
    """Horizontal bars: per platform (label), one bar per year with the PiN (light) and the
    people targeted over it (dark), labelled ``PiN / target`` as printed.

    ``rows``: (platform label, [(year, pin, target, printed label), ...]); ``legend``: the names
    of PiN and target in the page's language.
    """
    label_w, bar_h, gap, top = 185, 9, 9, 22
    bars = sum(len(years) for _, years in rows)
    height = top + bars * (bar_h + 2) + len(rows) * gap + 8
    peak = max([pin or 0 for _, years in rows for _, pin, _, _ in years] + [1])
    scale = (width - label_w - 95) / peak
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" class="chart">']
    out += [f'<rect x="{label_w}" y="4" width="10" height="8" fill="{PIN_COLOUR}"/>',
            _text(label_w + 14, 11, legend[0]),
            f'<rect x="{label_w + 70}" y="4" width="10" height="8" fill="{TARGET_COLOUR}"/>',
            _text(label_w + 84, 11, legend[1])]
    y = top
    for label, years in rows:
        block = len(years) * (bar_h + 2)
        out.append(_text(label_w - 28, y + block / 2 + 3, label, size=7.5, anchor="end", weight="bold"))
        for year, pin, target, printed in years:
            out.append(_text(label_w - 4, y + bar_h - 1.5, year, size=6.5, anchor="end"))
            out.append(f'<rect x="{label_w}" y="{y}" width="{max((pin or 0) * scale, 0.5):.1f}" '
                       f'height="{bar_h}" fill="{PIN_COLOUR}"/>')
            out.append(f'<rect x="{label_w}" y="{y + 2}" width="{max((target or 0) * scale, 0.5):.1f}" '
                       f'height="{bar_h - 4}" fill="{TARGET_COLOUR}"/>')
            out.append(_text(label_w + (pin or 0) * scale + 4, y + bar_h - 1.5, printed, size=6.5))
            y += bar_h + 2
        y += gap
    out.append("</svg>")
    return "".join(out)


def monthly_bars(months: list[tuple[str, float | None, str]], title: str, width: int = 690, height: int = 140) -> str:
    """Vertical bars of people reached by month (cumulative, as consolidated), each labelled with
    its printed value; a month without data (None) keeps its slot, empty, so a short cycle shows.
    ``months``: (month label, value or None, printed value)."""
    left, bottom, top = 10, 20, 26
    peak = max([v for _, v, _ in months if v is not None] + [1])
    slot = (width - left * 2) / max(len(months), 1)
    bar = min(slot * 0.6, 46)
    scale = (height - bottom - top) / peak
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" class="chart">', _text(left, 11, title, size=8, weight="bold"),
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
           f'stroke="{GRID_COLOUR}"/>']
    for i, (label, value, printed) in enumerate(months):
        middle = left + i * slot + slot / 2
        out.append(_text(middle, height - 7, label, size=7, anchor="middle"))
        if value is None:
            continue
        h = value * scale
        out.append(f'<rect x="{middle - bar / 2:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" '
                   f'height="{h:.1f}" fill="{REACHED_COLOUR}"/>')
        out.append(_text(middle, height - bottom - h - 3, printed, size=7, anchor="middle"))
    out.append("</svg>")
    return "".join(out)
