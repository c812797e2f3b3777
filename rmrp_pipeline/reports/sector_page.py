"""The sector page: R4V's published page of one sector for the years of a plan, rebuilt from the
warehouse, as HTML or as PDF (WeasyPrint renders the same HTML).

Layout of R4V's RMRP 2023-2024 sector pages: title, the key figures of each year (PiN with its
age/gender shares, people targeted with theirs, share of PiN, target as share of PiN, total
requirements), partners and sector leads, key figures by platform, a chart of PiN and target by
platform, and, for each reporting cycle of those years with 5W data of the sector, people reached
by platform against target and PiN with a chart by month. Every figure comes from
``marts.sector_key_figures`` or ``marts.cycle_people_reached`` / ``marts.people_reached_monthly``;
a figure with a ``meta.reconciliation`` row whose status is not ``ok`` carries a footnote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import duckdb
import pandas as pd

from rmrp_pipeline import domain
from rmrp_pipeline.cycles import cycle_window
from rmrp_pipeline.reports import page_charts as charts
from rmrp_pipeline.reports import page_format as fmt
from rmrp_pipeline.reports.sector_text import CONTRADICTS, LABELS, NOTES

KEY_MEASURES = ("people_in_need", "people_targeted", "share_of_total_pin", "target_share_of_pin",
                "requirements_usd", "partners")
AGE_GENDER = (("men", "boys"), ("women", "girls"))
TABLES = "marts.sector_key_figures, marts.cycle_people_reached, meta.reconciliation"


def resolve_sector(con: duckdb.DuckDBPyConnection, text: str) -> str:
    """Canonical English sector of ``text``: a sector name or alias in any language
    (``domain.resolve_sector``), an indicator code prefix of the registries in the warehouse
    (``RE-PRHT`` -> Protection (Human Trafficking and Smuggling)), or words of one sector's names
    (``domain.sectors_meant``: ``Trafficking``, ``GBV``), as ``rmrp explain`` takes them.

    Raises:
        ValueError: neither a sector name, a code of one sector nor words of one sector's names
            (several are named).
    """
    sector = domain.resolve_sector(text)
    if sector:
        return sector
    found = con.execute(
        "SELECT DISTINCT subsector FROM staging.ref_indicators "
        "WHERE upper(regexp_replace(trim(code), '[0-9]+(_[A-Z]{3})?$', '')) = upper(trim(?))", [text]).fetchall()
    sectors = {domain.resolve_sector(s) for (s,) in found} - {None}
    if len(sectors) == 1:
        return sectors.pop()
    meant = domain.sectors_meant(text)
    if len(meant) == 1:
        return meant[0]
    if meant:
        raise ValueError(f"{text!r} names several sectors: {', '.join(meant)}; give one of them")
    raise ValueError(f"{text!r} is not an R4V sector name, alias or indicator code prefix (rmrp_pipeline/reference_data/sectors.csv)")


@dataclass
class Notes:
    """Footnotes of the page: markers by (plan year, platform, measure) and the texts, numbered."""

    markers: dict[tuple[int, str, str], list[int]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    def mark(self, year: int, platform: str, measure: str) -> str:
        numbers = self.markers.get((year, platform, measure), [])
        return f'<sup class="note">\u2009{",".join(map(str, numbers))}</sup>' if numbers else ""


def _formatter(measure: str):
    """The page's format of a measure: shares, USD, counts of partners, else persons."""
    if measure in ("target_share_of_pin", "share_of_total_pin", "people_in_need_share", "people_targeted_share"):
        return fmt.share
    if measure == "requirements_usd":
        return fmt.usd
    return fmt.count if measure == "partners" else fmt.short_number


def _note_kind(row: pd.Series) -> str:
    kind = "missing_parts" if row["status"] == "missing_parts" else row["check_name"]
    return kind if kind in NOTES else "other"


def _note_part(row: pd.Series, language: str) -> str:
    template = NOTES[_note_kind(row)][language][1]
    show = _formatter(row["measure"])
    computed = (row["computed_low"] + row["computed_high"]) / 2 if pd.notna(row["computed_low"]) else None
    # the printed figure is the middle of its rounding interval: shown in the page's language
    printed = (row["published_low"] + row["published_high"]) / 2 if pd.notna(row["published_low"]) else None
    return template.format(
        year=row["year_label"], published=show(printed, language), computed=show(computed, language),
        low=fmt.share(row["computed_low"], language, 2), high=fmt.share(row["computed_high"], language, 2),
        explanation=f"{row['explanation']} ({row['status']})")


