"""marts.cycle_builds: what each cycle's rows were built from, kept in the warehouse beside them; a
cycle is rebuilt when its record is missing or differs (inputs, code, option, the freezes of its year)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from rmrp_pipeline.marts import cycle_builds, freeze, registry
from rmrp_pipeline.warehouse import db


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    rows = pd.DataFrame({"source_file": ["a.xlsx", "b.xlsx"], "source_sheet": ["5W", "5W"], "source_row": [2, 2],
                         "is_rejected": [False, False], "month": [dt.date(2021, 3, 1), dt.date(2022, 3, 1)],
                         "new_beneficiaries": [10.0, 20.0]})
    db.replace_table(con, registry.STAGED_5W, rows)
    return con


def test_every_cycle_is_rebuilt_until_recorded_and_only_what_changed_after():
    con = _warehouse()
    cycles = ["2021-H1", "2021-H2", "2022-H1"]
    assert cycle_builds.to_rebuild(con, cycles, False) == cycles   # no record: every cycle
    cycle_builds.record(con, cycles, False)
    assert cycle_builds.to_rebuild(con, cycles, False) == []
    assert cycle_builds.to_rebuild(con, cycles, True) == cycles   # the other people-reached option

    con.execute(f"UPDATE {registry.STAGED_5W} SET new_beneficiaries = 11 WHERE source_file = 'a.xlsx'")
    assert cycle_builds.to_rebuild(con, cycles, False) == ["2021-H1", "2021-H2"]   # a row of March 2021
    cycle_builds.record(con, ["2021-H1", "2021-H2"], False)
    assert cycle_builds.to_rebuild(con, cycles, False) == []

    cycle_builds.forget(con, ["2022-H1"])   # built in part
    assert cycle_builds.to_rebuild(con, cycles, False) == ["2022-H1"]
    cycle_builds.forget(con, keep=["2021-H1"])   # the others' rows deleted with their data
    assert cycle_builds.recorded(con).keys() == {"2021-H1"}


def test_a_freeze_or_an_unfreeze_rebuilds_both_cycles_of_its_year():
    """The tables built a year at a time keep a frozen cycle's months, which the other cycle of the
    year reads: a freeze or an unfreeze rebuilds both, not the other years."""
    con = _warehouse()
    cycles = ["2021-H1", "2021-H2", "2022-H1"]
    cycle_builds.record(con, cycles, False)
    db.create_table(con, freeze.FREEZES)

    def event(action: str, day: int) -> None:   # as `rmrp freeze` and `rmrp unfreeze` record them
        con.execute(f"INSERT INTO {freeze.FREEZES} (cycle, action, reason, changed_by, changed_at) VALUES "
                    "('2021-H2', ?, 'published', 'im officer', ?)", [action, dt.datetime(2022, 1, day)])

    event("freeze", 20)
    assert cycle_builds.to_rebuild(con, cycles, False) == ["2021-H1", "2021-H2"]
    cycle_builds.record(con, ["2021-H1", "2021-H2"], False)
    assert cycle_builds.to_rebuild(con, cycles, False) == []
    event("unfreeze", 21)
    assert cycle_builds.to_rebuild(con, cycles, False) == ["2021-H1", "2021-H2"]


def test_new_code_rebuilds_every_cycle(monkeypatch):
    con = _warehouse()
    cycles = ["2021-H1", "2022-H1"]
    cycle_builds.record(con, cycles, False)
    monkeypatch.setattr(cycle_builds, "code_fingerprint", lambda: "the next version")
    assert cycle_builds.to_rebuild(con, cycles, False) == cycles
