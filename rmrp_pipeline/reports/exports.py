"""Mart and meta tables written for analysts and for HDX: ``rmrp export <table>``.

One table (``marts.<name>`` or ``meta.<name>``, by its full name) is read from the warehouse, the
rows of one reporting cycle when the table is built cycle by cycle (``marts.registry.CycleRows``),
and written as:

- CSV (UTF-8 with a byte-order mark, text escaped against formula injection: ``files.write_csv``);
- an Excel workbook for people (``files.write_table_workbook``): numbers formatted by column type,
  frozen header, filters, landscape print fitted to one page wide with the header on every page,
  and a README sheet (source table and its description, cycle, intersector model where the table
  has one, when and from which warehouse file it was generated, every column described);
- Parquet, with the warehouse's column types (DATE, DOUBLE, INTEGER, BIGINT, BOOLEAN, VARCHAR, ...)
  and each column's description (and HXL tag) in the field metadata.

With ``hxl``, the row under the header holds HXL hashtags (HDX's convention, hxlstandard.org 1.1):
5W columns take their tags from ``read/layouts/hxl.csv``, mart columns from
``reports/hxl_exports.csv`` (a table-specific row first); a column without a tag has an empty cell.

Partners' free text (activity names and descriptions) is never exported: it may hold personal data.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from rmrp_pipeline.marts import registry
from rmrp_pipeline.reports.files import cell_value, write_csv, write_table_workbook
from rmrp_pipeline.warehouse import db as warehouse_lib

EXPORT_SCHEMAS = ("marts", "meta")
#: Views of the warehouse that are exported like tables (declared in SQL, not in the registry).
EXPORTED_VIEWS = ("meta.data_dictionary",)
#: Partners' free text: never exported.
FREE_TEXT_COLUMNS = ("activity_name", "activity_description")
FORMATS = (".csv", ".xlsx", ".parquet")


#: Excel's last row (the header takes one).
EXCEL_ROWS = 1_048_576
#: Characters an Excel cell holds.
EXCEL_CELL_CHARS = 32_767


class ExportError(ValueError):
    """An export that cannot be made; the message is one line for the terminal. ``wrong_argument``:
    the request itself is wrong (unknown table, format or cycle), not what the warehouse holds."""

    def __init__(self, message: str, wrong_argument: bool = True):
        super().__init__(message)
        self.wrong_argument = wrong_argument


@dataclass
class TableExport:
    """The rows of one table ready to write: ``data`` as the warehouse types them (free text left
    out), the table's and columns' descriptions, and facts for the README (label, text)."""

    table: str
    cycle: str | None
    data: pa.Table
    description: str
    columns: dict[str, tuple[str, str]]           # column -> (DuckDB type, description)
    facts: list[tuple[str, str]] = field(default_factory=list)


def exportable_tables() -> list[str]:
    """Every table ``rmrp export`` writes: the marts and meta tables of the registry (those a run
    records, ``meta.publications`` and ``meta.cycle_builds``, too), then the exported views."""
    return [t.name for t in registry.TABLES if t.layer in EXPORT_SCHEMAS] + list(EXPORTED_VIEWS)


def check_request(table: str, output: str | os.PathLike, cycle: str | None) -> None:
    """Check an export's arguments before the warehouse is opened.

    Raises:
        ExportError: unknown table (with the closest names), an output that is not .csv, .xlsx or
            .parquet, a cycle given for a table without cycles, or a cycle that is not YYYY-H1/H2.
    """
    names = exportable_tables()
    if table not in names and table in {t.name for t in registry.assets()}:
        raise ExportError(f"{table} is not exported: rmrp export writes the {' and '.join(f'{s}.*' for s in EXPORT_SCHEMAS)} "
                          f"tables and people-reached; read it with rmrp sql (e.g. rmrp sql \"SELECT * FROM {table} "
                          "LIMIT 10\" --csv)")
    if table not in names:
        close = difflib.get_close_matches(table, names, n=3, cutoff=0.5) or [
            n for n in names if n.split(".")[1] == table]
        hint = f"did you mean {', '.join(close)}?" if close else f"one of {', '.join(names)}, or people-reached"
        raise ExportError(f"unknown table {table}: {hint}")
    suffix = Path(output).suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"write to a .csv, .xlsx or .parquet file, not {Path(output).name}")
    if cycle is not None:
        rows = _cycle_rows(table)
        if rows is None:
            with_cycles = [t.name for t in registry.assets() if t.cycle_rows and t.schema in EXPORT_SCHEMAS]
            raise ExportError(f"{table} is not built by reporting cycle: leave out --cycle "
                              f"(tables by cycle: {', '.join(with_cycles)})")
        try:
            rows.where(cycle)
        except ValueError as exc:
            raise ExportError(str(exc)) from exc


def _cycle_rows(table: str) -> registry.CycleRows | None:
    return registry.table(table).cycle_rows if table not in EXPORTED_VIEWS else None


def read_table(con: duckdb.DuckDBPyConnection, table: str, cycle: str | None = None) -> TableExport:
    """The rows of ``table`` (of ``cycle`` only, when given: its months, ``CycleRows.published``) with
    its descriptions and README facts.

    Raises:
        ExportError: the table is not in this warehouse, or has no rows of ``cycle``.
    """
    columns = {c: (t, d or "") for c, t, d in warehouse_lib.table_columns(con, table)}
    if not columns:
        raise ExportError(f"{table} is not in this warehouse: run `rmrp run` to build it", wrong_argument=False)
    kept = [c for c in columns if c not in FREE_TEXT_COLUMNS]
    rows = _cycle_rows(table)
    # the cycle's own months: a table written a year at a time holds the other cycle's months too
    where = f"WHERE {rows.published(cycle)}" if rows is not None and cycle else ""
    quoted = ", ".join(f'"{c}"' for c in kept)
    data = con.sql(f"SELECT {quoted} FROM {table} {where}").to_arrow_table()
    if cycle and data.num_rows == 0:
        raise ExportError(f"{table} has no rows of {cycle}: {_cycles_held(con, table, rows)}", wrong_argument=False)
    try:
        description = warehouse_lib.table_comment(table)
    except FileNotFoundError:
        description = None
    export = TableExport(table, cycle, data, description or "", {c: columns[c] for c in kept})
    export.facts = _facts(export, [c for c in columns if c in FREE_TEXT_COLUMNS])
    return export


def _cycles_held(con: duckdb.DuckDBPyConnection, table: str, rows: registry.CycleRows) -> str:
    key = f"strftime({rows.column}, '%Y-%m')" if rows.by_year else rows.kept([])[0]
    held = [str(k) for (k,) in con.execute(f"SELECT DISTINCT {key} FROM {table} ORDER BY 1").fetchall()]
    return f"its {'months' if rows.by_year else 'cycles'}: {', '.join(held)}" if held else "it is empty"


def _facts(export: TableExport, left_out: list[str]) -> list[tuple[str, str]]:
    """README facts that depend on the rows: the intersector model of each platform, the
    RMRP-activities option, the free-text columns left out."""
    facts = []
    names = export.data.column_names
    if "intersector_model" in names and "platform" in names:
        frame = export.data.select(["platform", "intersector_model"]).to_pandas()
        models = frame[frame["intersector_model"].notna() & (frame["intersector_model"] != "subsector")]
        per_platform = models.groupby("platform")["intersector_model"].agg(lambda s: ", ".join(sorted(set(s))))
        if len(per_platform):
            facts.append(("intersector model", "; ".join(f"{p}: {m}" for p, m in per_platform.items())))
    if "only_rmrp_activities" in names:
        only = any(v for v in export.data.column("only_rmrp_activities").to_pylist() if v)
        facts.append(("rows counted", "RMRP Activity = Yes only" if only else "every row (RMRP Activity Yes or No)"))
    if left_out:
        facts.append(("left out", f"{', '.join(left_out)}: partners' free text, which may hold personal data"))
    return facts


def _csv_rows(package: str, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(resources.files(package).joinpath(name).read_text(encoding="utf-8").splitlines()))


@lru_cache(maxsize=1)
def _mart_tags() -> dict[tuple[str, str], str]:
    return {(r["table"], r["column"]): r["tag"] for r in _csv_rows("rmrp_pipeline.reports", "hxl_exports.csv")}


@lru_cache(maxsize=1)
def _five_w_tags() -> dict[str, str]:
    """5W column -> its tag as ``read/layouts/hxl.csv`` writes it."""
    return {r["canonical"]: r["tag"] for r in _csv_rows("rmrp_pipeline.read.layouts", "hxl.csv") if r["kind"] == "five_w"}


def hxl_tags(table: str, columns: list[str]) -> list[str]:
    """The HXL hashtag of each column ('' for a column without one): the table's own row of
    ``reports/hxl_exports.csv``, the 5W tag of ``read/layouts/hxl.csv`` for the 5W fact table,
    then the general row of ``hxl_exports.csv``."""
    five_w = _five_w_tags()
    mart = _mart_tags()
    tags = []
    for column in columns:
        own = mart.get((table, column))
        from_5w = five_w.get(column) if table == registry.ACTIVITIES else None
        tags.append(own or from_5w or mart.get(("", column)) or "")
    return tags


def number_format(column: str, duckdb_type: str) -> str | None:
    """The Excel number format of a column: shares as percentages, years and row numbers plain,
    counts and amounts with thousands separators, months as ``yyyy-mm``; None for text."""
    kind = duckdb_type.upper()
    if kind == "DATE":
        return "yyyy-mm" if "month" in column else "yyyy-mm-dd"
    if kind.startswith("TIMESTAMP"):
        return "yyyy-mm-dd hh:mm"
    if not kind.startswith(("DOUBLE", "FLOAT", "REAL", "DECIMAL", "INTEGER", "BIGINT", "HUGEINT", "SMALLINT",
                            "TINYINT", "UBIGINT", "UINTEGER")):
        return None
    if "share" in column or column.endswith("_yoy_change"):
        return "0.0%"
    if column.endswith(("year", "_row", "row_number", "_position")):
        return "0"
    return "#,##0"


def people_frame(data: pa.Table, whole_numbers: bool = False) -> pd.DataFrame:
    """``data`` as a pandas frame of Python values for the CSV and Excel writers: dates as dates,
    integers with NULLs kept integers; with ``whole_numbers``, DOUBLEs that are whole as integers
    (``148088`` rather than ``148088.0`` in a CSV)."""
    frame = data.to_pandas(date_as_object=True, integer_object_nulls=True)
    for field_ in data.schema:   # a list, struct or map cell (meta.publications' input files): JSON text
        if pa.types.is_nested(field_.type):
            frame[field_.name] = [None if v is None else json.dumps(_plain(v), ensure_ascii=False, default=str)
                                  for v in data.column(field_.name).to_pylist()]
    if whole_numbers:
        for column in frame.columns:
            if pd.api.types.is_float_dtype(frame[column]):
                values = frame[column]
                frame[column] = pd.Series(
                    [None if pd.isna(v) else int(v) if float(v).is_integer() else float(v) for v in values],
                    index=frame.index, dtype=object)
    return frame


def _plain(value):
    """A nested cell as JSON-ready values: a map (Arrow gives its entries as (key, value) pairs) as
    an object, keys in their order."""
    if isinstance(value, list) and value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        return {str(k): _plain(v) for k, v in value}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def write_export(export: TableExport, path: Path, hxl: bool = False, warehouse: str | None = None) -> Path:
    """Write ``export`` to ``path``, in the format its suffix names (.csv, .xlsx, .parquet); with
    ``hxl``, the HXL hashtags under the header (CSV, Excel) or in the field metadata (Parquet).

    Raises:
        ExportError: more rows than an Excel sheet holds, or a text longer than a cell holds.
    """
    columns = export.data.column_names
    tags = hxl_tags(export.table, columns) if hxl else None
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return _write_parquet(export, path, tags, warehouse)
    if suffix == ".csv":
        frame = people_frame(export.data, whole_numbers=True)
        if tags is not None:
            frame = pd.concat([pd.DataFrame([tags], columns=frame.columns, dtype=object), frame.astype(object)],
                              ignore_index=True)
        return write_csv(frame, path)
    if export.data.num_rows + 1 + (tags is not None) > EXCEL_ROWS:
        raise ExportError(f"{export.data.num_rows:,} rows do not fit in an Excel sheet: write a .csv or .parquet file "
                          "(or give --cycle)", wrong_argument=False)
    formats = {c: f for c in columns if (f := number_format(c, export.columns[c][0]))}
    frame = people_frame(export.data)
    _check_cells_fit(frame)
    return write_table_workbook(frame, path, _title(export), formats, tags, readme_rows(export, tags, warehouse))


def _check_cells_fit(frame: pd.DataFrame) -> None:
    """Refuse a text longer than an Excel cell holds (``EXCEL_CELL_CHARS``, as written: control
    characters escaped), which a workbook would cut without a word (``meta.publications``'
    input files of a raw folder of some hundred files, as JSON).

    Raises:
        ExportError: naming the column and the row.
    """
    for column in frame.columns:
        if frame[column].dtype != object:
            continue
        try:
            lengths = frame[column].str.len()   # NaN where a cell is no text
        except AttributeError:   # no text in the column
            continue
        # only a text over a sixth of the limit can reach it escaped (an escape: at most 6 characters)
        for number in np.flatnonzero((lengths * 6 > EXCEL_CELL_CHARS).to_numpy(dtype=bool)):
            shown = cell_value(frame[column].iat[number])
            if len(shown) > EXCEL_CELL_CHARS:
                raise ExportError(f"{column} of row {number + 1:,} holds {len(shown):,} characters, more than an Excel "
                                  f"cell holds ({EXCEL_CELL_CHARS:,}): write a .csv or .parquet file", wrong_argument=False)


def _title(export: TableExport) -> str:
    return export.table.split(".")[1] + (f" {export.cycle}" if export.cycle else "")


def about_rows(export: TableExport, hxl: bool, warehouse: str | None) -> list[tuple[str, str]]:
    """(label, text) of the export's README: source, cycle, rows, facts, when, from which file."""
    generated = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    rows = [("source table", export.table), ("description", export.description),
            ("reporting cycle", export.cycle or "every cycle in the warehouse"), ("rows", f"{export.data.num_rows:,}"),
            *export.facts, ("generated", f"{generated} (UTC) by rmrp export")]
    if warehouse:
        path = Path(warehouse).resolve()
        changed = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(microsecond=0).isoformat()
        rows.append(("warehouse file", f"{path} (last written {changed} UTC)"))
    if hxl:
        rows.append(("HXL", "the row under the header holds HXL hashtags (hxlstandard.org 1.1)"))
    return rows


