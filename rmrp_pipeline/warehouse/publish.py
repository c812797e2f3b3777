"""Publishing the warehouse: a run never writes the file analysts read.

A run builds into its own DuckDB file beside the published one, ``<dir>/.<name>.build-<run id>``
(a copy of the published file, or empty when there is none), and when it has succeeded replaces
the published file with it by one ``os.replace`` (the build file checkpointed, closed and fsynced
first, the folder fsynced after). A read-only connection open on the published file keeps reading
the file it opened (on Linux the old inode lives while it is open); a connection opened later reads
the new publication. A run killed at any moment leaves the published file as it was; its build
file is removed by the next run. One run at a time holds ``<dir>/.<name>.lock`` (``fcntl.flock``,
released by the kernel when the process dies), which says who holds it and since when.

Every problem with the warehouse location is a :class:`PublishError` whose message is one line.
The operations guide is ``docs/operations.md``.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from rmrp_pipeline.text.printable import os_reason
from rmrp_pipeline.warehouse import db as warehouse

#: The table where each publication is recorded (``sql/ddl/meta.publications.sql``).
PUBLICATIONS = "meta.publications"
_BUILD = ".build-"
#: Prefix of the run ids of ``rmrp run`` (a Dagster run's build file carries its Dagster run id).
CLI_RUN = "rmrp-"
#: Environment variables of the pause points that tests use to kill a run at a known moment.
PAUSE_AT, PAUSE_FILE = "RMRP_PAUSE_AT", "RMRP_PAUSE_FILE"


class PublishError(RuntimeError):
    """The warehouse cannot be built or published; the message is one line for the terminal."""


class WarehouseHeld(PublishError):
    """Another process holds the warehouse for writing (DuckDB's write lock, or a run's lock): the
    request was right, it fails now (a command's exit code 1)."""


class WarehouseBusy(WarehouseHeld):
    """Another run holds the warehouse's lock."""


class StaleBuild(PublishError):
    """Another run published since this build started: it can never be published."""


def published_path(target: str | os.PathLike) -> Path:
    """The published DuckDB file of the warehouse connection string ``target``: a file path
    (``~`` expanded, made absolute; a ``duckdb:`` prefix allowed).

    Raises:
        PublishError: a catalogue that is not a local file (``md:``, ``motherduck:``,
            ``ducklake:``, ``s3://`` ...): docs/operations.md says what those targets need.
    """
    text = os.fspath(target).strip()
    if text.startswith("duckdb:"):
        text = text[len("duckdb:"):]
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme in ("md", "motherduck", "ducklake") or "://" in text:
        raise PublishError(f"the warehouse {target} is not a local DuckDB file: this version publishes local files "
                           "only (docs/operations.md: other targets)")
    return Path(text).expanduser().absolute()


def build_path(published: Path, run_id: str) -> Path:
    """The build file of run ``run_id`` beside ``published``."""
    return published.parent / f".{published.name}{_BUILD}{run_id}"


def lock_path(published: Path) -> Path:
    """The lock file beside ``published``."""
    return published.parent / f".{published.name}.lock"


def new_run_id() -> str:
    """A run id of ``rmrp run``: ``rmrp-<UTC time>-<pid>``."""
    return f"{CLI_RUN}{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S}-{os.getpid()}"


def location_problem(target: str | os.PathLike, needed_bytes: int | None = None) -> str | None:
    """Why a run cannot build and publish ``target`` (None when it can), found in a second without
    waiting on anyone: a catalogue that is not a local file, a folder where the file should be, a
    folder where no file can be created, a published file that another process holds open for
    writing (a read-only connection does not matter) or that is not a DuckDB file, less free space
    than a build needs (``needed_bytes``, default twice the published file: its copy and room to grow)."""
    error = _location_error(target, needed_bytes)
    return str(error) if error else None


def _location_error(target: str | os.PathLike, needed_bytes: int | None = None) -> PublishError | None:
    """:func:`location_problem` as the error to raise: :class:`WarehouseHeld` for a file another
    process holds open for writing, else :class:`PublishError`."""
    try:
        published = published_path(target)
    except PublishError as exc:
        return exc
    if published.is_dir():
        return PublishError(f"the warehouse path {published} is a folder; give a file, e.g. {published / 'rmrp.duckdb'}")
    try:
        published.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=published.parent, prefix=f".{published.name}.probe-"):
            pass
    except OSError as exc:
        return PublishError(f"cannot open the warehouse {target} for writing: no file can be created in "
                            f"{published.parent} ({os_reason(exc)}); a run builds its copy there")
    if published.is_file():
        problem = _open_error(published, target)
        if problem:
            return problem
    size = published.stat().st_size if published.is_file() else 0
    needed = 2 * size if needed_bytes is None else needed_bytes
    free = shutil.disk_usage(published.parent).free if needed else 0
    if needed and free < needed:
        return PublishError(f"not enough free space in {published.parent} to build the warehouse: {free / 1e6:,.0f} MB "
                            f"free, {needed / 1e6:,.0f} MB needed (a copy of the published file and room to grow)")
    return None


