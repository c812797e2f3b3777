"""The run summary printed by ``rmrp run``: files, rows, findings, rejects, tables, checks, the
headline figures of each reporting cycle and where the QA workbooks are. Every line fits
:data:`WIDTH` columns (a file name too long for its column gets a line of its own).

Numbers come from the warehouse tables themselves, so the summary's counts are the tables'
counts. Free text from partners' files never appears here (it may hold personal data); the names
of their files and sheets, and the load log's messages, are shown with control characters escaped
(``text.printable``), so each file and sheet keeps one line.
"""

from __future__ import annotations

import os
import re
import textwrap

import duckdb

from rmrp_pipeline.quality.rules import RULES
from rmrp_pipeline.settings import DEFAULT_REPORTS_DIR
from rmrp_pipeline.text.printable import printable
from rmrp_pipeline.warehouse.db import layer_tables

#: Columns of the terminal the summary is written for.
WIDTH = 100
#: Fewest columns of the files table's template and status (``5w_2021 recognised``).
MIN_TEMPLATE_WIDTH = 18
#: Sheets of R4V's activity submission template that hold only the lists its dropdowns offer (no
#: template matches them, on purpose): shown as the template's helper lists, not as problems, in a
#: file with a sheet of one of these templates.
TEMPLATE_HELPER_SHEETS = {"submission_2324": ("Year", "Indicator_type")}


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


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the cut marked with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrapped(text: str, indent: str = "    ") -> list[str]:
    """``text`` (escaped for the terminal) as lines of at most :data:`WIDTH` columns, the second and
    later indented by ``indent``."""
    return textwrap.wrap(printable(text), WIDTH, subsequent_indent=indent, break_on_hyphens=False) or [""]


def rule_meaning(rule_id: str) -> str:
    """One line saying what a rule means, from its English partner message
    (``quality/rules.py``): its first sentence with the row and column left out and the value, where
    the sentence needs it, as ``[value]``; the rule id itself for a rule not declared there."""
    rule = RULES.get(rule_id)
    if rule is None:
        return rule_id
    text = re.sub(r"^Row \{row\}[:,]\s*", "", rule.message_en)
    text = re.sub(r"^\{value\}:?\s+", "", text)   # {value} new beneficiaries is ... -> New beneficiaries is ...
    text = re.sub(r"(\w) '\{value\}'", r"\1", text)   # admin1 '{value}' is not ... -> admin1 is not ...
    text = re.sub(r"'\{value\}' in column \{column\}", "a value", text).replace("the {column} ", "the ")
    text = re.sub(r"\s*\((?:'\{value\}'|\{value\}[^)]*)\)", "", text)
    text = text.replace("'{value}'", "a value").replace("column {column}", "a column").replace("{column}", "a column")
    text = text.replace("{value}", "[value]").replace("{row}", "a row")   # not "…": the cut of a long line
    sentence = re.split(r"(?<=\.)\s", text, maxsplit=1)[0].rstrip(".")
    return sentence[:1].upper() + sentence[1:]


def _files_table(log: list[tuple]) -> list[str]:
    """One line per file and sheet (file, sheet, template and status, rows read / loaded /
    rejected / with findings) within :data:`WIDTH`; a file of several sheets, or one whose name does
    not fit its column, is named on a line of its own with its sheets below. The template ids and
    statuses are given their room first; only when one is too long for any file name beside it is
    it cut (the status never; ``meta.load_log.template_id`` has them whole)."""
    headers = ["file", "sheet", "template, status", "read", "loaded", "rejected", "findings"]
    rows = [[printable(str(c)) for c in (f, s or "-", t, st, _n(r), _n(lo), _n(rj), _n(fi))]
            for f, s, t, st, r, lo, rj, fi in log]
    sheets_of: dict[str, int] = {}
    for row in rows:
        sheets_of[row[0]] = sheets_of.get(row[0], 0) + 1
    alone = [r[0] for r in rows if sheets_of[r[0]] == 1]
    numbers = [max([len(headers[i])] + [len(r[i + 1]) for r in rows]) for i in (3, 4, 5, 6)]
    sheet = max([len(headers[1])] + [len(r[1]) for r in rows])
    fixed = 2 + 2 + sheet + 2 + 2 + sum(numbers) + len(numbers) - 1
    status = max([len(headers[2])] + [len(f"{r[2]} {r[3]}" if r[3] == "recognised" else r[3]) for r in rows])
    room = WIDTH - fixed
    name = min(max(map(len, alone), default=0), max(room - status, len(headers[0])), room - MIN_TEMPLATE_WIDTH)
    if not any(len(n) <= name for n in alone):   # every file named on its own line: the room to the templates
        name = len(headers[0])
    status = min(status, WIDTH - fixed - name)

    def status_cell(template: str, state: str) -> str:
        if state != "recognised":
            return _clip(state, status)
        return f"{_clip(template, status - len(state) - 1)} {state}"

    def line(cells: list[str]) -> str:
        text = f"  {cells[0]:<{name}}  {cells[1]:<{sheet}}  {cells[2]:<{status}}  "
        return (text + " ".join(c.rjust(w) for c, w in zip(cells[3:], numbers))).rstrip()

    out = [line(headers), line(["-" * name, "-" * sheet, "-" * status] + ["-" * w for w in numbers])]   # under the title
    named = None
    for row in rows:
        cells = [row[0], row[1], status_cell(row[2], row[3])] + row[4:]
        if sheets_of[row[0]] == 1 and len(row[0]) <= name:
            out.append(line(cells))
            continue
        if row[0] != named:
            out.append("  " + row[0])
            named = row[0]
        out.append(line([""] + cells[1:]))
    return out