def readme_rows(export: TableExport, tags: list[str] | None, warehouse: str | None) -> list[list[object]]:
    """The README sheet: the facts of ``about_rows``, then every column with its description, type
    and HXL tag."""
    rows: list[list[object]] = [["about this file", ""]]
    rows += [[label, text] for label, text in about_rows(export, tags is not None, warehouse)]
    rows += [[], ["column", "description", "type", "HXL tag" if tags is not None else ""]]
    for index, (column, (kind, description)) in enumerate(export.columns.items()):
        rows.append([column, description, kind, tags[index] if tags is not None else ""])
    return rows


def _write_parquet(export: TableExport, path: Path, tags: list[str] | None, warehouse: str | None) -> Path:
    fields = []
    for index, column in enumerate(export.data.schema):
        meta = {"description": export.columns[column.name][1]}
        if tags is not None and tags[index]:
            meta["hxl"] = tags[index]
        fields.append(column.with_metadata(meta))
    about = {label: text for label, text in about_rows(export, tags is not None, warehouse)}
    table = export.data.cast(pa.schema(fields, metadata={f"rmrp {k}": v for k, v in about.items()}))
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def people_reached_models(con: duckdb.DuckDBPyConnection, cycle: str) -> str:
    """The intersector model of each platform in the months of ``cycle`` (``Peru: sum; ...``)."""
    from rmrp_pipeline.cycles import cycle_window

    start, end = cycle_window(cycle)
    found = con.execute(
        "SELECT platform, string_agg(DISTINCT intersector_model, ', ' ORDER BY intersector_model) "
        "FROM marts.people_reached_monthly WHERE month >= ? AND month < ? AND subsector = 'Intersector' "
        "AND level NOT IN ('platform', 'regional') GROUP BY ALL ORDER BY 1", [start, end]).fetchall()
    return "; ".join(f"{platform}: {models}" for platform, models in found)


