"""warehouse.publish without the pipeline: where a build cannot be made (one line, at once), a
disk that fills during the copy, the lock and what it says of its holder, a build that another
publication overtook, the publication history."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from rmrp_pipeline.cli import main
from rmrp_pipeline.warehouse import publish
from tests.conftest import RAW_DIR


def _published(path: Path, rows: int = 3) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(f"CREATE TABLE marts.t AS SELECT range AS i FROM range({rows})")
    return path


def test_the_connection_string_is_a_file_path_and_other_catalogues_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert publish.published_path("w/rmrp.duckdb") == tmp_path / "w" / "rmrp.duckdb"
    assert publish.published_path(f"duckdb:{tmp_path}/x.duckdb") == tmp_path / "x.duckdb"
    for target in ("md:rmrp", "ducklake:metadata.ducklake", "s3://bucket/rmrp.duckdb"):
        with pytest.raises(publish.PublishError, match="not a local DuckDB file"):
            publish.published_path(target)
    assert publish.location_problem("md:rmrp").endswith("(docs/operations.md: other targets)")


def test_a_folder_where_the_file_should_be_is_one_line(tmp_path):
    assert publish.location_problem(tmp_path) == (
        f"the warehouse path {tmp_path} is a folder; give a file, e.g. {tmp_path / 'rmrp.duckdb'}")


def test_a_folder_where_no_file_can_be_created_is_one_line():
    problem = publish.location_problem("/proc/rmrp.duckdb")
    assert problem.startswith("cannot open the warehouse /proc/rmrp.duckdb for writing: no file can be created in /proc")


def test_a_file_that_is_not_duckdb_is_refused_before_anything_is_built(tmp_path):
    target = tmp_path / "rmrp.duckdb"
    target.write_text("not a database")
    assert publish.location_problem(target).startswith(f"cannot open the warehouse {target}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rmrp.duckdb"]


def test_too_little_free_space_is_refused_with_the_sizes(tmp_path):
    target = _published(tmp_path / "rmrp.duckdb")
    free = shutil.disk_usage(tmp_path).free
    assert publish.location_problem(target, needed_bytes=free * 2).startswith(
        f"not enough free space in {tmp_path} to build the warehouse: ")


def test_a_disk_full_during_the_copy_is_one_line_and_leaves_nothing_behind(tmp_path, monkeypatch, capsys):
    target = _published(tmp_path / "rmrp.duckdb")
    before = target.read_bytes()

    def full(_source, _copy, _length):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publish.shutil, "copyfileobj", full)
    code = main(["run", "--raw-dir", str(RAW_DIR), "--warehouse", str(target)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err
    assert err.startswith(f"rmrp run: cannot copy the warehouse {target} to its build file .rmrp.duckdb.build-rmrp-")
    assert err.endswith(": no space left on the device; free some space (old builds, backups) and run again")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".rmrp.duckdb.lock", "rmrp.duckdb"]


def test_the_lock_names_its_holder_and_a_second_run_is_refused_at_once(tmp_path):
    target = tmp_path / "rmrp.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from rmrp_pipeline.warehouse import publish\n"
         "with publish.writer_lock(Path(sys.argv[1]), 'rmrp-test-run'):\n print('held', flush=True); time.sleep(60)",
         str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(publish.WarehouseBusy) as busy:
            with publish.writer_lock(target, "second"):
                pass
        told = []
        with pytest.raises(publish.WarehouseBusy):
            with publish.writer_lock(target, "second", wait_seconds=0.5, say=told.append):
                pass
    finally:
        holder.kill()
        holder.wait()
    assert str(busy.value).startswith(f"the warehouse {target} is being built by run rmrp-test-run (pid {holder.pid}, since ")
    assert told and told[0].startswith(f"waiting up to 0 s for run rmrp-test-run (pid {holder.pid}")
    with publish.writer_lock(target, "third"):   # released by the kernel when the holder died
        assert (tmp_path / ".rmrp.duckdb.lock").read_text().startswith("run=third pid=")


def test_a_build_publishes_by_rename_and_keeps_the_history(tmp_path):
    target = _published(tmp_path / "rmrp.duckdb")
    for number, run, rows in ((1, "rmrp-a", 5), (2, "rmrp-b", 7)):
        with publish.build(target, run_id=run) as build:
            with duckdb.connect(str(build.path)) as con:
                con.execute(f"CREATE OR REPLACE TABLE marts.t AS SELECT range AS i FROM range({rows})")
            assert build.publish(publish.Publication(run_id=run, cycles=("2021-H1",))) == number
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("SELECT publication_id, run_id, table_rows['marts.t'] FROM meta.publications "
                           "ORDER BY 1").fetchall() == [(1, "rmrp-a", 5), (2, "rmrp-b", 7)]
        assert publish.latest(con)[::2] == (2, "rmrp-b")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".rmrp.duckdb.lock", "rmrp.duckdb"]


def test_a_build_left_without_publishing_is_removed_and_the_file_unchanged(tmp_path):
    target = _published(tmp_path / "rmrp.duckdb")
    before = target.read_bytes()
    with pytest.raises(RuntimeError, match="the run failed"):
        with publish.build(target, run_id="rmrp-x") as build:
            with duckdb.connect(str(build.path)) as con:
                con.execute("DROP TABLE marts.t")
            raise RuntimeError("the run failed")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".rmrp.duckdb.lock", "rmrp.duckdb"]


def test_a_build_overtaken_by_another_publication_is_never_published(tmp_path):
    target = _published(tmp_path / "rmrp.duckdb")
    build = publish.run_build(target, "dagster-run-1")
    with publish.build(target, run_id="rmrp-other") as other:
        other.publish(publish.Publication(run_id="rmrp-other"))
    published = target.read_bytes()
    with pytest.raises(publish.StaleBuild, match="was published by another run while this one was building"):
        publish.publish_run(target, publish.Publication(run_id="dagster-run-1"))
    assert target.read_bytes() == published and not build.exists()


def test_leftovers_of_dead_rmrp_runs_are_removed_and_dagster_builds_kept(tmp_path):
    target = _published(tmp_path / "rmrp.duckdb")
    dead = [tmp_path / ".rmrp.duckdb.build-rmrp-20260101T000000-1", tmp_path / ".rmrp.duckdb.build-rmrp-20260101T000000-1.wal"]
    for path in dead:
        path.write_bytes(b"x")
    dagster = publish.run_build(target, "0f3c-run")
    with publish.build(target, run_id="rmrp-next") as build:
        assert build.path.exists() and not any(p.exists() for p in dead) and dagster.exists()


def _publication(con: duckdb.DuckDBPyConnection, files: dict[str, str]) -> int:
    """Record a publication whose ``raw.source_files`` are ``files`` (name -> SHA-256)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE OR REPLACE TABLE raw.source_files AS SELECT * FROM (VALUES ('x', 'y')) t(source_file, sha256) LIMIT 0")
    for name, sha in files.items():
        con.execute("INSERT INTO raw.source_files VALUES (?, ?)", [name, sha])
    return publish.record(con, publish.Publication(run_id="rmrp-test"), Path("w.duckdb"))