def _rules_table(counts: list[tuple]) -> list[str]:
    """Rule, cells and rows, each rule's one-line meaning on the line below it, within :data:`WIDTH`."""
    table = _table([(r, _n(c), _n(rows)) for r, c, rows in counts], ["rule", "cells", "rows"], {1, 2})
    out = table[:2]
    for line, (rule, _c, _rows) in zip(table[2:], counts):
        out += [line, _clip(f"      {rule_meaning(rule)}", WIDTH)]
    return out


def _helper_sheets(log: list[tuple]) -> set[tuple]:
    """The (file, sheet) of ``log`` that are a template's helper lists (:data:`TEMPLATE_HELPER_SHEETS`)
    or empty sheets beside them, in files with a sheet of that template."""
    templates_of: dict[str, set] = {}
    for f, _s, t, *_rest in log:
        templates_of.setdefault(f, set()).add(t)
    helpers = set()
    for f, s, _t, st, read, *_rest in log:
        names = {n for t in templates_of[f] for n in TEMPLATE_HELPER_SHEETS.get(t, ())}
        if st == "unknown_sheet" and names and (s in names or not read):
            helpers.add((f, s))
    return helpers


def superseded_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The sheets whose rows a newer version of the same report replaced (``meta.load_log``:
    ``rows_superseded``, ``superseded_by``), one line each naming both files; none when none."""
    rows = con.execute(
        "SELECT source_file, sheet, rows_superseded, superseded_by FROM meta.load_log "
        "WHERE rows_superseded > 0 ORDER BY source_file, sheet").fetchall()
    if not rows:
        return []
    lines = ["", "Superseded by a newer version of the same report (same organisation, country and month; not loaded):"]
    for f, s, n, by in rows:
        lines += _wrapped(f"  {f} [{s or '-'}]: {_n(n)} row(s) superseded by {by}")
    return lines


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
    lines = _wrapped(f"    Intersector: {used + '; every other platform sum' if used else 'sum everywhere'}"
                     + ("; only rows with RMRP Activity = Yes" if only else ""), "      ")
    for country, what in short:
        lines += _wrapped(f"    Intersector may be low in {country}: no age/gender shares for {what}", "      ")
    return lines


def cycle_registry(con: duckdb.DuckDBPyConnection, cycle: str) -> list[str]:
    """A line when the cycle's year has no indicator registry of its own (``staging.ref_indicators``):
    which older registry its rows were resolved against (``sources.reference.registry_year_for``)."""
    from rmrp_pipeline.cycles import cycle_window
    from rmrp_pipeline.sources.reference import registry_year_for

    year = cycle_window(cycle)[0].year
    chosen, own = registry_year_for([y for (y,) in con.execute(
        "SELECT DISTINCT cycle_year FROM staging.ref_indicators WHERE cycle_year IS NOT NULL").fetchall()], year)
    if own or chosen is None:
        return []
    return _wrapped(f"    Indicator registry: none of R4V's for {year}; its rows were resolved against the "
                    f"{chosen} registry (which indicators count as people reached may differ)", "      ")


def cycle_headline(con: duckdb.DuckDBPyConnection, cycle: str) -> list[str]:
    """The cycle's headline figures (``marts.cycle_people_reached``, Intersector): people reached in
    the region at the last month with data, with its share of the target or why there is none; then
    each platform whose figure has a share of its target."""
    rows = con.execute(
        "SELECT level, platform, consolidated_total, people_targeted, share_of_target, share_note, "
        "strftime(last_month_with_data, '%Y-%m') FROM marts.cycle_people_reached "
        "WHERE cycle = ? AND subsector = 'Intersector' AND level IN ('regional', 'platform') ORDER BY level DESC, platform",
        [cycle]).fetchall()
    lines = []
    for level, platform, total, target, share, note, month in rows:
        if level == "regional":
            lines.append(f"    People reached, region: {_n(total)} by {month}"
                         + (f"; {share:.1%} of the target of {_n(target)}" if share is not None else ""))
            if share is None:
                lines += _wrapped(f"      {note or 'No share of a target.'}", "      ")   # the note says why there is none
        elif share is not None:
            lines.append(_clip(f"    {platform}: {_n(total)}, {share:.1%} of the target of {_n(target)}", WIDTH))
    return lines


def frozen_cycle_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One line per frozen reporting cycle (``meta.cycle_freezes``): when, by whom, why, and how many
    of its figures the current data would change (``meta.cycle_revisions``); none without freezes."""
    from rmrp_pipeline.marts.freeze import frozen_cycles
    from rmrp_pipeline.warehouse.db import table_exists

    frozen = frozen_cycles(con)
    if not frozen:
        return []
    counts = dict(con.execute("SELECT cycle, count(*) FROM meta.cycle_revisions GROUP BY cycle").fetchall()) \
        if table_exists(con, "meta.cycle_revisions") else {}
    lines = ["", "Frozen cycles (their figures are kept; rmrp unfreeze CYCLE --reason ... and a run apply the changes):"]
    for cycle, done in frozen.items():
        n = counts.get(cycle, 0)
        lines += _wrapped(f"  {cycle} frozen on {done.changed_at:%Y-%m-%d} by {done.changed_by} ({done.reason}): "
                          f"{_n(n)} figure{'' if n == 1 else 's'} would change; see meta.cycle_revisions")
    return lines