def _note(part: pd.DataFrame, language: str) -> str:
    """One footnote: what the check says once, then each year's figures; a contradiction first says so."""
    first = part.iloc[0]
    reason = LABELS[language]["reason_partners" if first["measure"] == "partners" else "reason_persons"]
    once = NOTES[_note_kind(first)][language][0].format(reason=reason)
    text = f"{once} {'; '.join(_note_part(r, language) for _, r in part.iterrows())}.".strip()
    if (part["status"] == "inconsistent").any():
        text = f"{CONTRADICTS[language]} {text}"
    if first["platform"] != domain.REGIONAL:
        text = f"{domain.platform_name(first['platform'], language).upper()}: {text}"
    return text


def load_notes(con: duckdb.DuckDBPyConnection, sector: str, years: list[int], language: str) -> Notes:
    """Footnotes of the figures printed on the page whose reconciliation status is not ok: one
    footnote per (check, measure), one sentence per year; a figure printed once for the plan
    (no plan year) marks every year."""
    rows = con.execute(
        "SELECT * FROM meta.reconciliation WHERE sector = ? AND status <> 'ok' AND country_iso3 IS NULL "
        "AND (plan_year IN (SELECT unnest(?::INTEGER[])) OR plan_year IS NULL) "
        "ORDER BY status <> 'inconsistent', check_name, measure, plan_year NULLS FIRST, platform", [sector, years]).df()
    notes = Notes()
    if rows.empty:
        return notes
    rows["year_label"] = rows["plan_year"].map(lambda y: "–".join(map(str, years)) if pd.isna(y) else str(int(y)))
    for (_check, measure, platform), part in rows.groupby(["check_name", "measure", "platform"], sort=False):
        notes.texts.append(_note(part, language))
        number = len(notes.texts)
        marked = {"people_in_need_share": "people_in_need", "people_targeted_share": "people_targeted"}.get(measure, measure)
        for y in part["plan_year"]:
            for year in years if pd.isna(y) else [int(y)]:
                notes.markers.setdefault((year, platform, marked), []).append(number)
    return notes


def load_key_figures(con: duckdb.DuckDBPyConnection, sector: str, years: list[int]) -> pd.DataFrame:
    """The sector's rows of ``marts.sector_key_figures`` for ``years`` (platforms and Regional)."""
    return con.execute("SELECT * FROM marts.sector_key_figures WHERE sector = ? "
                       "AND plan_year IN (SELECT unnest(?::INTEGER[])) ORDER BY plan_year, platform",
                       [sector, years]).df()


def load_reached(con: duckdb.DuckDBPyConnection, sector: str, years: list[int]) -> dict[str, pd.DataFrame]:
    """Per reporting cycle of ``years`` with 5W data of the sector: its platform and Regional rows
    of ``marts.cycle_people_reached`` (all activities of the sector, as built)."""
    frame = con.execute(
        "SELECT * FROM marts.cycle_people_reached WHERE subsector = ? AND level IN ('platform', 'regional') "
        "AND plan_year IN (SELECT unnest(?::INTEGER[])) ORDER BY cycle, level DESC, platform", [sector, years]).df()
    return {cycle: rows.reset_index(drop=True) for cycle, rows in frame.groupby("cycle", sort=True)}


def load_monthly(con: duckdb.DuckDBPyConnection, sector: str, cycle: str, last: dt.date) -> pd.DataFrame:
    """The Regional consolidated people reached of the sector, month by month, from the cycle's
    first month to ``last`` (its last month with data)."""
    start, _end = cycle_window(cycle)
    return con.execute(
        "SELECT month, consolidated_total FROM marts.people_reached_monthly WHERE subsector = ? "
        "AND level = 'regional' AND month >= ? AND month <= ? ORDER BY month", [sector, start, last]).df()


