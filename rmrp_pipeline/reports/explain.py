"""``rmrp explain people-reached``: one people-reached figure, how it was computed, and the partner
rows it rests on.

The figure is a row of ``marts.cycle_people_reached`` (the cycle's consolidated figure, at the last
month of the cycle with 5W data) or, with a month, of ``marts.people_reached_monthly`` (the
consolidated figure up to that month). Its rows are the 5W rows the people-reached views count
(``staging.int_people_reached__activities``: indicator type counting as reached, the subsector's
canonical name, the admin1 as the list spells it) of the same country, admin1, subsector and months,
each with its file, sheet, Excel row, organisation, indicator, New beneficiaries of the month and the
quality findings on the row, largest first. A subsector's figure is the sum of its rows' New
beneficiaries (docs/domain.md §3.4); an Intersector figure is computed from the rows of every subsector by
the platform's intersector model, so not every row listed counts in full.

Partners' free text (activity name and description) is never shown.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

import duckdb
import pandas as pd

from rmrp_pipeline import domain
from rmrp_pipeline.cycles import cycle_window
from rmrp_pipeline.domain import INTERSECTOR
from rmrp_pipeline.reports.connect import built_cycles, no_5w_data
from rmrp_pipeline.sources.reference import countries_by_name
from rmrp_pipeline.text.cells import normalise_key
from rmrp_pipeline.text.printable import printable
from rmrp_pipeline.warehouse.db import table_exists


class ExplainError(ValueError):
    """A figure that cannot be explained (unknown place, subsector, month); one line.
    ``wrong_argument``: what was asked names nothing one figure can be (the command's exit code 2)."""

    def __init__(self, message: str, wrong_argument: bool = False):
        super().__init__(message)
        self.wrong_argument = wrong_argument


@dataclass
class Explanation:
    """A figure (the mart row, as a dict), the lines saying how it was computed, and its partner
    rows (a frame, largest New beneficiaries first)."""

    figure: dict
    method: list[str]
    rows: pd.DataFrame


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> object:
    found = con.execute(sql, params).fetchone()
    return found[0] if found else None


def resolve_subsector(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The canonical subsector of ``name`` (``domain.sectors_meant``: a name or alias in any
    language, case and accents aside, or words of one sector's names such as ``Trafficking``), or
    ``name`` itself when no sector has it (the figure is then looked for under it).

    Raises:
        ExplainError: ``name`` is words of several sectors' names (they are listed).
    """
    meant = domain.sectors_meant(name)
    if len(meant) > 1:
        raise ExplainError(f"{name.strip()!r} names several subsectors: {', '.join(meant)}; give one of them",
                           wrong_argument=True)   # as for rmrp report sector-page
    return meant[0] if meant else name.strip()


def resolve_country(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The ISO3 code of the R4V country ``name`` (its code, its R4V, ISO or Spanish/Portuguese name,
    case and accents aside: ``Perú``, ``Brasil``; ``sources.reference.countries_by_name``), or
    ``name`` itself when the warehouse's country list does not know it."""
    countries = con.execute("SELECT iso3, country FROM staging.ref_countries").df()
    return countries_by_name(countries).get(normalise_key(name), name.strip())


def find_figure(con: duckdb.DuckDBPyConnection, cycle: str, country: str, subsector: str,
                admin1: str | None = None, month: str | None = None) -> dict:
    """The mart row of the figure (see the module docstring), as column -> value.

    Raises:
        ExplainError: the cycle or month is not valid, or no figure matches (the message lists
            what there is: cycles, subsectors or admin1 names of the country).
    """
    try:
        start, end = cycle_window(cycle)
    except ValueError as exc:
        raise ExplainError(str(exc)) from exc
    if not all(table_exists(con, t) for t in ("marts.cycle_people_reached", "marts.people_reached_monthly")):
        # A warehouse built from a raw folder without 5W data has no cycle table.
        raise ExplainError(no_5w_data(con, cycle))
    level = "admin1" if admin1 else "country"
    place = ("(lower(country) = lower($country) OR upper(country_iso3) = upper($country))"
             + (" AND name_key(admin1) = name_key($admin1)" if admin1 else ""))
    params = {"country": resolve_country(con, country), "subsector": resolve_subsector(con, subsector), "level": level}
    if admin1:
        params["admin1"] = admin1
    if month:
        first = _month(month, start, end, cycle)
        sql = (f"SELECT *, month AS as_of FROM marts.people_reached_monthly WHERE month = $month AND level = $level "
               f"AND {place} AND subsector = $subsector")
        params["month"] = first
    else:
        sql = (f"SELECT *, last_month_with_data AS as_of FROM marts.cycle_people_reached WHERE cycle = $cycle "
               f"AND level = $level AND {place} AND subsector = $subsector")
        params["cycle"] = cycle
    frame = con.execute(sql, params).df()
    if frame.empty:
        raise ExplainError(_not_found(con, cycle, start, end, params))
    figure = frame.iloc[0].to_dict()
    figure.update(cycle=cycle, cycle_start=start, cycle_end=end)
    return figure


def _month(month: str, start: dt.date, end: dt.date, cycle: str) -> dt.date:
    try:
        first = dt.datetime.strptime(month.strip(), "%Y-%m").date()
    except ValueError as exc:
        raise ExplainError(f"month {month!r} is not YYYY-MM") from exc
    if not start <= first < end:
        raise ExplainError(f"{month} is not a month of {cycle} ({start:%Y-%m} to {end - dt.timedelta(days=1):%Y-%m})")
    return first


def _not_found(con: duckdb.DuckDBPyConnection, cycle: str, start: dt.date, end: dt.date, params: dict) -> str:
    """Why no figure matched, with what there is instead."""
    what = f"{params['subsector']} in {params['country']}" + (f", {params['admin1']}" if "admin1" in params else "")
    where = "(lower(country) = lower(?) OR upper(country_iso3) = upper(?)) AND month >= ? AND month < ?"
    args = [params["country"], params["country"], start, end]
    if not _one(con, f"SELECT count(*) FROM marts.people_reached_monthly WHERE {where}", args):
        countries = [c for (c,) in con.execute(
            "SELECT DISTINCT country FROM marts.people_reached_monthly WHERE level = 'country' AND month >= ? "
            "AND month < ? ORDER BY 1", [start, end]).fetchall()]
        if not countries:
            return no_5w_data(con, cycle)
        return f"no people reached in {params['country']} in {cycle}: countries with figures: {', '.join(countries)}"
    cycles = built_cycles(con)
    if "month" not in params and cycle not in cycles:   # its months have data, its figures were not built
        return (f"{cycle} is not a reporting cycle of this warehouse (its cycles: {', '.join(cycles) or 'none'}): "
                "give one of them, or --month YYYY-MM for a month's figure")
    has_subsector = _one(con, f"SELECT count(*) FROM marts.people_reached_monthly WHERE {where} AND subsector = ?",
                         args + [params["subsector"]])
    column = "admin1" if "admin1" in params and has_subsector else "subsector"
    names = [n for (n,) in con.execute(
        f"SELECT DISTINCT {column} FROM marts.people_reached_monthly WHERE {where} AND level = ? "
        + ("AND subsector = ? " if column == "admin1" else "") + "ORDER BY 1",
        args + [params["level"]] + ([params["subsector"]] if column == "admin1" else [])).fetchall()]
    asked = params.get(column, "")
    close = difflib.get_close_matches(asked, names, n=3, cutoff=0.4)
    hint = f"did you mean {', '.join(close)}?" if close else f"{column} names there: {', '.join(names) or 'none'}"
    return f"no people-reached figure for {what} in {cycle}: {hint}"


def partner_rows(con: duckdb.DuckDBPyConnection, figure: dict) -> pd.DataFrame:
    """The 5W rows counted for ``figure`` (module docstring), largest New beneficiaries first:
    file, sheet, row, month, admin1, subsector, organisation, implementing partner, indicator code,
    indicator, indicator type, new beneficiaries, monthly total, findings (rule ids) and outlier."""
    end = figure["as_of"] + pd.DateOffset(months=1) if figure.get("as_of") is not None else figure["cycle_end"]
    conditions = ["a.country_iso3 = $iso3", "a.month >= $start", "a.month < $end"]
    params = {"iso3": figure["country_iso3"], "start": figure["cycle_start"], "end": pd.Timestamp(end).date()}
    if figure["subsector"] != INTERSECTOR:
        conditions.append("a.subsector = $subsector")
        params["subsector"] = figure["subsector"]
    if figure["level"] == "admin1":
        conditions.append("a.admin1 = $admin1")
        params["admin1"] = figure["admin1"]
    if figure.get("only_rmrp_activities"):
        conditions.append("coalesce(f.rmrp_activity, false)")
    return con.execute(f"""
        WITH issues AS (
            SELECT source_file, sheet, row_number, string_agg(DISTINCT rule, ', ' ORDER BY rule) AS findings,
                   bool_or(rule LIKE 'outlier%') AS outlier
            FROM meta.quality_findings WHERE rule NOT IN ('personal_data_in_free_text', 'quantity_not_expected_for_type') GROUP BY ALL
        )
        SELECT a.source_file AS file, a.source_sheet AS sheet, a.source_row AS row, a.month, a.admin1, a.subsector,
               f.appealing_org AS organisation, f.implementing_partner, f.indicator_code, f.indicator,
               f.indicator_type, coalesce(f.new_beneficiaries, 0) AS new_beneficiaries, f.total_monthly,
               i.findings, coalesce(i.outlier, false) AS outlier
        FROM staging.int_people_reached__activities a
        JOIN marts.fct_activities f USING (source_file, source_sheet, source_row)
        LEFT JOIN issues i ON i.source_file = a.source_file AND i.sheet = a.source_sheet AND i.row_number = a.source_row
        WHERE {' AND '.join(conditions)}
        ORDER BY new_beneficiaries DESC, file, row""", params).df()


def explain_people_reached(con: duckdb.DuckDBPyConnection, cycle: str, country: str, subsector: str,
                           admin1: str | None = None, month: str | None = None) -> Explanation:
    """The figure, how it was computed and its partner rows.

    Raises:
        ExplainError: see :func:`find_figure`.
    """
    figure = find_figure(con, cycle, country, subsector, admin1, month)
    rows = partner_rows(con, figure)
    return Explanation(figure, method_lines(con, figure, rows), rows)


def method_lines(con: duckdb.DuckDBPyConnection, figure: dict, rows: pd.DataFrame) -> list[str]:
    """How the figure was computed: model, months, indicator types counted, and the check that a
    subsector's rows add up to it."""
    start, as_of = figure["cycle_start"], figure.get("as_of")
    months = f"{start:%Y-%m} to {pd.Timestamp(as_of):%Y-%m}" if as_of is not None else "none"
    lines = [f"months: {months}, cumulated (consolidated = New beneficiaries of the month summed from January; "
             "a month without a report adds 0)"]
    if figure["subsector"] == INTERSECTOR:
        lines.append(f"model: Intersector by the '{figure['intersector_model']}' model of {figure['platform']} "
                     f"({_year(figure)}), from the rows of every subsector (docs/domain.md §3.4; "
                     "reference_data/intersector_models.csv): in a max model not every row counts in full")
    else:
        lines.append("model: a subsector's figure is the sum of its rows' New beneficiaries of the month "
                     "(partners' overlap within a subsector is not removed)")
    if figure["level"] == "country":
        lines.append("level: country = the sum of its admin1 figures")
    counted = sorted({str(t) for t in rows["indicator_type"].dropna()})
    lines.append(f"indicator types counted: {', '.join(counted) or 'none'} (other types are outputs, "
                 "marts.cycle_outputs)")
    only = "rows with RMRP Activity = Yes only" if figure.get("only_rmrp_activities") else "every row (RMRP Activity Yes or No)"
    lines.append(f"rows counted: {len(rows):,} from {rows['file'].nunique()} file(s), {only}")
    total = float(rows["new_beneficiaries"].sum())
    with_findings = float(rows.loc[rows["findings"].notna(), "new_beneficiaries"].sum())
    outliers = float(rows.loc[rows["outlier"], "new_beneficiaries"].sum())
    if figure["subsector"] != INTERSECTOR or figure["intersector_model"] == "sum":
        agrees = "= the figure" if abs(total - float(figure["consolidated_total"] or 0)) < 0.5 else \
            f"≠ the figure {_n(figure['consolidated_total'])}"
        lines.append(f"the rows add up to {_n(total)} {agrees}")
    if total:
        lines.append(f"resting on rows with findings: {_n(with_findings)} ({with_findings / total:.0%}); "
                     f"on rows flagged as outliers: {_n(outliers)} ({outliers / total:.0%})")
    return lines


def _year(figure: dict) -> int:
    return pd.Timestamp(figure["cycle_start"]).year


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def _n(value: object) -> str:
    if _missing(value):
        return "-"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def render(explanation: Explanation, limit: int = 20) -> str:
    """The explanation for the terminal: the figure, the method, then the partner rows (``limit``
    of them; 0 for all)."""
    f = explanation.figure
    place = f["country"] + (f", {f['admin1']}" if f["level"] == "admin1" else " (country level)")
    as_of = f"{pd.Timestamp(f['as_of']):%Y-%m}" if f.get("as_of") is not None else "-"
    context = [f"consolidated up to {as_of}"]
    if not _missing(f.get("people_targeted")):
        context.append(f"target {_n(f['people_targeted'])} ({f['consolidated_total'] / f['people_targeted']:.0%} reached)"
                       if f["people_targeted"] else "target 0")
    if "is_complete" in f and not f["is_complete"]:
        context.append(f"the cycle's data stop before {pd.Timestamp(f['cycle_end_month']):%Y-%m}")
    lines = [f"People reached, {f['subsector']}, {place}, {f['cycle']}: {_n(f['consolidated_total'])}",
             f"  {'; '.join(context)}", "", "How it was computed:"]
    lines += [f"  {line}" for line in explanation.method]
    rows = explanation.rows
    shown = rows if limit <= 0 else rows.head(limit)
    lines += ["", f"Partner rows, largest first ({len(shown):,} of {len(rows):,}"
              + ("; --limit 0 shows all" if len(shown) < len(rows) else "") + "):"]
    if shown.empty:
        return "\n".join(lines + ["  none"])
    table = pd.DataFrame({
        "file": shown["file"], "sheet": shown["sheet"], "row": shown["row"].map(str),
        "month": pd.to_datetime(shown["month"]).dt.strftime("%Y-%m"), "admin1": shown["admin1"],
        **({"subsector": shown["subsector"]} if f["subsector"] == INTERSECTOR else {}),
        "organisation": shown["organisation"], "indicator": shown["indicator_code"].fillna("-"),
        "new": shown["new_beneficiaries"].map(_n), "findings": shown["findings"].fillna("-"),
    })
    table = table.map(lambda v: printable(str(v)))   # file and sheet names from partners: one line, no escapes run
    widths = {c: max(len(c), *(len(v) for v in table[c])) for c in table.columns}
    right = {"row", "new"}
    fmt = lambda c, v: v.rjust(widths[c]) if c in right else v.ljust(widths[c])  # noqa: E731
    lines.append("  " + "  ".join(fmt(c, c) for c in table.columns).rstrip())
    lines += ["  " + "  ".join(fmt(c, v) for c, v in zip(table.columns, record)).rstrip()
              for record in table.itertuples(index=False, name=None)]
    return "\n".join(lines)
