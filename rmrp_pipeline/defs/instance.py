"""The Dagster instance of a warehouse: the folder ``.dagster/`` beside the warehouse file, where
``rmrp run`` records its runs and the UI (``dagster dev`` with ``DAGSTER_HOME`` set to that folder,
README "The Dagster UI") reads them. ``DAGSTER_HOME``, when set, is used instead."""

from __future__ import annotations

import importlib
import os
import socket
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

import dagster as dg
import sqlalchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine

from rmrp_pipeline.settings import warehouse_file

#: The instance settings written to ``<instance folder>/dagster.yaml`` when the folder has none.
INSTANCE_YAML = """\
# The Dagster instance of the warehouse beside this folder: `rmrp run` records its runs here and
# `dagster dev` reads them (README, "The Dagster UI"). Written by rmrp when missing; edit freely.
telemetry:
  enabled: false
nux:
  # no "join the community" dialog over the UI
  enabled: false
python_logs:
  # Log lines below INFO are not stored as run events (Dagster's own events always are).
  python_log_level: INFO
run_monitoring:
  # With dagster-daemon running: a UI run whose process died is marked failed instead of holding
  # the one-run queue (runs of `rmrp run` are checked by rmrp itself, see rmrp_pipeline/defs/instance.py).
  enabled: true
concurrency:
  runs:
    # Every run writes the one DuckDB file, which takes one writer at a time: runs launched from
    # the UI, the schedule and the sensors wait in the queue for the one before them.
    max_concurrent_runs: 1
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    # The queue is looked at every second (Dagster's default: every 5): a run launched from the UI
    # starts within a second, not up to five.
    dequeue_interval_seconds: 1
retention:
  schedule:
    purge_after_days: 90
  sensor:
    # A sensor ticks every few minutes; the ticks that requested nothing are kept a week.
    purge_after_days:
      skipped: 7
      failure: 90
      success: -1
"""


def instance_folder(warehouse: str | os.PathLike) -> Path:
    """The instance folder of ``warehouse``: ``.dagster/`` in the warehouse's folder (for
    ``data/warehouse/rmrp.duckdb``, ``data/warehouse/.dagster``), absolute."""
    return Path(warehouse_file(warehouse)).resolve().parent / ".dagster"


def prepare_instance_folder(folder: str | os.PathLike) -> Path:
    """Create ``folder`` and its ``dagster.yaml`` (:data:`INSTANCE_YAML`) when missing; an existing
    ``dagster.yaml`` is left as it is. Returns the folder, absolute."""
    path = Path(folder).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_YAML, encoding="utf-8")
    return path


#: How many instance databases :func:`_tune_sqlite` keeps open at once (one per run, and the
#: instance's index, runs and schedules databases); the oldest is closed beyond it.
HELD_DATABASES = 8
#: path -> (inode of the file, the connection held open to it).
_held: OrderedDict[str, tuple[int, sqlite3.Connection]] = OrderedDict()
_held_lock = threading.Lock()   # the code location's server opens connections from several threads