def test_the_input_files_that_differ_from_the_publication_before(tmp_path):
    from rmrp_pipeline.reports.summary import input_changes_lines

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        _publication(con, {"a.xlsx": "1", "b.xlsx": "2", "c.xlsx": "3"})
        assert publish.input_changes(con) is None   # nothing before the first
        _publication(con, {"a.xlsx": "1", "b.xlsx": "20", "d.xlsx": "4"})
        changes = publish.input_changes(con)
        assert changes == publish.InputChanges(since=1, changed=("b.xlsx",), added=("d.xlsx",), removed=("c.xlsx",),
                                               unchanged=1)
        line = "\n".join(input_changes_lines(changes))
        assert " ".join(line.split()) == ("since publication 1: 1 file changed (b.xlsx); 1 file added (d.xlsx); "
                                          "1 file removed (c.xlsx); 1 unchanged")
        assert [len(part) <= 100 for part in line.splitlines()] == [True, True]   # wrapped within 100 columns
        _publication(con, {"a.xlsx": "1", "b.xlsx": "20", "d.xlsx": "4"})
        assert input_changes_lines(publish.input_changes(con)) == ["  since publication 2: no input file changed; 3 unchanged"]
        _publication(con, {f"f{i}.xlsx": str(i) for i in range(8)})
        line = "\n".join(input_changes_lines(publish.input_changes(con)))
        _publication(con, {f"f{i}.xlsx": str(i) for i in range(8)} | {"x\n.xlsx": "9"})   # a newline in a name
        assert input_changes_lines(publish.input_changes(con)) == [
            "  since publication 4: 1 file added (x\\n.xlsx); 8 unchanged"]   # shown escaped, on one line
        con.execute("UPDATE meta.publications SET input_files = NULL WHERE publication_id = 4")   # recorded none
        assert publish.input_changes(con) is None
    assert line.startswith("  since publication 3: 8 files added (f0.xlsx, f1.xlsx, f2.xlsx, f3.xlsx, f4.xlsx and 3 more)")
    assert all(len(part) <= 100 for part in line.splitlines())


def test_the_waiting_builds_are_the_dagster_runs_builds_the_oldest_first(tmp_path):
    target = _published(tmp_path / "rmrp.duckdb")
    assert publish.waiting_builds(target) == []
    older, newer = publish.run_build(target, "9a1b-older"), publish.run_build(target, "0f3c-newer")
    os.utime(older, ns=(1_000_000_000, 1_000_000_000))   # written to before the other, whatever their names
    for leftover in (".rmrp.duckdb.build-rmrp-20260101T000000-1", ".rmrp.duckdb.build-9a1b-older.wal",
                     ".rmrp.duckdb.build-77aa-copying.partial-123"):
        (tmp_path / leftover).write_bytes(b"x")
    assert publish.waiting_builds(target) == ["9a1b-older", "0f3c-newer"]
    assert publish.waiting_builds(tmp_path / "other.duckdb") == []
    assert newer.exists()


def test_a_duckdb_prefixed_warehouse_is_the_same_file_for_every_command(tmp_path, monkeypatch, capsys):
    """``duckdb:<path>`` is documented as the same as ``<path>``: the instance and the ingest cache go
    beside the file (they went to a folder named ``duckdb:`` under the current one), and the
    commands that read the warehouse find it (they said there was none, run summary included)."""
    from rmrp_pipeline.defs.instance import instance_folder
    from rmrp_pipeline.ingest_cache import cache_dir_for

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RMRP_INGEST_CACHE", raising=False)
    (tmp_path / "w").mkdir()
    path = _published(tmp_path / "w" / "rmrp.duckdb", 3)
    assert instance_folder(f"duckdb:{path}") == tmp_path / "w" / ".dagster"
    assert cache_dir_for(f"duckdb:{path}") == tmp_path / "w" / "ingest_cache"
    assert main(["sql", "SELECT count(*) AS n FROM marts.t", "--csv", "--warehouse", f"duckdb:{path}"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "3"]
