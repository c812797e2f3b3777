"""The DuckDB warehouse: layers, table definitions, loading frames, running SQL files.

Every table is declared once, in ``sql/ddl/<schema>.<table>.sql`` (column types and the
``COMMENT ON`` text that analysts read in ``meta.data_dictionary``); a mart that only selects
rows of another table is declared there as a view (``is_view``), read like a table. Frames are inserted
``BY NAME`` into those declared tables, so DuckDB never guesses a type from a sample and a
value of the wrong type fails loudly. Derived tables and the intermediate views are SQL files in
``sql/`` (``sql/<schema>.<name>.sql``); the macros they use are stored in the warehouse file
(``sql/macros.sql``), so a saved query runs in any DuckDB shell opened on it.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

SCHEMAS = ("raw", "staging", "marts", "meta")


def sql_text(name: str) -> str:
    """Text of ``sql/<name>.sql`` (``name`` like ``marts.fct_activities`` or ``ddl/meta.load_log``)."""
    folder, _, file = name.rpartition("/")
    package = "rmrp_pipeline.warehouse.sql" + (f".{folder}" if folder else "")
    return resources.files(package).joinpath(f"{file}.sql").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def table_comment(name: str) -> str | None:
    """The ``COMMENT ON TABLE`` (or ``VIEW``) text of a table or view as its SQL declares it: the
    DDL ``sql/ddl/<name>.sql`` of a table, else ``sql/<name>.sql`` (a view); None when it has none.

    Raises:
        FileNotFoundError: neither file exists.
    """
    try:
        text = sql_text(f"ddl/{name}")
    except FileNotFoundError:
        text = sql_text(name)
    found = re.search(rf"COMMENT ON (?:TABLE|VIEW) {re.escape(name)} IS '((?:[^']|'')*)'", text)
    return found.group(1).replace("''", "'") if found else None


#: The connections inside a transaction begun by ``_one_transaction`` (``rewrite_rows`` uses it).
_IN_TRANSACTION: weakref.WeakSet = weakref.WeakSet()
#: The connections ``ensure_schemas`` has prepared (forgotten when a transaction of theirs rolls back).
_SCHEMAS_READY: weakref.WeakSet = weakref.WeakSet()


@contextmanager
def _one_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the statements inside in one transaction: the one this module has open on ``con``, else
    one begun here, committed at the end and rolled back on an error (a DDL file is a statement per
    column comment, and DuckDB writes every statement it commits on its own to disk)."""
    if con in _IN_TRANSACTION:
        yield
        return
    con.execute("BEGIN TRANSACTION")
    _IN_TRANSACTION.add(con)
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        _SCHEMAS_READY.discard(con)
        raise
    else:
        con.execute("COMMIT")
    finally:
        _IN_TRANSACTION.discard(con)


#: DuckDB's memory while the ingest writes its tables: the pages of a table written stay in its
#: buffer pool up to the limit (by default 80% of the machine's memory; 500 MiB more for the 1M-row
#: 5W table), and written pages can always be evicted to the file.
WRITE_MEMORY_LIMIT = "256MB"


@contextmanager
def write_memory(con: duckdb.DuckDBPyConnection, limit: str = WRITE_MEMORY_LIMIT) -> Iterator[None]:
    """DuckDB's ``memory_limit`` set to ``limit`` for the statements inside, then reset."""
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        con.execute("RESET memory_limit")


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Create the layer schemas and the data-dictionary view if missing, and the macros that the
    derived tables' SQL uses (``sql/macros.sql``, stored in the warehouse file)."""
    with _one_transaction(con):
        for schema in SCHEMAS:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.execute(sql_text("meta.data_dictionary"))
        con.execute(sql_text("macros"))
    _SCHEMAS_READY.add(con)