def _tune_sqlite(dbapi_connection, _record) -> None:
    """Make the run records of this process cheap to write (SQLAlchemy ``connect`` listener on
    every engine; Dagster is this package's only SQLAlchemy user). Dagster's SQLite storage opens a
    connection per event and closes it after one commit: by default each commit waits for the disk
    and each close of the last connection checkpoints and removes the write-ahead log, so a run on
    the real 2021 export waited for about 2,400 disk syncs. Here each connection commits with
    ``synchronous=NORMAL`` (write-ahead log synced at checkpoints, the database consistent after a
    crash or power cut, at worst the last events lost) and one connection to each database stays
    open (:data:`HELD_DATABASES`), so closing the others does not checkpoint (docs/operations.md,
    "Dagster's cost"). A database file replaced at the same path (an instance folder deleted and
    made again) is told apart by its inode: the new file is held, the old one let go."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
    path = dbapi_connection.execute("PRAGMA database_list").fetchone()[2]
    try:
        inode = os.stat(path).st_ino if path else None
    except OSError:
        return
    if inode is None or _held.get(path, (None,))[0] == inode:
        return
    if dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        return   # a database being created: held once Dagster has switched it to WAL
    with _held_lock:
        replaced = _held.get(path)
        if replaced is not None:
            if replaced[0] == inode:
                return
            del _held[path]
            replaced[1].close()   # a file deleted while held keeps its inode until closed: never the new one's
        held = sqlite3.connect(path, check_same_thread=False)
        held.execute("PRAGMA schema_version").fetchall()   # a read: joins the log's shared index
        _held[path] = (inode, held)
        while len(_held) > HELD_DATABASES:
            _held.popitem(last=False)[1][1].close()


#: Dagster's SQLite storages (runs, event log, schedules), each of which makes a new SQLAlchemy
#: engine for every connection it opens (``create_engine(url, poolclass=NullPool)``).
_SQLITE_STORAGE_MODULES = (
    "dagster._core.storage.event_log.sqlite.sqlite_event_log",
    "dagster._core.storage.runs.sqlite.sqlite_run_storage",
    "dagster._core.storage.schedules.sqlite.sqlite_schedule_storage",
)
#: How many engines :func:`_engine_for` keeps (one per database: runs, index, schedules, each run).
KEPT_ENGINES = 32
_engines: OrderedDict[tuple, Engine] = OrderedDict()


def _engine_for(url, **options) -> Engine:
    """``sqlalchemy.create_engine(url, **options)``, made once per database and options and kept
    (:data:`KEPT_ENGINES`, the least recently used dropped): creating an engine (dialect, pool,
    events) costs more than the connection it serves. Dagster's ``NullPool`` is kept, so every
    connection is still opened and closed as Dagster asks; an engine is safe to share between
    threads, and ``dispose()`` leaves it usable."""
    key = (str(url), repr(sorted(options.items(), key=lambda item: item[0])))
    with _held_lock:
        engine = _engines.get(key)
        if engine is not None:
            _engines.move_to_end(key)
            return engine
    engine = sqlalchemy.create_engine(url, **options)
    with _held_lock:
        engine = _engines.setdefault(key, engine)
        while len(_engines) > KEPT_ENGINES:
            _engines.popitem(last=False)
    return engine


def tune_instance_storage() -> None:
    """Install in this process (once; idempotent) :func:`_tune_sqlite` and, in Dagster's SQLite
    storages, :func:`_engine_for` in place of ``create_engine`` (a storage module without that
    name is left as it is)."""
    if not event.contains(Engine, "connect", _tune_sqlite):
        event.listen(Engine, "connect", _tune_sqlite)
    for name in _SQLITE_STORAGE_MODULES:
        module = importlib.import_module(name)
        if getattr(module, "create_engine", None) is not None:
            module.create_engine = _engine_for


def open_instance(warehouse: str | os.PathLike) -> dg.DagsterInstance:
    """The persistent instance runs on ``warehouse`` are recorded in: ``DAGSTER_HOME`` when set,
    else :func:`instance_folder` (prepared by :func:`prepare_instance_folder`), its SQLite storage
    tuned by :func:`tune_instance_storage`. Close it after use
    (``with open_instance(...) as instance``)."""
    tune_instance_storage()
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.from_config(str(prepare_instance_folder(instance_folder(warehouse))))


#: Tags of the runs ``rmrp run`` executes in its own process: which process, on which machine.
PID_TAG, HOST_TAG = "rmrp/pid", "rmrp/host"


def process_tags() -> dict[str, str]:
    """The tags that tie a run to this process (:func:`fail_abandoned_runs` reads them)."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # another user's process: alive
        return True
    return True


def fail_abandoned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs of ``rmrp run`` on this machine that are still recorded as started
    while their process is gone (killed, e.g. SIGKILL or a power cut), so that they no longer
    count against the instance's one-run queue or look in progress in the UI. Returns their run
    ids. Runs of live processes and runs launched by the UI are left alone."""
    statuses = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]
    failed = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=statuses, tags={HOST_TAG: socket.gethostname()})):
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            instance.report_run_failed(run, message=f"the rmrp process {pid} that ran it is gone (killed); "
                                                    "nothing it built was published")
            failed.append(run.run_id)
    return failed


if __name__ == "__main__":
    # `python -m rmrp_pipeline.defs.instance`: the instance folder of the warehouse the UI opens
    # (RMRP_WAREHOUSE, else data/warehouse/rmrp.duckdb), prepared, for DAGSTER_HOME (README).
    from rmrp_pipeline.settings import default_paths

    print(prepare_instance_folder(instance_folder(default_paths()[1])))