def next_steps(cycles: list[str], reports_dir: str | None, command: str = "rmrp", qa_written: bool = False) -> list[str]:
    """What the IM officer does next: the command that writes each cycle's QA workbooks (``command``:
    the rmrp command as it was typed, e.g. ``.venv/bin/rmrp``) and where they go, or, when the run
    wrote them (``qa_written``: ``rmrp run --qa``), that they are listed below; and where the
    submissions' QA workbooks are."""
    folder = reports_dir or os.environ.get("RMRP_REPORTS_DIR", DEFAULT_REPORTS_DIR)
    lines = ["", "Next: send each organisation its QA workbook (rejected rows and findings, in its language)"]
    if cycles and qa_written:
        lines.append("  5W: written by this run for every cycle above (listed at the end)")
    elif cycles:
        lines.append(f"  5W: {command} qa --cycle {cycles[-1]}  (any cycle above; run --qa writes every cycle's)")
        lines.append(_clip(f"      writes {folder}/rmrp_5w_qa_<cycle>.xlsx, one sheet per organisation, and", WIDTH))
        lines.append(_clip(f"      {folder}/qa_5w_<cycle>/, one workbook per organisation", WIDTH))
    lines.append(_clip(f"  Submissions: written by every run to {folder}/qa_submissions/, one per organisation", WIDTH))
    return lines


def input_changes_lines(changes) -> list[str]:
    """Which input files differ from the publication before (``publish.InputChanges``), within
    :data:`WIDTH`: ``  since publication 3: 1 file changed (a.xlsx); 14 unchanged``; at most five
    names of each kind."""
    def files(names: tuple[str, ...], what: str) -> str:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        return f"{len(names)} file{'s' if len(names) != 1 else ''} {what} ({shown})"

    parts = [files(names, what) for names, what in
             ((changes.changed, "changed"), (changes.added, "added"), (changes.removed, "removed")) if names]
    return _wrapped(f"  since publication {changes.since}: {'; '.join(parts) or 'no input file changed'}; "
                    f"{changes.unchanged} unchanged")