def create_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Run the table's DDL (``CREATE OR REPLACE`` for full-refresh tables, ``IF NOT EXISTS`` for
    tables filled piece by piece); the comments are re-applied every time, the schemas and macros
    once per connection (``ensure_schemas``). A table declared as a view replaces the table of that
    name a warehouse built before may hold (``CREATE OR REPLACE VIEW`` refuses to replace a table)."""
    with _one_transaction(con):
        if con not in _SCHEMAS_READY:
            ensure_schemas(con)
        if is_view(table):
            _drop_table_of_view(con, table)
        con.execute(sql_text(f"ddl/{table}"))


def _drop_table_of_view(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Drop the table named ``table`` (declared as a view) when the warehouse holds one."""
    schema, name = table.split(".")
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                   "AND schema_name = ? AND table_name = ?", [schema, name]).fetchone()[0]:
        con.execute(f"DROP TABLE {table}")


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame | pa.Table) -> int:
    """Recreate ``table`` from its DDL and insert ``frame`` (pandas or Arrow) by column name;
    returns rows inserted."""
    create_table(con, table)
    return insert_frame(con, table, frame)


#: The column of an ingested table naming the file each row comes from: ``sync_table`` compares and
#: rewrites the rows of a table file by file.
SOURCE_FILE = "source_file"


def sync_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame | pa.Table) -> tuple[int, int]:
    """Make ``table`` hold exactly the rows of ``frame`` (pandas or Arrow), as ``replace_table``
    does, rewriting only the rows of the files whose rows differ (``_sync_rows``); otherwise, or when
    more than half of the rows changed, the table is replaced. Returns (rows written, rows kept).

    Raises:
        duckdb.Error: a column is missing from the table or a value does not fit its type.
    """
    names = frame.column_names if isinstance(frame, pa.Table) else [str(c) for c in frame.columns]
    if len(frame) == 0 or not _syncable(con, table, names):
        return replace_table(con, table, frame), 0
    with _registered(con, frame) as name:
        synced = _sync_rows(con, table, name)
    return synced if synced is not None else (replace_table(con, table, frame), 0)


def _syncable(con: duckdb.DuckDBPyConnection, table: str, names: list[str]) -> bool:
    """Whether rows with the columns ``names`` can be synced into ``table`` file by file: it exists
    as its DDL declares it (structure and comments), has a ``source_file`` column, and ``names``
    hold every column it stores."""
    columns = stored_columns(table)
    return (SOURCE_FILE in columns and set(columns) <= set(names)
            and _structure(con, table) == _declared(table).structure)


def _sync_rows(con: duckdb.DuckDBPyConnection, table: str, source: str) -> tuple[int, int] | None:
    """Compare the rows of ``source`` (a registered frame) with those of
    ``table`` file by file (``source_file``), as multisets: count, and an order-free sum of 64-bit
    row hashes over every stored column cast to its declared type (the method of
    ``marts.cycle_inputs``). The rows of the files that differ, appeared or went are deleted and
    those of ``source`` inserted, in one transaction; the others are kept as they are. Returns
    (rows written, rows kept), or None, with nothing written, when more than half of the rows
    changed. What is kept is not re-read: equal counts and hash sums stand for equal rows (a chance
    of about 2**-64 per file)."""
    columns = stored_columns(table)
    digest = ("SELECT " + SOURCE_FILE + ", count(*) AS n, sum(hash(" +
              ", ".join(f'CAST("{c}" AS {t})' for c, t in columns.items()) + ")) AS h FROM {} t GROUP BY ALL")
    with _one_transaction(con):
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _files_compared AS
                        SELECT coalesce(new.{SOURCE_FILE}, old.{SOURCE_FILE}) AS {SOURCE_FILE},
                               coalesce(new.n, 0) AS new_rows,
                               new.n IS DISTINCT FROM old.n OR new.h IS DISTINCT FROM old.h AS changed
                        FROM ({digest.format(source)}) new
                        FULL JOIN ({digest.format(table)}) old ON new.{SOURCE_FILE} IS NOT DISTINCT FROM old.{SOURCE_FILE}""")
        written, total = con.execute(
            "SELECT coalesce(sum(new_rows) FILTER (WHERE changed), 0), coalesce(sum(new_rows), 0) FROM _files_compared"
        ).fetchone()
        if written > total / 2:
            con.execute("DROP TABLE _files_compared")
            return None
        changed = (f"EXISTS (SELECT 1 FROM _files_compared c "
                   f"WHERE c.changed AND c.{SOURCE_FILE} IS NOT DISTINCT FROM t.{SOURCE_FILE})")
        con.execute(f"DELETE FROM {table} t WHERE {changed}")
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {source} t WHERE {changed}")
        con.execute("DROP TABLE _files_compared")
    return int(written), int(total) - int(written)


def _structure(con: duckdb.DuckDBPyConnection, table: str) -> tuple | None:
    """What a table's DDL decides, as DuckDB holds it: its ``CREATE TABLE`` statement (columns,
    types, constraints, generated columns), its comment and its columns' comments; None when the
    table does not exist."""
    schema, name = table.split(".")
    found = con.execute(
        "SELECT sql, comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name = ? AND table_name = ?", [schema, name]).fetchone()
    if found is None:
        return None
    comments = con.execute(
        "SELECT column_name, comment FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [schema, name]).fetchall()
    return found[0], found[1], tuple(comments)


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame | pa.Table) -> int:
    """Insert ``frame`` (a pandas frame, or an Arrow table such as ``arrow_table`` makes) into the
    declared ``table`` by column name; returns rows inserted.

    Raises:
        duckdb.Error: a column is missing from the table or a value does not fit its type.
    """
    if len(frame) == 0:
        return 0
    with _registered(con, frame) as name:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
    return len(frame)


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame | pa.Table) -> Iterator[str]:
    """``frame`` registered on ``con`` as a view (as Arrow, ``arrow_table``, when it can be) for the
    statements inside; yields the view's name, unregistered at the end."""
    arrow = frame if isinstance(frame, pa.Table) else arrow_table(frame)
    con.register("_frame_to_insert", arrow if arrow is not None else frame)
    try:
        yield "_frame_to_insert"
    finally:
        con.unregister("_frame_to_insert")


