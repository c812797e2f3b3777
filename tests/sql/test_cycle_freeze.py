"""Cycle freezes on a small warehouse: the events and the freeze state, the one-line refusals, the
rows kept when the 5W data of a cycle is gone, the figure-by-figure comparison, the summary line,
the CLI and the Dagster jobs. The whole-pipeline acceptance is tests/e2e/test_cycle_freeze.py."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import dagster as dg
import duckdb
import pandas as pd
import pytest
from dagster_duckdb import DuckDBResource

from rmrp_pipeline.cli import main
from rmrp_pipeline.definitions import build_definitions
from rmrp_pipeline.marts import builds, registry
from rmrp_pipeline.marts.freeze import FreezeError, freeze_cycle, frozen_cycles, kept_rows, unfreeze_cycle
from rmrp_pipeline.marts.revisions import compare
from rmrp_pipeline.reports.summary import frozen_cycle_lines
from rmrp_pipeline.warehouse import db as warehouse

T0 = dt.datetime(2021, 8, 2, 9, 0)


def _cycle_rows(con, cycle: str, total: int, month: str) -> None:
    """The regional Intersector row of ``cycle`` in marts.cycle_people_reached."""
    con.execute(
        "INSERT INTO marts.cycle_people_reached (cycle, level, platform, admin1, subsector, intersector_model, "
        "only_rmrp_activities, cycle_end_month, last_month_with_data, months_with_reports, is_complete, "
        "consolidated_total, consolidated_cva, plan_year) VALUES (?, 'regional', 'Regional', 'Regional level', "
        "'Intersector', 'sum', false, DATE '2021-06-01', ?, 1, false, ?, 0, 2021)", [cycle, month, total])


@pytest.fixture()
def small(tmp_path):
    """A warehouse file with the cycle tables, an empty 5W staging table and figures of 2021-H1."""
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    for table in registry.frozen_by_cycle():
        warehouse.create_table(con, table.name)
    for table in ("staging.stg_5w__activities", "raw.source_files"):
        warehouse.create_table(con, table)
    _cycle_rows(con, "2021-H1", 3_149_943, "2021-05-01")
    yield path, con
    con.close()


def test_freeze_and_unfreeze_keep_every_event_and_the_latest_decides(small):
    _path, con = small
    freeze_cycle(con, "2021-H1", "mid-year report published", by="alice", at=T0)
    assert frozen_cycles(con)["2021-H1"].changed_by == "alice"
    unfreeze_cycle(con, "2021-H1", "late corrections accepted", by="bob", at=T0 + dt.timedelta(days=30))
    assert frozen_cycles(con) == {}
    freeze_cycle(con, "2021-H1", "mid-year report republished", by="carol", at=T0 + dt.timedelta(days=31))
    events = con.execute("SELECT action, changed_by, reason FROM meta.cycle_freezes ORDER BY changed_at").fetchall()
    assert events == [("freeze", "alice", "mid-year report published"), ("unfreeze", "bob", "late corrections accepted"),
                      ("freeze", "carol", "mid-year report republished")]
    assert frozen_cycles(con)["2021-H1"].reason == "mid-year report republished"


def test_the_login_name_is_who_froze_when_no_one_is_named(small, monkeypatch):
    _path, con = small
    monkeypatch.setattr("getpass.getuser", lambda: "im-officer")
    assert freeze_cycle(con, "2021-H1", "published").changed_by == "im-officer"


@pytest.mark.parametrize(("act", "cycle", "reason", "message"), [
    (freeze_cycle, "2021-H3", "x", "reporting cycle must look like 2021-H1 or 2021-H2, not '2021-H3'"),
    (freeze_cycle, "H1-2021", "x", "reporting cycle must look like 2021-H1 or 2021-H2, not 'H1-2021'"),
    (freeze_cycle, "2021-H1", "  ", 'give the reason with --reason, e.g. --reason "mid-year report published"'),
    (freeze_cycle, "2021-H1", None, 'give the reason with --reason, e.g. --reason "mid-year report published"'),
    (freeze_cycle, "2024-H1", "x", "2024-H1 has no figures in this warehouse: nothing to freeze "
                                   "(run `rmrp run` with its 5W data first)"),
    (unfreeze_cycle, "2021-H1", "x", "2021-H1 is not frozen (frozen cycles: none)"),
])
def test_what_cannot_be_frozen_or_unfrozen_is_refused_in_one_line(small, act, cycle, reason, message):
    _path, con = small
    with pytest.raises(FreezeError) as error:
        act(con, cycle, reason)
    assert str(error.value) == message
    assert not warehouse.table_exists(con, "meta.cycle_freezes") or warehouse.row_count(con, "meta.cycle_freezes") == 0


def test_an_end_year_cycle_never_built_is_refused_though_its_year_has_monthly_figures(small):
    """2021-H1 was built, so marts.people_reached_monthly holds January to June 2021; 2021-H2 was not."""
    _path, con = small
    columns = [c for c, in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = 'people_reached_monthly' "
        "AND NOT is_nullable AND column_name NOT IN ('platform', 'admin1', 'month', 'subsector')").fetchall()]
    con.execute(f"INSERT INTO marts.people_reached_monthly (platform, admin1, month, subsector, {', '.join(columns)}) "
                f"VALUES ('Regional', 'Regional level', DATE '2021-03-01', 'Intersector', {', '.join('0' for _ in columns)})")
    with pytest.raises(FreezeError, match=r"^2021-H2 has no figures in this warehouse"):
        freeze_cycle(con, "2021-H2", "x")
    assert freeze_cycle(con, "2021-H1", "x").cycle == "2021-H1"


def test_a_frozen_cycle_cannot_be_frozen_twice(small):
    _path, con = small
    freeze_cycle(con, "2021-H1", "published", by="alice", at=T0)
    with pytest.raises(FreezeError, match=r"^2021-H1 is already frozen \(on 2021-08-02 09:00 UTC by alice: published\)"):
        freeze_cycle(con, "2021-H1", "again")


def test_a_frozen_cycle_whose_5w_rows_are_gone_keeps_its_rows(small):
    _path, con = small
    _cycle_rows(con, "2023-H1", 715, "2023-01-01")
    freeze_cycle(con, "2021-H1", "published", by="alice", at=T0)
    warehouse.create_table(con, "meta.cycle_revisions")
    con.execute("INSERT INTO meta.cycle_revisions (cycle, table_name, figure_key, change, found_at) "
                "SELECT c, 'marts.cycle_people_reached', 'k', 'removed', now() FROM (VALUES ('2021-H1'), ('2023-H1')) t(c)")
    builds.drop_cycles_without_data(con, [])   # no 5W row of any cycle left
    kept = con.execute("SELECT cycle, consolidated_total FROM marts.cycle_people_reached ORDER BY cycle").fetchall()
    assert kept == [("2021-H1", 3_149_943)]
    assert con.execute("SELECT cycle FROM meta.cycle_revisions").fetchall() == [("2021-H1",)]
    assert builds.cycles_to_build(con) == ["2021-H1"]   # a run still builds it (its revisions)


def test_the_comparison_names_each_changed_figure_and_each_row_added_or_removed():
    frozen = pd.DataFrame({"figure_key": ["level=regional", "level=country, country_iso3=COL", "level=country, country_iso3=ECU"],
                           "_platform": ["Regional", "Colombia", "Ecuador"], "_country_iso3": [None, "COL", "ECU"],
                           "consolidated_total": [3_149_943, 1_799_190, 10], "share_of_target": [0.25, None, None],
                           "share_note": [None, "No target", "No target"]})
    now = pd.DataFrame({"figure_key": ["level=regional", "level=country, country_iso3=COL", "level=country, country_iso3=PER"],
                        "_platform": ["Regional", "Colombia", "Peru"], "_country_iso3": [None, "COL", "PER"],
                        "consolidated_total": [3_150_943, 1_799_190, 5], "share_of_target": [0.25 + 1e-15, None, None],
                        "share_note": [None, "No target", "No target"]})
    found = compare("marts.cycle_people_reached", frozen, now).sort_values("figure_key").reset_index(drop=True)
    assert found[["figure_key", "column_name", "change", "frozen_value", "current_value"]].values.tolist() == [
        ["level=country, country_iso3=ECU", None, "removed", None, None],
        ["level=country, country_iso3=PER", None, "added", None, None],
        ["level=regional", "consolidated_total", "changed", "3149943", "3150943"],
    ]
    assert found["difference"].iloc[2] == 1000 and found["country_iso3"].tolist() == ["ECU", "PER", None]


def test_the_summary_has_one_line_per_frozen_cycle(small):
    _path, con = small
    freeze_cycle(con, "2021-H1", "mid-year report published", by="alice", at=T0)
    warehouse.create_table(con, "meta.cycle_revisions")
    con.execute("INSERT INTO meta.cycle_revisions (cycle, table_name, figure_key, change, found_at) "
                "SELECT '2021-H1', 'marts.cycle_people_reached', 'k' || i, 'changed', now() FROM range(3) t(i)")
    assert frozen_cycle_lines(con)[2:] == [
        "  2021-H1 frozen on 2021-08-02 by alice (mid-year report published): 3 figures would change; see",
        "    meta.cycle_revisions"]
    unfreeze_cycle(con, "2021-H1", "corrections")
    assert frozen_cycle_lines(con) == []


def test_the_cli_freezes_and_unfreezes_and_says_what_is_wrong_in_one_line(small, capsys):
    path, con = small
    con.close()
    base = ["--warehouse", str(path)]
    assert main(["freeze", "2021-H1", "--reason", "mid-year report published", "--by", "alice", *base]) == 0
    assert capsys.readouterr().out.startswith("2021-H1 frozen on ")
    for argv, message in (
        (["freeze", "2021-H3", "--reason", "x"], "rmrp freeze: reporting cycle must look like 2021-H1 or 2021-H2, not '2021-H3'"),
        (["freeze", "2021-H2"], 'rmrp freeze: give the reason with --reason, e.g. --reason "mid-year report published"'),
        (["unfreeze", "2022-H1", "--reason", "x"], "rmrp unfreeze: 2022-H1 is not frozen (frozen cycles: 2021-H1)"),
    ):
        assert main([*argv, *base]) == 2
        assert capsys.readouterr().err.strip() == message
    assert main(["freeze", "2021-H1", "--reason", "x", "--warehouse", str(path.parent / "none.duckdb")]) == 2
    assert capsys.readouterr().err.strip() == f"rmrp freeze: no warehouse at {path.parent / 'none.duckdb'}: run `rmrp run` first, or give --warehouse"
    assert main(["unfreeze", "2021-H1", "--reason", "corrections accepted", *base]) == 0
    with duckdb.connect(str(path), read_only=True) as check:
        assert check.execute("SELECT action, changed_by FROM meta.cycle_freezes ORDER BY changed_at").fetchall()[0] == \
            ("freeze", "alice")
        assert frozen_cycles(check) == {}


def test_the_dagster_jobs_freeze_and_refuse_in_one_line(small):
    path, con = small
    con.close()
    defs = build_definitions("data/raw", str(path))
    config = {"ops": {"freeze_cycle_op": {"config": {"cycle": "2021-H1", "reason": "published", "by": "ui-user"}}}}
    assert defs.resolve_job_def("freeze_cycle_job").execute_in_process(run_config=config).success
    refused = defs.resolve_job_def("unfreeze_cycle_job").execute_in_process(
        run_config={"ops": {"unfreeze_cycle_op": {"config": {"cycle": "2021-H3", "reason": "x"}}}}, raise_on_error=False)
    assert not refused.success
    failure = next(e for e in refused.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE)
    assert failure.step_failure_data.user_failure_data.description == \
        "reporting cycle must look like 2021-H1 or 2021-H2, not '2021-H3'"
    with DuckDBResource(database=str(path)).get_connection() as check:   # the configuration the jobs' connections have
        assert frozen_cycles(check)["2021-H1"].changed_by == "ui-user"


def test_a_table_recreated_for_new_columns_gets_the_frozen_rows_back(small):
    _path, con = small
    con.execute("ALTER TABLE marts.cycle_outputs DROP COLUMN pillar")   # as an older version of the pipeline wrote it
    con.execute("INSERT INTO marts.cycle_outputs (cycle, plan_year, reported_unit, report_rows, months_with_reports, "
                "first_month, last_month, reported_value) VALUES ('2021-H1', 2021, 'persons', 3, 2, DATE '2021-01-01', "
                "DATE '2021-02-01', 41), ('2022-H2', 2022, 'persons', 1, 1, DATE '2022-08-01', DATE '2022-08-01', 7)")
    freeze_cycle(con, "2021-H1", "published", by="alice", at=T0)
    with kept_rows(con, ["marts.cycle_outputs"], "2022-H2"):
        con.execute("DROP TABLE marts.cycle_outputs")   # what a rewrite does to a table whose columns changed
        warehouse.create_table(con, "marts.cycle_outputs")
    assert con.execute("SELECT cycle, reported_value, report_rows, pillar FROM marts.cycle_outputs").fetchall() == [
        ("2021-H1", 41.0, 3, None)]


def test_a_warehouse_another_process_writes_is_refused_in_one_line(small, capsys):
    path, con = small
    con.close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        code = main(["freeze", "2021-H1", "--reason", "published", "--warehouse", str(path)])
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err.strip()
    assert code == 1 and err.startswith("rmrp freeze: ") and str(path) in err and "\n" not in err


def test_a_freeze_is_published_beside_an_analyst_holding_the_warehouse_open(small, capsys):
    """An analyst's read-only connection neither blocks the freeze nor sees it half-written: it keeps
    the publication it opened, and a new connection sees the freeze."""
    path, con = small
    con.close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
                               "q = \"SELECT count(*) FROM duckdb_tables() WHERE table_name = 'cycle_freezes'\"; print(c.execute(q).fetchone()[0], flush=True); "
                               "sys.stdin.readline(); print(c.execute(q).fetchone()[0], flush=True)", str(path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        before = holder.stdout.readline().strip()
        assert before == "0"   # no freeze table yet: the analyst's connection must keep seeing none
        assert main(["freeze", "2021-H1", "--reason", "published", "--by", "alice", "--warehouse", str(path)]) == 0
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == before
    finally:
        holder.kill()
        holder.wait()
    with duckdb.connect(str(path), read_only=True) as check:
        assert set(frozen_cycles(check)) == {"2021-H1"}