def run_summary(con: duckdb.DuckDBPyConnection, cycles: list[str], reports_dir: str | None = None,
                command: str = "rmrp", qa_written: bool = False) -> str:
    """The summary of the last run, read from ``meta.load_log``, ``meta.quality_findings``,
    ``meta.rejected_rows``, ``meta.reconciliation``, ``marts.cycle_people_reached`` and the catalogue;
    ``reports_dir`` is where the QA workbooks go (default ``RMRP_REPORTS_DIR`` or data/reports)."""
    lines: list[str] = []
    log = con.execute(
        "SELECT source_file, sheet, coalesce(template_id, '-'), status, rows_read, rows_loaded, rows_rejected, rows_with_findings "
        "FROM meta.load_log ORDER BY source_file, sheet"
    ).fetchall()
    files = {row[0] for row in log}
    lines.append(f"Files read: {len(files)} ({len(log)} sheets; a CSV file is one sheet, shown as -)")
    lines.append("  rows of each sheet: read, loaded, rejected, and loaded with findings (cells: per rule below)")
    lines += _files_table(log)
    messages = dict(
        ((f, s), m) for f, s, m in con.execute("SELECT source_file, sheet, message FROM meta.load_log").fetchall()
    )
    ignored = [row for row in log if row[3] == "ignored"]
    if ignored:
        lines.append("")
        lines.append("Ignored on purpose (instructions, pivot tables, copies of lists read elsewhere):")
        for f, s, *_rest in ignored:
            reason = (messages.get((f, s)) or "").removeprefix("ignored on purpose: ")
            lines += _wrapped(f"  {f} [{s or '-'}]: {reason}")
    helpers = _helper_sheets(log)
    if helpers:
        lines.append("")
        lines.append("Helper sheets of the submission template (its dropdown lists, an empty sheet; nothing to fix):")
        for f, s in sorted(helpers):
            lines.append(printable(f"  {f} [{s or '-'}]"))
    lines += superseded_lines(con)
    unknown = [row for row in log if row[3] not in ("recognised", "ignored", "superseded")
               and (row[0], row[1]) not in helpers]
    if unknown:
        lines.append("")
        lines.append("Not loaded (see meta.load_log.message):")
        for f, s, _t, st, *_rest in unknown:
            lines += _wrapped(f"  {f} [{s or '-'}]: {st}: {messages.get((f, s))}")
    for title, table in (("Rejected rows per rule", "meta.rejected_rows"), ("Quality findings per rule", "meta.quality_findings")):
        counts = con.execute(
            f"SELECT rule, count(*), count(DISTINCT (source_file, sheet, row_number)) FROM {table} GROUP BY rule ORDER BY 2 DESC, 1"
        ).fetchall()
        lines.append("")
        lines.append(f"{title}: {_n(sum(c[1] for c in counts))} cells" if counts else f"{title}: none")
        lines += _rules_table(counts) if counts else []
    inconsistent = con.execute(
        "SELECT plan_year, concat_ws(' ', platform, country_iso3, sector, measure), check_name, "
        "coalesce(published_text, format('{:,.0f}', published_low)), computed_low, computed_high "
        "FROM meta.reconciliation WHERE status = 'inconsistent' ORDER BY plan_year, check_name"
    ).fetchall()
    recorded = con.execute("SELECT count(*) FROM meta.reconciliation WHERE status = 'recorded'").fetchone()[0]
    lines.append("")
    lines += _wrapped(
        f"Planning figures inconsistent with their parts: {len(inconsistent)} "
        f"(and {recorded} known differences recorded; see meta.reconciliation)", "  "
    )
    for year, platform, check, text, low, high in inconsistent:
        if high is not None and high < 1:
            computed = f"{low:.2%}" if f"{low:.2%}" == f"{high:.2%}" else f"{low:.2%} to {high:.2%}"
        else:
            computed = _n(low) if _n(low) == _n(high) else f"{_n(low)} to {_n(high)}"
        lines += _wrapped(f"  {year} {platform}: {check}:")
        lines.append(f"    figure {text} (as published), its parts give {computed}")
    lines.append("")
    lines.append("Reporting cycles built:" if cycles else "Reporting cycles built: none found in the 5W data")
    for cycle in cycles:
        lines.append(f"  {cycle}: {cycle_months(con, cycle)}")
        lines += cycle_registry(con, cycle)
        lines += cycle_consolidation(con, cycle)
        lines += cycle_headline(con, cycle)
    lines += frozen_cycle_lines(con)
    lines += next_steps(cycles, reports_dir, command, qa_written)
    lines.append("")
    lines.append("Tables written:")
    counts = [(name, _n(con.execute(f"SELECT count(*) FROM {name}").fetchone()[0])) for name in layer_tables(con)]
    lines += _table(counts, ["table", "rows"], {1})
    return "\n".join(lines)
