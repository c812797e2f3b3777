"""The run summary printed by ``rmrp run``: files, rows, findings, rejects, tables, checks.

Numbers come from the warehouse tables themselves, so the summary's counts are the tables'
counts. Free text from partners' files never appears here (it may hold personal data); the names
of their files and sheets, and the load log's messages, are shown with control characters escaped
(``text.printable``), so each file and sheet keeps one line.
"""

from __future__ import annotations

import duckdb

from rmrp_pipeline.text.printable import printable
from rmrp_pipeline.warehouse.db import SCHEMAS


def _n(value: object) -> str:
    """A count for people: thousands separated, e.g. ``22,496``."""
    return f"{int(value or 0):,}"


def _table(rows: list[tuple], headers: list[str], right: set[int]) -> list[str]:
    """Rows under headers, columns aligned (``right``: the right-aligned ones), one line per row."""
    cells = [headers] + [[printable(str(c)) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    out = []
    for number, row in enumerate(cells):
        out.append("  " + "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if number == 0:
            out.append("  " + "  ".join("-" * w for w in widths))
    return out


def cycle_months(con: duckdb.DuckDBPyConnection, cycle: str, table: str = "marts.fct_activities") -> str:
    """Which months of the cycle have rows in ``table`` (default: loaded 5W data), e.g.
    ``2021-01 to 2021-05 (5 of 6 months with data)``."""
    from rmrp_pipeline.cycles import cycle_window

    start, end = cycle_window(cycle)
    months = [m for (m,) in con.execute(
        f"SELECT DISTINCT strftime(month, '%Y-%m') FROM {table} WHERE month >= ? AND month < ? ORDER BY 1",
        [start, end],
    ).fetchall()]
    expected = 6 if cycle.endswith("H1") else 12
    if not months:
        return "no month with data"
    return f"{months[0]} to {months[-1]} ({len(months)} of {expected} months with data)"


def cycle_consolidation(con: duckdb.DuckDBPyConnection, cycle: str) -> list[str]:
    """How the cycle's people reached were consolidated: the Intersector model of each platform
    that is not ``sum``, whether only RMRP activities were counted, and the countries whose
    Intersector left subsectors out for want of age/gender shares (the figure may be low)."""
    from rmrp_pipeline.cycles import cycle_window

    start, end = cycle_window(cycle)
    rows = "FROM marts.people_reached_monthly WHERE month >= ? AND month < ? AND subsector = 'Intersector'"
    models = con.execute(
        f"SELECT platform, intersector_model, coalesce(' (' || intersector_proportions || ' proportions)', '') {rows} "
        "AND level = 'platform' AND intersector_model <> 'sum' GROUP BY ALL ORDER BY ALL", [start, end]).fetchall()
    only = con.execute(f"SELECT bool_or(only_rmrp_activities) {rows}", [start, end]).fetchone()[0]
    short = con.execute(
        f"SELECT country, array_to_string(list_sort(list_distinct(flatten(list(string_split("
        f"intersector_subsectors_without_proportions, '; '))))), ', ') {rows} "
        "AND level = 'country' AND intersector_subsectors_without_proportions IS NOT NULL GROUP BY ALL ORDER BY ALL",
        [start, end]).fetchall()
    used = ", ".join(f"{p} {m}{s}" for p, m, s in models)
    lines = [f"    Intersector: {used + '; every other platform sum' if used else 'sum everywhere'}"
             + ("; only rows with RMRP Activity = Yes" if only else "")]
    lines += [f"    Intersector may be low in {country}: no age/gender shares for {what}" for country, what in short]
    return lines


def run_summary(con: duckdb.DuckDBPyConnection, cycles: list[str]) -> str:
    """The summary of the last run, read from ``meta.load_log``, ``meta.quality_findings``,
    ``meta.rejected_rows``, ``meta.reconciliation`` and the catalogue."""
    lines: list[str] = []
    log = con.execute(
        "SELECT source_file, sheet, coalesce(template_id, '-'), status, rows_read, rows_loaded, rows_rejected, rows_with_findings "
        "FROM meta.load_log ORDER BY source_file, sheet"
    ).fetchall()
    files = {row[0] for row in log}
    lines.append(f"Files read: {len(files)} ({len(log)} sheets; a CSV file is one sheet, shown as -)")
    lines += _table(
        [(f, s or "-", t, st, _n(r), _n(lo), _n(rj), _n(fi)) for f, s, t, st, r, lo, rj, fi in log],
        ["file", "sheet", "template", "status", "rows read", "loaded", "rejected", "with findings"],
        {4, 5, 6, 7},
    )
    messages = dict(
        ((f, s), m) for f, s, m in con.execute("SELECT source_file, sheet, message FROM meta.load_log").fetchall()
    )
    ignored = [row for row in log if row[3] == "ignored"]
    if ignored:
        lines.append("")
        lines.append("Ignored on purpose (instructions, pivot tables, copies of lists read elsewhere):")
        for f, s, *_rest in ignored:
            reason = (messages.get((f, s)) or "").removeprefix("ignored on purpose: ")
            lines.append(printable(f"  {f} [{s or '-'}]: {reason}"))
    unknown = [row for row in log if row[3] not in ("recognised", "ignored")]
    if unknown:
        lines.append("")
        lines.append("Not loaded (see meta.load_log.message):")
        for f, s, _t, st, *_rest in unknown:
            lines.append(printable(f"  {f} [{s or '-'}]: {st}: {messages.get((f, s))}"))
    for title, table in (("Rejected rows per rule", "meta.rejected_rows"), ("Quality findings per rule", "meta.quality_findings")):
        counts = con.execute(
            f"SELECT rule, count(*), count(DISTINCT (source_file, sheet, row_number)) FROM {table} GROUP BY rule ORDER BY 2 DESC, 1"
        ).fetchall()
        lines.append("")
        lines.append(f"{title}: {_n(sum(c[1] for c in counts))} cells" if counts else f"{title}: none")
        lines += _table([(r, _n(c), _n(rows)) for r, c, rows in counts], ["rule", "cells", "rows"], {1, 2}) if counts else []
    inconsistent = con.execute(
        "SELECT plan_year, concat_ws(' ', platform, country_iso3, sector, measure), check_name, "
        "coalesce(published_text, format('{:,.0f}', published_low)), computed_low, computed_high "
        "FROM meta.reconciliation WHERE status = 'inconsistent' ORDER BY plan_year, check_name"
    ).fetchall()
    recorded = con.execute("SELECT count(*) FROM meta.reconciliation WHERE status = 'recorded'").fetchone()[0]
    lines.append("")
    lines.append(
        f"Planning figures inconsistent with their parts: {len(inconsistent)} "
        f"(and {recorded} known differences recorded; see meta.reconciliation)"
    )
    for year, platform, check, text, low, high in inconsistent:
        if high is not None and high < 1:
            computed = f"{low:.2%}" if f"{low:.2%}" == f"{high:.2%}" else f"{low:.2%} to {high:.2%}"
        else:
            computed = _n(low) if _n(low) == _n(high) else f"{_n(low)} to {_n(high)}"
        lines.append(f"  {year} {platform}: {check}: figure {text} (as published), its parts give {computed}")
    lines.append("")
    lines.append("Reporting cycles built:" if cycles else "Reporting cycles built: none found in the 5W data")
    for cycle in cycles:
        lines.append(f"  {cycle}: {cycle_months(con, cycle)}")
        lines += cycle_consolidation(con, cycle)
    if cycles:
        lines.append(f"  QA workbook per appealing organisation: rmrp qa --cycle <one of the cycles above> (or rmrp run --qa for all)")
    tables = con.execute(
        "SELECT schema_name || '.' || table_name, estimated_size FROM duckdb_tables() "
        f"WHERE schema_name IN ({', '.join(repr(s) for s in SCHEMAS)}) ORDER BY 1"
    ).fetchall()
    lines.append("")
    lines.append("Tables written:")
    counts = [(name, _n(con.execute(f"SELECT count(*) FROM {name}").fetchone()[0])) for name, _size in tables]
    lines += _table(counts, ["table", "rows"], {1})
    return "\n".join(lines)