def arrow_table(frame: pd.DataFrame, coded: dict[str, tuple[np.ndarray, list | np.ndarray]] | None = None) -> pa.Table | None:
    """``frame`` as an Arrow table that DuckDB reads without visiting a Python object per cell
    (what its pandas scan does): text columns dictionary-encoded (one Python string read per
    distinct value), columns of ``datetime.date`` as date32, object columns of Python numbers or
    booleans as Arrow infers them, an object column without a value as Arrow's null type (so that
    tables of the same rows concatenate whatever their values), other dtypes as pandas gives them
    to Arrow (NaN, NaT and NA are NULL, as DuckDB reads them from pandas). A column of ``coded``
    (name -> (codes, value of each code): the frame's column is ``values[codes]``) is encoded from
    its codes, without reading the frame's cells. None when an object column mixes types: DuckDB
    then reads the frame itself."""
    arrays = []
    for name in frame.columns:
        array = dictionary_column(*coded[name]) if coded and name in coded else None
        array = array if array is not None else _arrow_column(frame[name])
        if array is None:
            return None
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=[str(name) for name in frame.columns])


def dictionary_column(codes: np.ndarray, values: list | np.ndarray) -> pa.Array | None:
    """The text column ``values[codes]`` (a value per code: text, or None or NaN for an empty
    cell) as an Arrow dictionary array; None when a value is neither."""
    values = list(values)
    if not all(v is None or isinstance(v, str) or (isinstance(v, float) and np.isnan(v)) for v in values):
        return None
    empty = np.array([not isinstance(v, str) for v in values], dtype=bool)
    dictionary = pa.array(["" if e else v for v, e in zip(values, empty)], type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32, copy=False), mask=empty[codes]), dictionary)


def _arrow_column(column: pd.Series) -> pa.Array | None:
    """One column for ``arrow_table`` (None when its object cells mix types)."""
    try:
        if column.dtype != object:
            return pa.Array.from_pandas(column)
        kind = pd.api.types.infer_dtype(column, skipna=True)
        if kind in ("integer", "floating", "mixed-integer-float", "boolean"):  # Python numbers
            return pa.array(column.to_numpy(), from_pandas=True)
        if kind == "empty":   # no value: NULL of Arrow's null type, which takes the type of the
            return pa.nulls(len(column))   # column it is concatenated with or inserted into
        if kind not in ("string", "date"):
            return None
        head = column.iloc[:2000]
        if kind == "string" and head.nunique() * 2 > len(head):
            # Mostly distinct texts (messages): a dictionary would be as long as the column.
            return pa.array(column.to_numpy(), type=pa.string(), from_pandas=True)
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        if kind == "date":
            return pa.array(uniques.tolist(), type=pa.date32()).take(pa.array(codes.astype(np.int32), mask=codes < 0))
        return dictionary_column(np.where(codes < 0, len(uniques), codes), uniques.tolist() + [None])
    except (pa.ArrowException, ValueError, TypeError):
        return None


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> None:
    """Execute the SQL file ``sql/<name>.sql`` with named parameters (``$name``)."""
    con.execute(sql_text(name), params or {})