CSS = """
@page { size: A4; margin: 14mm 13mm 14mm 13mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 7pt; color: #777; } }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8.5pt; color: #222; margin: 0; }
header { background: #0b5394; color: white; padding: 10px 14px 12px; }
header .plan { font-size: 9pt; letter-spacing: 1px; opacity: .9; }
header h1 { font-size: 17pt; margin: 3px 0 0; font-weight: bold; }
h2 { font-size: 10pt; color: #0b5394; border-bottom: 1.5px solid #e69138; padding-bottom: 2px; margin: 14px 0 6px; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 6px; margin-top: 10px; }
.card { grid-column: span 2; }
.card.wide { grid-column: span 3; }
.card { background: #eef3f9; padding: 6px 8px; }
.card .label { font-size: 7pt; font-weight: bold; color: #0b5394; letter-spacing: .3px; }
.card table { width: 100%; border-collapse: collapse; margin-top: 2px; }
.card td { vertical-align: top; padding: 0 4px 0 0; width: 50%; }
.card .year { font-size: 6.5pt; color: #666; }
.card .value { font-size: 15pt; font-weight: bold; color: #1c1c1c; white-space: nowrap; }
.card:not(.wide) .value { font-size: 13pt; }
.card .ag { font-size: 6.5pt; color: #444; line-height: 1.35; }
.lead { margin: 8px 0 0; font-size: 8.5pt; }
.lead b { color: #0b5394; }
table.figures { width: 100%; border-collapse: collapse; font-size: 7.4pt; }
table.figures th { background: #0b5394; color: white; font-weight: bold; padding: 3px 3px; text-align: right; white-space: nowrap; }
table.figures th.platform, table.figures td.platform { text-align: left; }
table.figures th.year { text-align: center; border-left: 2px solid white; }
table.figures td { padding: 2.5px 3px; text-align: right; border-bottom: 0.5px solid #d9d9d9; white-space: nowrap; }
table.figures td.platform { font-weight: bold; }
table.figures td.first, table.figures th.first { border-left: 2px solid #fff; }
table.figures tr:nth-child(even) td { background: #f5f8fb; }
table.figures tr.regional td { font-weight: bold; background: #eef3f9; }
.computed { font-style: italic; color: #555; }
sup.note { color: #c55a11; font-size: 6pt; font-weight: bold; }
.chart { display: block; margin: 4px 0; }
.cycle-note { margin: 2px 0 4px; }
.incomplete { color: #c55a11; }
.notes { break-inside: avoid; font-size: 6.8pt; color: #444; margin-top: 10px; border-top: 0.5px solid #bbb; padding-top: 4px; }
.notes p { margin: 1px 0; }
.source { font-size: 6.5pt; color: #777; margin-top: 6px; }
"""


def _value(row: pd.Series | None, measure: str, language: str, notes: Notes) -> str:
    """One printed figure: formatted, italic when computed, with its footnote markers."""
    if _number(row, measure) is None:
        return fmt.MISSING
    text = escape(_formatter(measure)(_number(row, measure), language))
    if row.get(f"{measure}_source") == "computed":
        text = f'<span class="computed">{text}*</span>'
    return text + notes.mark(int(row["plan_year"]), row["platform"], measure)


def _number(row: pd.Series | None, measure: str) -> float | None:
    """The figure of ``measure`` in ``row`` (None when there is no row or no figure)."""
    return None if row is None or pd.isna(row.get(measure)) else float(row[measure])


def _shares(row: pd.Series | None, measure: str, language: str) -> str:
    words = LABELS[language]
    if row is None:
        return ""
    lines = []
    for adult, child in zip(*AGE_GENDER):
        pair = [(g, row.get(f"{measure}_share_{g}")) for g in (adult, child)]
        if any(pd.notna(v) for _, v in pair):
            lines.append(" · ".join(f"{words[g]} {fmt.share(v, language)}" for g, v in pair if pd.notna(v)))
    return f'<div class="ag">{"<br>".join(lines)}</div>' if lines else ""


def _regional(figures: pd.DataFrame, years: list[int]) -> dict[int, pd.Series | None]:
    rows = figures[figures["platform"] == domain.REGIONAL]
    return {y: next((r for _, r in rows[rows["plan_year"] == y].iterrows()), None) for y in years}


def key_figures_html(figures: pd.DataFrame, years: list[int], language: str, notes: Notes) -> str:
    """The key-figures cards of the Regional rows (one value per year) with the partners and
    sector leads line beneath."""
    words, regional = LABELS[language], _regional(figures, years)
    cards = []
    for measure in ("people_in_need", "people_targeted", "share_of_total_pin", "target_share_of_pin", "requirements_usd"):
        cells = "".join(
            f'<td><div class="year">{y}</div><div class="value">{_value(regional[y], measure, language, notes)}</div>'
            f'{_shares(regional[y], measure, language) if measure in ("people_in_need", "people_targeted") else ""}</td>'
            for y in years)
        wide = "wide" if measure in ("people_in_need", "people_targeted") else ""
        cards.append(f'<div class="card {wide}"><div class="label">{words[measure]}</div><table><tr>{cells}</tr></table></div>')
    partners = {y: _value(regional[y], "partners", language, notes) for y in years}
    known = [y for y in years if _number(regional[y], "partners") is not None]
    same = len({_number(regional[y], "partners") for y in known}) <= 1
    partner_text = (partners[known[0]] if known and same else " · ".join(f"{partners[y]} ({y})" for y in known) or fmt.MISSING)
    leads = sorted({r["sector_leads"] for r in regional.values() if r is not None and pd.notna(r.get("sector_leads"))})
    lead_text = escape("; ".join(leads)) if leads else fmt.MISSING
    return (f'<div class="cards">{"".join(cards)}</div>'
            f'<p class="lead"><b>{words["partners"]}:</b> {partner_text} &nbsp;&nbsp; '
            f'<b>{words["sector_leads"]}:</b> {lead_text}</p>')


