"""The Dagster instance's SQLite storage as rmrp tunes it (defs/instance.py, ``tune_instance_storage``):
commits that do not wait for the disk, the write-ahead log kept between Dagster's one-commit
connections, at most ``HELD_DATABASES`` databases held open, and nothing lost for another process."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from rmrp_pipeline.defs import instance


def _engine(path):
    # as Dagster's SQLite storages open theirs: no pool, a connection per unit of work
    return create_engine(f"sqlite:///{path}", poolclass=NullPool)


def _wal_database(path):
    engine = _engine(path)
    with engine.connect() as con:
        con.execute(text("CREATE TABLE event_logs (id INTEGER PRIMARY KEY, event TEXT)"))
        con.execute(text("PRAGMA journal_mode=WAL"))
        con.commit()
    return engine


def test_connections_commit_without_waiting_for_the_disk_and_keep_the_log(tmp_path):
    instance.tune_instance_storage()
    path = tmp_path / "run.db"
    engine = _wal_database(path)
    for number in range(20):
        with engine.connect() as con:   # one event, one connection, as SqliteEventLogStorage.store_event
            con.execute(text("INSERT INTO event_logs (event) VALUES (:e)"), {"e": f"event {number}"})
            con.commit()
            assert con.execute(text("PRAGMA synchronous")).scalar() == 1   # NORMAL (SQLite's default: 2, FULL)
    # the closes did not checkpoint and remove the log: a connection to the database is still open
    assert (tmp_path / "run.db-wal").exists()
    assert str(path) in instance._held
    # another process (the UI's) reads every event
    read = subprocess.run([sys.executable, "-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1])"
                           ".execute('SELECT count(*) FROM event_logs').fetchone()[0])", str(path)],
                          capture_output=True, text=True, check=True)
    assert read.stdout.strip() == "20"


def test_without_the_tuning_each_close_checkpoints_and_removes_the_log(tmp_path):
    # what the tuning changes, in a process that never installed it
    script = f"""
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
engine = create_engine("sqlite:///{tmp_path / 'plain.db'}", poolclass=NullPool)
with engine.connect() as con:
    con.execute(text("CREATE TABLE t (x)")); con.execute(text("PRAGMA journal_mode=WAL")); con.commit()
with engine.connect() as con:
    con.execute(text("INSERT INTO t VALUES (1)")); con.commit()
    print(con.execute(text("PRAGMA synchronous")).scalar())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "2"
    assert not (tmp_path / "plain.db-wal").exists()


def test_at_most_held_databases_are_held_open(tmp_path):
    instance.tune_instance_storage()
    paths = [tmp_path / f"run_{n}.db" for n in range(instance.HELD_DATABASES + 3)]
    for path in paths:
        engine = _wal_database(path)
        with engine.connect() as con:   # held once the database is in WAL mode
            con.execute(text("SELECT 1"))
    held = [p for p in instance._held if p.startswith(str(tmp_path))]
    assert len(instance._held) <= instance.HELD_DATABASES
    assert held == [str(p) for p in paths[-instance.HELD_DATABASES:]]   # the newest are kept
    assert str(paths[0]) not in instance._held


def test_a_database_not_in_wal_mode_is_not_held(tmp_path):
    instance.tune_instance_storage()
    path = tmp_path / "journal.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    with _engine(path).connect() as con:
        con.execute(text("SELECT count(*) FROM t"))
    assert str(path) not in instance._held


def test_dagster_storages_make_one_engine_per_database_and_record_every_event(tmp_path):
    import dagster as dg
    from dagster._core.storage.event_log.sqlite import sqlite_event_log

    instance.tune_instance_storage()
    with dg.DagsterInstance.from_config(str(instance.prepare_instance_folder(tmp_path / ".dagster"))) as dagster:
        storage = dagster.event_log_storage
        engines = []   # held, so that no engine's id is reused
        for _ in range(3):   # Dagster opens a connection (and, left alone, a new engine) per unit of work
            with storage.index_connection() as con:
                engines.append(con.engine)
        assert all(engine is engines[0] for engine in engines)
        assert sqlite_event_log.create_engine is instance._engine_for

        @dg.asset
        def counted() -> int:
            return 1

        result = dg.materialize([counted], instance=dagster)
        assert result.success
        run_id = result.run_id
    # another process (the UI's) reads the run and its materialization from the files
    script = (f"import dagster as dg\nwith dg.DagsterInstance.from_config({str(tmp_path / '.dagster')!r}) as i:\n"
              f"    print(i.get_run_by_id({run_id!r}).status.value, len(i.fetch_materializations(dg.AssetKey('counted'), limit=5).records))")
    read = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert read.stdout.split() == ["SUCCESS", "1"]


def test_engines_dropped_while_threads_store_events_into_more_runs_than_are_kept_lose_nothing(tmp_path, monkeypatch):
    # the code location's server stores events from several threads; with fewer engines kept than
    # run databases written, engines are dropped (and made again) while other threads use theirs
    import threading

    import dagster as dg
    from dagster._core.storage.dagster_run import DagsterRun

    instance.tune_instance_storage()
    monkeypatch.setattr(instance, "KEPT_ENGINES", 3)
    threads, events = 6, 40
    folder = instance.prepare_instance_folder(tmp_path / ".dagster")
    with dg.DagsterInstance.from_config(str(folder)) as dagster:
        runs = [dagster.add_run(DagsterRun(job_name="threads", run_id=f"run-{k}")) for k in range(threads)]
        start, failures = threading.Barrier(threads), []

        def store(k):
            try:
                start.wait()
                for i in range(events):
                    dagster.report_engine_event(f"event {i}", runs[k])
                    if i % 10 == 0:
                        dagster.report_runless_asset_event(dg.AssetMaterialization("stored", metadata={"run": k, "event": i}))
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                failures.append(repr(exc))

        workers = [threading.Thread(target=store, args=(k,)) for k in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert failures == []
        assert len(instance._engines) <= 3
    # another process (the UI's) reads every event of every run and every materialization
    script = (f"import dagster as dg\nwith dg.DagsterInstance.from_config({str(folder)!r}) as i:\n"
              f"    print(*sorted(len(i.all_logs(r.run_id)) for r in i.get_runs()),"
              f" len(i.fetch_materializations(dg.AssetKey('stored'), limit=100).records))")
    read = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert read.stdout.split() == [str(events)] * threads + [str(threads * events // 10)]


def test_a_database_made_again_at_the_same_path_is_held_in_place_of_the_deleted_one(tmp_path):
    # an instance folder deleted and made again in one process (tests and operators do this)
    instance.tune_instance_storage()
    path = tmp_path / ".dagster" / "index.db"
    path.parent.mkdir()
    with _wal_database(path).connect() as con:
        con.execute(text("SELECT 1"))
    first = instance._held[str(path)][1]
    shutil.rmtree(path.parent)
    path.parent.mkdir()
    engine = _wal_database(path)
    with engine.connect() as con:
        con.execute(text("INSERT INTO event_logs (event) VALUES ('after')"))
        con.commit()
    inode, held = instance._held[str(path)]
    assert inode == path.stat().st_ino and held is not first
    assert held.execute("SELECT event FROM event_logs").fetchall() == [("after",)]   # the new file, not the deleted one
    assert (path.parent / "index.db-wal").exists()   # held: closing the engine's connection kept the log
    with pytest.raises(sqlite3.ProgrammingError):
        first.execute("SELECT 1")   # the deleted file's connection was closed