def set_variables(con: duckdb.DuckDBPyConnection, values: dict[str, Any]) -> None:
    """Set DuckDB variables (``SET VARIABLE``) on the connection: the scope the intermediate views
    read with ``getvariable(name)``; a value None resets the variable (the views' default scope)."""
    for name, value in values.items():
        if not re.fullmatch(r"[a-z_]+", name):
            raise ValueError(f"not a variable name: {name!r}")
        if value is None:
            con.execute(f"RESET VARIABLE {name}")
        else:
            con.execute(f"SET VARIABLE {name} = ?", [value])


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether ``table`` (``schema.name``) exists, as a table or as a view."""
    schema, name = table.split(".")
    return bool(con.execute(
        "SELECT count(*) FROM (SELECT schema_name, table_name FROM duckdb_tables() UNION ALL "
        "SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal) WHERE schema_name = ? AND table_name = ?",
        [schema, name]).fetchone()[0])


@lru_cache(maxsize=None)
def is_view(table: str) -> bool:
    """Whether the DDL of ``table`` (``sql/ddl/<table>.sql``) declares a view: nothing to fill, the
    view reads its table's rows when queried."""
    return re.search(rf"^CREATE OR REPLACE VIEW {re.escape(table)}\b", sql_text(f"ddl/{table}"), re.M) is not None


#: The views the layers' listings count with the tables (the marts' views: analysts read them like
#: tables), for ``layer_tables``.
_LAYER_RELATIONS = (
    "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
    "UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database() "
    "AND NOT internal AND schema_name = 'marts'")


def layer_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table of the layers (``SCHEMAS``) and the marts' views, as ``schema.name``, sorted: what
    a publication's row counts and the run's summary list (the intermediate views of staging and
    ``meta.data_dictionary`` left out)."""
    schemas = ", ".join(f"'{s}'" for s in SCHEMAS)
    return [f"{s}.{t}" for s, t in con.execute(
        f"SELECT schema_name, table_name FROM ({_LAYER_RELATIONS}) WHERE schema_name IN ({schemas}) ORDER BY 1, 2"
    ).fetchall()]


def row_count(con: duckdb.DuckDBPyConnection, table: str, where: str = "") -> int:
    """Number of rows of ``table`` (those matching ``where``, a ``WHERE ...`` clause, if given)."""
    return int(con.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0])


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str | None]]:
    """(column, type, comment) of ``table`` from DuckDB's catalogue, in column order."""
    schema, name = table.split(".")
    return con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() "
        "WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
        [schema, name],
    ).fetchall()


def preview(con: duckdb.DuckDBPyConnection, table: str, limit: int = 10, where: str = "") -> pd.DataFrame:
    """First ``limit`` rows of ``table`` (free-text columns left out: they may hold personal data)."""
    free_text = {"activity_name", "activity_description", "message", "value"}
    columns = [c for c, _t, _d in table_columns(con, table) if c not in free_text]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return con.execute(f"SELECT {quoted} FROM {table} {where} LIMIT {int(limit)}").df()


class StaleTableError(RuntimeError):
    """A table a build reads is missing, or was built by another version of the pipeline."""


def column_types(con: duckdb.DuckDBPyConnection, table: str) -> tuple[tuple[str, str], ...]:
    """(column, type) of ``table`` in column order; empty when the table does not exist."""
    return tuple((c, t) for c, t, _ in table_columns(con, table))


_SCRATCH_LOCK = threading.Lock()   # one connection, used by one thread at a time


@lru_cache(maxsize=1)
def _scratch() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@dataclass(frozen=True)
class _Declared:
    """What a table's DDL makes, read once per table and process on one in-memory scratch database
    the process keeps (opening a database costs more than a DDL)."""

    columns: tuple[tuple[str, str], ...]   # (column, type) in order
    generated: frozenset[str]              # the generated columns (computed, not stored)
    structure: tuple                       # ``_structure``: statement, comments