def write_people_reached(frame: pd.DataFrame, path: Path, cycle: str, scope: str, models: str,
                         warehouse: str | None = None, hxl: bool = False) -> Path:
    """Write R4V's consolidated-report layout (``r4v_layout.r4v_consolidated_report``) as CSV, or
    as a workbook for people (numbers thousands separated, one page wide, README sheet); with
    ``hxl``, the HXL hashtags of the mart's columns under the header."""
    from rmrp_pipeline.reports.r4v_layout import R4V_COLUMNS

    tags = hxl_tags(registry.MONTHLY, [R4V_COLUMNS[c] for c in frame.columns]) if hxl else None
    if path.suffix.lower() != ".xlsx":
        if tags is not None:
            frame = pd.concat([pd.DataFrame([tags], columns=frame.columns, dtype=object), frame], ignore_index=True)
        return write_csv(frame, path)
    export = TableExport(registry.MONTHLY, cycle, pa.table({"rows": [0] * len(frame)}),
                         warehouse_lib.table_comment(registry.MONTHLY) or "", {})
    export.facts = [("layout", "R4V's consolidated report (docs/domain.md §3.4): R4V's column names, order and check "
                               "texts"), ("months", scope), ("intersector model", models)]
    readme = [["about this file", ""], *([label, text] for label, text in about_rows(export, hxl, warehouse))]
    formats = {c: "#,##0" for c in list(frame.columns)[5:20]}
    return write_table_workbook(frame, path, f"People reached {cycle}", formats, tags, readme)