def _platform_rows(figures: pd.DataFrame) -> list[str]:
    present = set(figures.loc[figures["platform"] != domain.REGIONAL, "platform"])
    return [p for p in domain.PLATFORMS if p in present]


def platform_table_html(figures: pd.DataFrame, years: list[int], language: str, notes: Notes) -> str:
    """Key figures by platform: per year PiN, target, target/PiN and requirements; partners once
    when each platform has the same number every year (R4V prints them once per plan), else per year."""
    words = LABELS[language]
    rows = {(r["plan_year"], r["platform"]): r for _, r in figures.iterrows()}
    platforms = _platform_rows(figures)
    once = all(len({_number(rows.get((y, p)), "partners") for y in years}) == 1 for p in platforms)
    columns = ["people_in_need", "people_targeted", "target_share_of_pin", "requirements_usd"] + ([] if once else ["partners"])
    names = {"people_in_need": words["col_pin"], "people_targeted": words["col_target"],
             "target_share_of_pin": words["col_share"], "requirements_usd": words["col_requirements"],
             "partners": words["col_partners"]}
    head1 = "".join(f'<th class="year" colspan="{len(columns)}">{y}</th>' for y in years)
    head2 = "".join(f'<th class="{"first" if i == 0 else ""}">{names[c]}</th>' for _ in years for i, c in enumerate(columns))
    tail = f'<th rowspan="2">{words["col_partners"]}</th>' if once else ""
    body = []
    for p in platforms:
        cells = "".join(f'<td class="{"first" if i == 0 else ""}">{_value(rows.get((y, p)), c, language, notes)}</td>'
                        for y in years for i, c in enumerate(columns))
        if once:
            last = next((rows[(y, p)] for y in reversed(years) if (y, p) in rows), None)
            cells += f"<td>{_value(last, 'partners', language, notes)}</td>"
        body.append(f'<tr><td class="platform">{escape(domain.platform_name(p, language).upper())}</td>{cells}</tr>')
    return (f'<table class="figures"><thead><tr><th class="platform" rowspan="2">{words["platform"]}</th>{head1}{tail}</tr>'
            f'<tr>{head2}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def pin_target_chart(figures: pd.DataFrame, years: list[int], language: str) -> str:
    """The chart of PiN and people targeted by platform, one bar per year."""
    words = LABELS[language]
    rows = []
    for p in _platform_rows(figures):
        bars = []
        for y in years:
            r = figures[(figures["platform"] == p) & (figures["plan_year"] == y)]
            if not r.empty:
                pin, target = r.iloc[0]["people_in_need"], r.iloc[0]["people_targeted"]
                pin, target = (None if pd.isna(pin) else pin), (None if pd.isna(target) else target)
                bars.append((str(y), pin, target,
                             f"{fmt.short_number(pin, language)} / {fmt.short_number(target, language)}"))
        rows.append((domain.platform_name(p, language).upper(), bars))
    return charts.pin_target_bars(rows, (words["col_pin"], words["target"]))


def reached_html(con: duckdb.DuckDBPyConnection, sector: str, cycle: str, rows: pd.DataFrame, language: str) -> str:
    """One reporting cycle: months covered (and whether the cycle is incomplete), people reached
    by platform against target and PiN, and the Regional figure by month."""
    words = LABELS[language]
    start, end = cycle_window(cycle)
    expected = (end.year - start.year) * 12 + end.month - start.month
    last = pd.Timestamp(rows["last_month_with_data"].max()).date()
    cycle_end = pd.Timestamp(rows["cycle_end_month"].max()).date()
    covered = words["cycle_months"].format(first=fmt.month(start, language), last=fmt.month(last, language),
                                           months=int(rows["months_with_reports"].max()), expected=expected)
    if not rows["is_complete"].all():
        covered += f' <span class="incomplete">{words["incomplete"].format(end=fmt.month(cycle_end, language))}</span>'
    body = []
    for _, r in rows.iterrows():
        name = domain.platform_name(r["platform"], language).upper()
        body.append(f'<tr class="{"regional" if r["level"] == "regional" else ""}"><td class="platform">{escape(name)}</td>'
                    f'<td>{fmt.short_number(r["consolidated_total"], language)}</td>'
                    f'<td>{fmt.short_number(r["people_targeted"], language)}</td>'
                    f'<td>{fmt.short_number(r["people_in_need"], language)}</td>'
                    f'<td>{fmt.share(r["share_of_target"], language)}</td><td>{fmt.share(r["share_of_pin"], language)}</td></tr>')
    head = "".join(f"<th>{words[k]}</th>" for k in ("reached_col", "target", "col_pin", "reached_of_target", "reached_of_pin"))
    monthly = load_monthly(con, sector, cycle, last)
    values = {pd.Timestamp(m).date(): float(v) for m, v in zip(monthly["month"], monthly["consolidated_total"])}
    months = [dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(expected)]
    chart = charts.monthly_bars(
        [(fmt.month_short(m, language), values.get(m), fmt.short_number(values.get(m), language)) for m in months],
        words["reached_by_month"]) if values else ""
    return (f'<h2>{words["reached"]} · {escape(cycle)}</h2><p class="cycle-note">{covered}</p>'
            f'<table class="figures"><thead><tr><th class="platform">{words["platform"]}</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>{chart}')


def sector_page_html(con: duckdb.DuckDBPyConnection, sector: str, years: list[int], language: str) -> str:
    """The whole page as one self-contained HTML document (CSS and SVG charts inline).

    Raises:
        ValueError: an unknown language, or no key figures of ``sector`` in ``years``.
    """
    if language not in fmt.LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(fmt.LANGUAGES)}, not {language!r}")
    years = sorted(set(years))
    figures = load_key_figures(con, sector, years)
    if figures.empty:
        raise ValueError(f"no key figures of {sector} in {', '.join(map(str, years))} in marts.sector_key_figures")
    words = LABELS[language]
    notes = load_notes(con, sector, years, language)
    parts = [f'<header><div class="plan">RMRP {" • ".join(map(str, years))}</div>'
             f'<h1>{escape(domain.sector_name(sector, language).upper())}</h1></header>',
             key_figures_html(figures, years, language, notes),
             f'<h2>{words["by_platform"]}</h2>', platform_table_html(figures, years, language, notes),
             f'<h2>{words["chart_pin_target"]}</h2>', pin_target_chart(figures, years, language)]
    parts += [reached_html(con, sector, cycle, rows, language) for cycle, rows in load_reached(con, sector, years).items()]
    computed = any((figures[f"{m}_source"] == "computed").any() for m in ("people_in_need", "people_targeted", "target_share_of_pin"))
    lines = ([f"<p>* {words['computed']}</p>"] if computed else []) + [
        f"<p><sup class=\"note\">{i}</sup> {escape(text)}</p>" for i, text in enumerate(notes.texts, start=1)]
    if lines:
        parts.append(f'<div class="notes"><b>{words["notes"]}</b>{"".join(lines)}</div>')
    parts.append(f'<p class="source">{escape(words["source"].format(tables=TABLES))}</p>')
    title = f"RMRP {'-'.join(map(str, years))} · {domain.sector_name(sector, language)}"
    return (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<style>{CSS}</style></head><body>{"".join(parts)}</body></html>')


def write_sector_page(con: duckdb.DuckDBPyConnection, sector: str, years: list[int], language: str, output: Path) -> Path:
    """Write the page of ``sector`` (a name, alias or code, see :func:`resolve_sector`) for
    ``years`` in ``language`` to ``output``: ``.html`` as is, ``.pdf`` rendered by WeasyPrint.

    Raises:
        ValueError: an unknown sector or language, no key figures, or another file type.
    """
    output = Path(output)
    if output.suffix.lower() not in (".pdf", ".html"):
        raise ValueError(f"write the sector page to a .pdf or an .html file, not {output.name}")
    html = sector_page_html(con, resolve_sector(con, sector), years, language)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".html":
        output.write_text(html, encoding="utf-8")
    else:
        from weasyprint import HTML

        HTML(string=html).write_pdf(output)
    return output