@lru_cache(maxsize=None)
def _declared(table: str) -> _Declared:
    schema, name = table.split(".")
    with _SCRATCH_LOCK:
        _create_with_reads(_scratch(), table)
        generated = frozenset(c for c, in _scratch().execute(
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
            "AND table_schema = ? AND table_name = ? AND is_generated = 'ALWAYS'", [schema, name]).fetchall())
        return _Declared(column_types(_scratch(), table), generated, _structure(_scratch(), table))


def _create_with_reads(con: duckdb.DuckDBPyConnection, table: str, depth: int = 0) -> None:
    """``create_table`` on the scratch database; for a view, the tables it reads made first from
    their DDL (named by DuckDB's error, a few levels at most)."""
    try:
        create_table(con, table)
    except duckdb.CatalogException as exc:
        missing = re.search(r"Table with name (\w+) does not exist", str(exc))
        read = missing and re.search(rf"\b(\w+\.{missing.group(1)})\b", sql_text(f"ddl/{table}"))
        if not read or depth > 3:
            raise
        _create_with_reads(con, read.group(1), depth + 1)
        create_table(con, table)


def declared_columns(table: str) -> tuple[tuple[str, str], ...]:
    """(column, type) of ``table`` as its DDL declares them."""
    return _declared(table).columns


def stored_columns(table: str) -> dict[str, str]:
    """{column: type} of the columns of ``table`` that hold values (its generated columns left
    out), in order, as its DDL declares them."""
    declared = _declared(table)
    return {c: t for c, t in declared.columns if c not in declared.generated}


def require_current(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> None:
    """Check that every table of ``tables`` exists with the columns its DDL declares.

    Raises:
        StaleTableError: a table is missing or has other columns (a warehouse built by an older
            version of the pipeline): the message says to run the ingest first.
    """
    for table in tables:
        existing = column_types(con, table)
        if not existing:
            raise StaleTableError(f"{table} does not exist: run the ingest first (rmrp run, or ingest_job in the UI)")
        if existing != declared_columns(table):
            raise StaleTableError(
                f"{table} was built by another version of the pipeline (its columns differ from sql/ddl/{table}.sql): "
                "run the ingest first (rmrp run, or ingest_job in the UI)")


def rewrite_rows(con: duckdb.DuckDBPyConnection, table: str, where: str, params: dict[str, Any],
                 sources: tuple[str, ...] = (), steps: tuple[str, ...] = ()) -> None:
    """Replace the rows of a table filled piece by piece (one reporting cycle, one year), in one
    transaction: first its ``steps`` in order, each an intermediate view (``sql/<step>.sql``,
    recreated) or an intermediate table filled piece by piece like ``table`` (it has a DDL; its
    rows matching ``where`` rewritten from ``sql/<step>.sql``, which takes no parameters); then
    ``table``: recreated from its DDL if its columns changed (its other pieces are rebuilt by the
    next run), its rows matching ``where`` (``WHERE ...``) deleted and ``sql/<table>.sql`` inserted
    with ``params``. A failure leaves every table and view as it was.

    Raises:
        StaleTableError: a table of ``sources`` is missing or out of date (``require_current``).
        duckdb.Error: the SQL failed (the transaction is rolled back).
    """
    require_current(con, sources)
    with _one_transaction(con):
        for step in steps:
            if _has_ddl(step):
                _rewrite_piece(con, step, where, {})
            else:
                run_sql(con, step)
        _rewrite_piece(con, table, where, params)


def _has_ddl(name: str) -> bool:
    return resources.files("rmrp_pipeline.warehouse.sql.ddl").joinpath(f"{name}.sql").is_file()


def _rewrite_piece(con: duckdb.DuckDBPyConnection, table: str, where: str, params: dict[str, Any]) -> None:
    existing = column_types(con, table)
    if existing and existing != declared_columns(table):
        con.execute(f"DROP TABLE {table}")
    create_table(con, table)
    con.execute(f"DELETE FROM {table} {where}")
    run_sql(con, table, params)