def _open_error(published: Path, target: str | os.PathLike) -> PublishError | None:
    """Why the published file cannot be read as the base of a build: another process holds it
    open for writing (DuckDB's write lock; readers share the file: :class:`WarehouseHeld`), or it is
    not DuckDB."""
    try:
        duckdb.connect(str(published), read_only=True).close()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        if "lock" in first.lower():
            return WarehouseHeld(f"the warehouse {target} is open for writing in another process ({first}); close it "
                                 "(readers open it read-only), or give another --warehouse")
        return PublishError(f"cannot open the warehouse {target}: {first}")
    return None


@dataclass
class _Holder:
    """Who holds the lock: the text its holder wrote in the lock file."""

    text: str

    def describe(self) -> str:
        fields_ = dict(part.split("=", 1) for part in self.text.split() if "=" in part)
        if not fields_:
            return "another run"
        return f"run {fields_.get('run', '?')} (pid {fields_.get('pid', '?')}, since {fields_.get('since', '?')})"


@contextlib.contextmanager
def writer_lock(published: Path, run_id: str, wait_seconds: float = 0.0,
                say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of ``published`` for the block: at once, or waiting up to ``wait_seconds``
    (saying once, through ``say``, what it waits for).

    Raises:
        WarehouseBusy: another run holds it (the message names its run, pid and start time).
        PublishError: the lock file cannot be created.
    """
    path = lock_path(published)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PublishError(f"cannot create the lock file {path}: {os_reason(exc)}") from exc
    try:
        _acquire(fd, published, wait_seconds, say)
        os.ftruncate(fd, 0)
        since = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.pwrite(fd, f"run={run_id} pid={os.getpid()} since={since}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)   # releases the flock (the kernel does it too when the process dies)


def _acquire(fd: int, published: Path, wait_seconds: float, say: Callable[[str], None] | None) -> None:
    deadline, told = time.monotonic() + wait_seconds, False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = _Holder(os.pread(fd, 400, 0).decode(errors="replace").strip()).describe()
        if time.monotonic() >= deadline:
            raise WarehouseBusy(f"the warehouse {published} is being built by {holder}; "
                                "wait for it to finish, or stop it (docs/operations.md)")
        if say and not told:
            say(f"waiting up to {wait_seconds:.0f} s for {holder}, which is building the warehouse {published}")
            told = True
        time.sleep(0.2)


def remove_leftovers(published: Path) -> list[Path]:
    """Remove the build files of ``rmrp run`` runs that died (killed, crashed) beside
    ``published``: call it holding the lock, so no live ``rmrp run`` owns one. Returns the removed paths."""
    removed = []
    for path in published.parent.glob(f".{published.name}{_BUILD}{CLI_RUN}*"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


@dataclass(frozen=True)
class Base:
    """The published file a build started from (its identity), or none."""

    identity: tuple[int, int, int, int] | None

    @classmethod
    def of(cls, stat: os.stat_result | None) -> "Base":
        return cls(None if stat is None else (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns))

    @classmethod
    def current(cls, published: Path) -> "Base":
        try:
            return cls.of(published.stat())
        except FileNotFoundError:
            return cls(None)


def start_build(published: Path, run_id: str) -> tuple[Path, Base]:
    """Create the build file of ``run_id`` unless it exists: a copy of ``published``
    (checkpointed first if a write-ahead log lies beside it), or an empty DuckDB file when nothing
    is published; beside it, ``<build>.base`` names the publication it started from. Created
    whole or not at all (a partial copy is linked into place only when complete), so steps of one
    Dagster run in several processes share one build. Returns (build file, its base).

    Raises:
        PublishError: the copy failed (disk full, folder not writable) or the published file
            cannot be checkpointed; the partial copy is removed.
    """
    target = build_path(published, run_id)
    if target.exists():
        return target, read_base(target)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    if Path(f"{published}.wal").exists():
        _checkpoint_published(published)
    try:
        base = _copy_or_create(published, partial)
        Path(f"{target}.base").write_text(repr(base.identity), encoding="utf-8")
        try:
            os.link(partial, target)
        except FileExistsError:   # another step of the run created it first
            return target, read_base(target)
    except duckdb.Error as exc:
        raise PublishError(f"cannot create the build file {target}: {str(exc).splitlines()[0]}") from exc
    except OSError as exc:
        raise _os_problem(exc, f"cannot copy the warehouse {published} to its build file {target.name}") from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return target, base


def _copy_or_create(published: Path, copy_path: Path) -> Base:
    """Copy ``published`` to ``copy_path`` (fsynced), or create an empty DuckDB file there when
    nothing is published; returns the base."""
    try:
        source = open(published, "rb")
    except FileNotFoundError:
        duckdb.connect(str(copy_path)).close()
        return Base(None)
    with source:
        base = Base.of(os.fstat(source.fileno()))
        with open(copy_path, "wb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
            copy.flush()
            os.fsync(copy.fileno())
    return base


def read_base(build: Path) -> Base:
    """The base written beside ``build`` by :func:`start_build` (none when missing)."""
    try:
        return Base(ast.literal_eval(Path(f"{build}.base").read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError, SyntaxError):
        return Base(None)


def _checkpoint_published(published: Path) -> None:
    try:
        duckdb.connect(str(published)).close()   # replays and checkpoints the log
    except duckdb.Error as exc:
        raise WarehouseHeld(f"the warehouse {published} has a write-ahead log and is open for writing elsewhere; "
                           f"close that connection first ({str(exc).splitlines()[0]})") from exc


def _os_problem(exc: OSError, doing: str) -> PublishError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return PublishError(f"{doing}: no space left on the device; free some space (old builds, backups) and run again")
    return PublishError(f"{doing}: {os_reason(exc)}")


def pause_point(name: str) -> None:
    """A test hook: when ``RMRP_PAUSE_AT`` is ``name``, write ``name`` to ``RMRP_PAUSE_FILE`` and
    sleep (a test then kills the process at this known moment); otherwise nothing."""
    if os.environ.get(PAUSE_AT) != name:
        return
    marker = os.environ.get(PAUSE_FILE)
    if marker:
        Path(marker).write_text(name, encoding="utf-8")
    time.sleep(600)


@dataclass(frozen=True)
class Publication:
    """What a publication records (one row of ``meta.publications``)."""

    run_id: str
    raw_folder: str | None = None
    cycles: tuple[str, ...] = ()
    checks_passed: int = 0
    checks_failed: int = 0
    dagster_runs: tuple[str, ...] = ()


def record(con: duckdb.DuckDBPyConnection, publication: Publication, published: Path) -> int:
    """Append ``publication`` to ``meta.publications`` of the build ``con`` (created from its DDL
    when missing; earlier rows kept) with the input files of ``raw.source_files`` and the row
    count of every table; returns its publication id (1 + the largest so far)."""
    warehouse.create_table(con, PUBLICATIONS)
    number = con.execute(f"SELECT coalesce(max(publication_id), 0) + 1 FROM {PUBLICATIONS}").fetchone()[0]
    files = con.execute(
        "SELECT coalesce(list(f ORDER BY f.source_file), []) FROM (SELECT DISTINCT {'source_file': source_file, "
        "'sha256': sha256} AS f FROM raw.source_files WHERE sha256 IS NOT NULL)").fetchone()[0] if warehouse.table_exists(con, "raw.source_files") else []
    rows = _table_rows(con)
    con.execute(
        f"INSERT INTO {PUBLICATIONS} BY NAME SELECT ? AS publication_id, ? AS published_at, ? AS run_id, "
        "? AS dagster_run_ids, ? AS warehouse, ? AS raw_folder, ? AS input_files, ? AS cycles, "
        "? AS checks_passed, ? AS checks_failed, MAP(?, ?) AS table_rows",
        [number, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), publication.run_id,
         list(publication.dagster_runs), str(published), publication.raw_folder, files, list(publication.cycles),
         publication.checks_passed, publication.checks_failed, [n for n, _ in rows], [c for _, c in rows]])
    return int(number)


def _table_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(table, rows) of every table of the layers and view of the marts (``warehouse.layer_tables``),
    ``meta.publications`` aside."""
    names = warehouse.layer_tables(con)
    return [(n, warehouse.row_count(con, n)) for n in names if n != PUBLICATIONS]


def latest(con: duckdb.DuckDBPyConnection) -> tuple | None:
    """(publication_id, published_at, run_id) of the publication ``con`` reads; None before any."""
    if not warehouse.table_exists(con, PUBLICATIONS):
        return None
    return con.execute(f"SELECT publication_id, published_at, run_id FROM {PUBLICATIONS} "
                       "ORDER BY publication_id DESC LIMIT 1").fetchone()


@dataclass(frozen=True)
class InputChanges:
    """How the input files of a publication differ from those of the one before it, by content
    (SHA-256): files (relative to the raw folder) whose content changed, added and removed, and
    how many are the same."""

    since: int
    changed: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def input_changes(con: duckdb.DuckDBPyConnection) -> InputChanges | None:
    """The ``InputChanges`` of the latest publication ``con`` reads against the one before; None
    when there is no publication before it or either did not record its input files."""
    if not warehouse.table_exists(con, PUBLICATIONS):
        return None
    rows = con.execute(f"SELECT publication_id, input_files FROM {PUBLICATIONS} "
                       "ORDER BY publication_id DESC LIMIT 2").fetchall()
    if len(rows) < 2:
        return None
    (_, now), (before_id, before) = rows
    if now is None or before is None:   # a publication that did not record its input files
        return None
    now = {f["source_file"]: f["sha256"] for f in now}
    before = {f["source_file"]: f["sha256"] for f in before}
    return InputChanges(
        since=int(before_id),
        changed=tuple(sorted(f for f in now.keys() & before.keys() if now[f] != before[f])),
        added=tuple(sorted(now.keys() - before.keys())), removed=tuple(sorted(before.keys() - now.keys())),
        unchanged=sum(now[f] == before[f] for f in now.keys() & before.keys()))


def finish(build: Path, published: Path, base: Base, publication: Publication) -> int:
    """Record ``publication`` in ``build``, checkpoint and close it, fsync it, and replace
    ``published`` with it (then fsync the folder). Call it holding the lock. Returns the
    publication id.

    Raises:
        PublishError: the published file changed since the build started (another run published:
            nothing is replaced), another process holds it open for writing (its writes would be
            lost), or the build cannot be written or renamed.
    """
    try:
        with duckdb.connect(str(build)) as con:
            number = record(con, publication, published)
            con.execute("CHECKPOINT")
        with open(build, "rb") as handle:
            os.fsync(handle.fileno())
    except (duckdb.Error, OSError) as exc:
        raise PublishError(f"cannot finish the build {build}: {str(exc).splitlines()[0]}") from exc
    if Base.current(published) != base:
        raise StaleBuild(f"the warehouse {published} was published by another run while this one was building; "
                           "nothing was replaced: run again")
    if published.is_file() and _open_error(published, published):
        raise WarehouseHeld(f"the warehouse {published} was opened for writing in another process while this run "
                           "built it; nothing was replaced (its writes would be lost): close that connection "
                           "(readers open it read-only) and run again")
    pause_point("before_rename")
    try:
        os.replace(build, published)
        discard(build)   # its base
        folder = os.open(published.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError as exc:
        raise _os_problem(exc, f"cannot replace the warehouse {published} by its build") from exc
    return number


@dataclass
class Build:
    """The build of one run (``build``): ``path`` is the DuckDB file the run writes;
    :meth:`publish` replaces the published file with it."""

    published: Path
    run_id: str
    path: Path
    base: Base
    publication_id: int | None = field(default=None)

    def publish(self, publication: Publication) -> int:
        """Record and publish this build (see :func:`finish`); returns the publication id."""
        self.publication_id = finish(self.path, self.published, self.base, publication)
        return self.publication_id


@contextlib.contextmanager
def build(target: str | os.PathLike, run_id: str | None = None, wait_seconds: float = 0.0,
          say: Callable[[str], None] | None = None) -> Iterator[Build]:
    """One run's build of the warehouse ``target``: takes the lock (see :func:`writer_lock`),
    removes the build files of dead runs, copies the published file (:func:`start_build`) and
    yields the :class:`Build`; the run publishes it with ``Build.publish``. Leaving the block
    without publishing (a failed run, an exception) removes the build file; the published file is
    untouched.

    Raises:
        PublishError: see :func:`location_problem`, :func:`writer_lock`, :func:`start_build`.
    """
    error = _location_error(target)
    if error:
        raise error
    published = published_path(target)
    run_id = run_id or new_run_id()
    with writer_lock(published, run_id, wait_seconds, say):
        remove_leftovers(published)
        path, base = start_build(published, run_id)
        current = Build(published, run_id, path, base)
        try:
            yield current
        finally:
            if current.publication_id is None:
                discard(path)


def discard(path: Path) -> None:
    """Remove a build file, its write-ahead log and its base, if there."""
    for leftover in (path, Path(f"{path}.wal"), Path(f"{path}.base")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def run_build(target: str | os.PathLike, run_id: str) -> Path:
    """The build file of the Dagster run ``run_id`` for the warehouse ``target``, started on
    first use (:func:`start_build`); every step of the run writes it, and :func:`publish_run`
    publishes it when the run has succeeded.

    Raises:
        PublishError: see :func:`location_problem` and :func:`start_build`.
    """
    published = published_path(target)
    path = build_path(published, run_id)
    if path.exists():
        return path
    error = _location_error(target)
    if error:
        raise error
    return start_build(published, run_id)[0]


def publish_run(target: str | os.PathLike, publication: Publication, wait_seconds: float = 30.0) -> int | None:
    """Publish the build of the finished Dagster run ``publication.run_id`` (holding the lock,
    waiting up to ``wait_seconds`` for it); None when there is no build of the run (it wrote none,
    or another process published or removed it, before or while this one waited). A build that can
    never be published (another run published since it started) is removed.

    Raises:
        PublishError: see :func:`writer_lock` and :func:`finish`.
    """
    published = published_path(target)
    path = build_path(published, publication.run_id)
    if not path.exists():
        return None
    with writer_lock(published, publication.run_id, wait_seconds):
        if not path.exists():   # published (or removed) by another process while this one waited
            return None
        try:
            return finish(path, published, read_base(path), publication)
        except StaleBuild:
            discard(path)
            raise


def waiting_builds(target: str | os.PathLike) -> list[str]:
    """The Dagster run ids whose build files lie beside the published ``target`` (those of ``rmrp
    run`` left out), the build written to last the longest ago first."""
    published = published_path(target)
    found = []
    for path in published.parent.glob(f".{published.name}{_BUILD}*"):
        run_id = path.name[len(f".{published.name}{_BUILD}"):]
        if run_id.startswith(CLI_RUN) or "." in run_id:   # rmrp run's, or a build's .base, .wal, .partial-<pid>
            continue
        with contextlib.suppress(FileNotFoundError):
            found.append((path.stat().st_mtime_ns, run_id))
    return [run_id for _time, run_id in sorted(found)]


def discard_run(target: str | os.PathLike, run_id: str) -> bool:
    """Remove the build of the Dagster run ``run_id`` (a failed or cancelled run); whether there was one."""
    path = build_path(published_path(target), run_id)
    existed = path.exists()
    discard(path)
    return existed


def lock_wait_from_environment() -> float:
    """Seconds a run waits for another run's lock: ``RMRP_LOCK_WAIT`` (default 0: refuse at once).

    Raises:
        ValueError: not a number of seconds, 0 or more.
    """
    text = os.environ.get("RMRP_LOCK_WAIT", "").strip()
    try:
        seconds = float(text) if text else 0.0
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise ValueError(f"RMRP_LOCK_WAIT={text!r}: give the seconds to wait for another run, 0 or more")
    return seconds
