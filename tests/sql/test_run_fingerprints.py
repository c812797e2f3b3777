"""defs.assets.run_fingerprints: a reporting cycle's input fingerprint is worked out once per Dagster
run and is the one ``marts.cycle_inputs.input_fingerprints`` gives; the ingest's (``fresh``) replaces it.
It may be kept for a run only because the ingest alone writes the input tables."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from rmrp_pipeline.defs.assets import run_fingerprints
from rmrp_pipeline.marts import cycle_inputs, registry
from rmrp_pipeline.warehouse import db


def test_the_input_tables_are_written_by_the_ingest_alone():
    assert set(cycle_inputs.INPUT_TABLES) <= set(registry.ingested())
    assert registry.STAGED_5W in cycle_inputs.INPUT_TABLES


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    rows = pd.DataFrame({"source_file": ["a.xlsx", "a.xlsx"], "source_sheet": ["5W", "5W"], "source_row": [2, 3],
                         "is_rejected": [False, False],
                         "month": [dt.date(2021, 3, 1), dt.date(2021, 9, 1)], "new_beneficiaries": [10.0, 20.0]})
    db.replace_table(con, registry.STAGED_5W, rows)
    return con


def test_once_per_run_and_equal_to_the_plain_fingerprints():
    con = _warehouse()
    cycles = ["2021-H1", "2021-H2"]
    first = run_fingerprints("run-1", "w.duckdb", con, cycles)
    assert first == cycle_inputs.input_fingerprints(con, cycles)
    # September's row: read by both cycles of 2021 (the mid-year cycle's figures come from tables
    # built a year at a time)
    con.execute(f"UPDATE {registry.STAGED_5W} SET new_beneficiaries = 21 WHERE source_row = 3")
    changed = cycle_inputs.input_fingerprints(con, cycles)
    assert changed["2021-H2"] != first["2021-H2"] and changed["2021-H1"] != first["2021-H1"]
    # the same run keeps what it worked out; the ingest's fresh fingerprints replace it; another run works them out
    assert run_fingerprints("run-1", "w.duckdb", con, ["2021-H2"]) == {"2021-H2": first["2021-H2"]}
    assert run_fingerprints("run-1", "w.duckdb", con, cycles, fresh=True) == changed
    con.execute(f"UPDATE {registry.STAGED_5W} SET new_beneficiaries = 12 WHERE source_row = 2")
    assert run_fingerprints("run-2", "w.duckdb", con, cycles) == cycle_inputs.input_fingerprints(con, cycles)
    assert run_fingerprints("run-2", "other.duckdb", con, ["2021-H1"])["2021-H1"] \
        == cycle_inputs.input_fingerprints(con, ["2021-H1"])["2021-H1"]


def _read_by_cycle_tables() -> set[str]:
    """Every table or view a table filled cycle by cycle reads, directly or through what it reads."""
    declared = {t.name for t in registry.TABLES}
    seen: set[str] = set()
    todo = [t.name for t in registry.by_cycle()]
    while todo:
        name = todo.pop()
        for read in registry.table(name).reads if name in declared else ():
            if read not in seen:
                seen.add(read)
                todo.append(read)
    return seen


def test_every_ingested_table_a_cycle_table_reads_is_an_input():
    """A cycle is stale when what it is built from changed: every table the ingest writes that a
    cycle table reads, through any number of tables and views, is in its fingerprint."""
    read = _read_by_cycle_tables() & set(registry.ingested())
    assert {"meta.quality_findings", "staging.ref_countries"} <= read   # what the check is about
    assert read <= set(cycle_inputs.INPUT_TABLES)


def test_a_finding_or_a_reference_list_that_changes_makes_the_cycles_that_read_it_stale():
    """A finding on a row can change with other files (a row far above the organisation's history)
    while the row does not; a platform's countries are read whole."""
    con = _warehouse()
    cycles = ["2021-H1", "2021-H2"]
    before = cycle_inputs.input_fingerprints(con, [*cycles, "2022-H2"])
    findings = pd.DataFrame({"source_file": ["a.xlsx"], "sheet": ["5W"], "row_number": [3], "rule": ["outlier_of_history"],
                             "value": ["20"], "message": ["far above"], "produced_by": ["checks"]})
    db.replace_table(con, "meta.quality_findings", findings)   # on September's row: both cycles of its year
    september = cycle_inputs.input_fingerprints(con, [*cycles, "2022-H2"])
    assert all(september[c] != before[c] for c in cycles)
    assert september["2022-H2"] == before["2022-H2"]
    con.execute("UPDATE meta.quality_findings SET row_number = 2")   # on March's row: the same cycles, another input
    march = cycle_inputs.input_fingerprints(con, cycles)
    assert all(march[c] != september[c] for c in cycles)
    con.execute("UPDATE meta.quality_findings SET source_file = 'b.xlsx'")   # another file's: no 5W row of 2021
    assert cycle_inputs.input_fingerprints(con, [*cycles, "2022-H2"]) == before
    db.replace_table(con, "staging.ref_countries", pd.DataFrame({"platform": ["Peru"], "country": ["Peru"], "iso3": ["PER"]}))
    countries = cycle_inputs.input_fingerprints(con, cycles)
    assert all(countries[c] != before[c] for c in cycles)


def test_no_sql_outside_the_ingest_and_the_ddl_writes_the_input_tables():
    """What keeping a fingerprint for a run rests on: no SQL file (but the tables' own DDL) and no
    Python module writes one of the input tables by name; the ingest writes them through the registry."""
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "rmrp_pipeline"
    writes = re.compile(r"(INSERT\s+(?:OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE|(?:CREATE\s+(?:OR\s+REPLACE\s+)?|DROP\s+|ALTER\s+)"
                        r"TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?)\s+(" + "|".join(map(re.escape, cycle_inputs.INPUT_TABLES))
                        + r")\b", re.I)
    found = [(str(path.relative_to(package)), match.group(0))
             for path in sorted(package.rglob("*")) if path.suffix in (".sql", ".py") and "ddl" not in path.parts
             for match in writes.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
    assert (package / "warehouse" / "sql" / "ddl" / f"{registry.STAGED_5W}.sql").is_file()   # the files are where looked
