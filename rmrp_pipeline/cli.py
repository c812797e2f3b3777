"""``rmrp``: the command line. ``rmrp run`` materializes every asset (the same Dagster assets
the UI shows) for every reporting cycle found in the raw data, then prints a summary.

Each command imports what it needs when it runs (Dagster, DuckDB, pandas take about a second to
import): ``rmrp --help`` and a wrong argument answer without them."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rmrp_pipeline.settings import DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE
from rmrp_pipeline.text.printable import os_reason

if TYPE_CHECKING:
    import dagster as dg
    import duckdb


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _instance(warehouse: str) -> dg.DagsterInstance:
    """The instance the UI reads (``defs.instance.open_instance``): DAGSTER_HOME when set, else the
    ``.dagster`` folder beside ``warehouse``."""
    from rmrp_pipeline.defs.instance import open_instance

    return open_instance(warehouse)


def run_pipeline(raw_dir: str, warehouse: str, quiet: bool = False, qa: bool = False,
                 only_rmrp_activities: bool | None = None, all_cycles: bool = False) -> tuple[bool, list[str]]:
    """Materialize every asset into a build of ``warehouse`` and publish it
    (``warehouse.publish``): the ingest job, then one run of the cycle job over every reporting
    cycle found in the 5W data (and with ``qa``, the QA job per cycle), recorded in the instance the
    UI reads (:func:`_instance`), all into one build file beside the warehouse, which replaces the
    published file only when every run succeeded (a failed blocking check fails its run); otherwise
    the build is removed and the published file stays as it was. ``only_rmrp_activities``: people
    reached from RMRP Activity = Yes rows only; None: the environment's ``RMRP_ONLY_RMRP_ACTIVITIES``,
    else no. Only the cycles whose tables would change are rebuilt (``marts.cycle_builds``), every
    one with ``all_cycles``. Returns (all runs succeeded and the build was published, cycles built).

    Raises:
        FileNotFoundError: the raw folder does not exist.
        publish.PublishError: the warehouse cannot be built or published (another run holds it, the
            folder is not writable, the disk is full): one line.
    """
    from rmrp_pipeline.warehouse import publish

    started = time.monotonic()
    with publish.build(warehouse, wait_seconds=publish.lock_wait_from_environment(), say=_say) as build:
        _say(f"building {warehouse} as run {build.run_id} (published when every step succeeds)")
        try:
            ok, cycles, results = _run_jobs(raw_dir, warehouse, str(build.path), quiet, qa, only_rmrp_activities,
                                            all_cycles)
        except _storage_errors() as exc:
            raise publish.PublishError(_storage_failure(warehouse, exc)) from exc
        if not ok:
            _say(f"not published: {warehouse} is left as it was; {_first_failure(results)}")
            return False, cycles
        checks = [c for r in results for c in r.get_asset_check_evaluations()]
        number = build.publish(publish.Publication(
            run_id=build.run_id, raw_folder=os.path.abspath(raw_dir), cycles=tuple(cycles),
            checks_passed=sum(c.passed for c in checks), checks_failed=sum(not c.passed for c in checks),
            dagster_runs=tuple(r.run_id for r in results)))
    _say(f"published {warehouse} as publication {number} in {time.monotonic() - started:.1f} s")
    return True, cycles


def _storage_errors() -> tuple[type[BaseException], ...]:
    """The errors of writing a run's files (the build, the Dagster instance's SQLite storage) that
    stop a run outside its steps: a full disk, a folder gone or made read-only."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    return OSError, sqlite3.Error, SQLAlchemyError


def _storage_failure(warehouse: str, exc: BaseException) -> str:
    """One line for a run stopped by :func:`_storage_errors`: what is left, the cause, the free space."""
    import shutil

    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).splitlines() or [type(cause).__name__])[0]
    folder = os.path.dirname(os.path.abspath(warehouse))
    try:
        free = f"; {shutil.disk_usage(folder).free / 1e6:,.0f} MB free in {folder}"
    except OSError:
        free = ""
    return (f"not published: {warehouse} is left as it was; the run stopped writing its files "
            f"(the build, the Dagster instance .dagster/): {first}{free}")


def _first_failure(results: list) -> str:
    """The first failed step of the runs and the root cause of its error, on one line."""
    for result in results:
        for event in result.get_step_failure_events():
            data = event.step_failure_data
            described = data.user_failure_data.description if data and data.user_failure_data else None
            error = data.error if data else None
            while error is not None and error.cause is not None:
                error = error.cause
            message = " ".join((described or (error.message if error else "")).split())[:300] or "see the errors above"
            return f"step {event.step_key} of {result.job_def.name} failed: {message}"
    return "see the errors above"


def _run_jobs(raw_dir: str, warehouse: str, build: str, quiet: bool, qa: bool,
              only_rmrp_activities: bool | None, all_cycles: bool = False) -> tuple[bool, list[str], list]:
    """Run the ingest job, then one cycle job run over the cycles to rebuild (every one with
    ``all_cycles``, else :func:`_cycles_to_rebuild`; none: no cycle run) and the QA job of every
    cycle, into the file ``build`` (held open meanwhile: ``resources.held_open``), recorded in the
    instance of ``warehouse``; returns (every run succeeded, every cycle, the runs' results)."""
    from rmrp_pipeline.definitions import build_definitions
    from rmrp_pipeline.defs.instance import fail_abandoned_runs, process_tags
    from rmrp_pipeline.defs.partitions import reporting_cycles
    from rmrp_pipeline.defs.resources import held_open
    from rmrp_pipeline.marts.builds import cycles_to_build
    from rmrp_pipeline.warehouse.publish import pause_point

    with held_open(build) as held:
        defs = build_definitions(raw_dir, build, only_rmrp_activities)
        instance = _instance(warehouse)
        abandoned = fail_abandoned_runs(instance)
        if abandoned:
            _say(f"marked failed {len(abandoned)} run(s) of an rmrp process that was killed: {', '.join(abandoned)}")
        tags = process_tags()
        run_config = {"loggers": {"console": {"config": {"log_level": "WARNING" if quiet else "INFO", "short": True}}}}
        _say(f"[1/2] ingest: reading {raw_dir}")
        result = defs.resolve_job_def("ingest_job").execute_in_process(
            instance=instance, run_config=run_config, raise_on_error=False, tags=tags
        )
        if not result.success:
            _say("ingest failed: see the errors above")
            return False, [], [result]
        pause_point("ingested")
        with held.cursor() as con:
            cycles = cycles_to_build(con)
            stale = cycles if all_cycles else _cycles_to_rebuild(con, instance, cycles, defs, result)
        results = [result]
        kept = [c for c in cycles if c not in stale]
        if kept:
            _say(f"[2/2] reporting cycles {', '.join(kept)}: kept as built (their inputs, the code and the options "
                 "have not changed since)")
        if stale:   # the ingest made the partitions the cycles of the 5W data: one run builds those that changed
            _say(f"[2/2] reporting cycles {', '.join(stale)}: people reached")
            keys = instance.get_dynamic_partitions(reporting_cycles.name)
            first, last = min(keys.index(c) for c in stale), max(keys.index(c) for c in stale)
            results.append(defs.resolve_job_def("cycle_job").execute_in_process(
                instance=instance, run_config=run_config, raise_on_error=False,
                tags={**tags, "dagster/asset_partition_range_start": keys[first], "dagster/asset_partition_range_end": keys[last]},
            ))
            pause_point("cycle")
        for cycle in cycles if qa else ():
            results.append(defs.resolve_job_def("qa_job").execute_in_process(
                instance=instance, run_config=run_config, partition_key=cycle, raise_on_error=False, tags=tags))
        return all(r.success for r in results), cycles, results


def _cycles_to_rebuild(con, instance, cycles: list[str], defs, ingest) -> list[str]:
    """The cycles of ``cycles`` whose tables must be built again: those whose record in the build
    (``marts.cycle_builds``: inputs, code, options, freeze) differs from now, and those the Dagster
    instance finds stale (``defs.checks.stale_cycles``), so that the UI's check agrees after the run.
    Their inputs' fingerprints are those the ``ingest`` run recorded after writing the input tables
    (worked out again only when it recorded none of a cycle)."""
    from rmrp_pipeline.defs.assets import CYCLE_INPUTS, key_of
    from rmrp_pipeline.defs.checks import stale_cycles
    from rmrp_pipeline.marts import cycle_builds, cycle_inputs, registry

    staged = [m for m in ingest.asset_materializations_for_node("ingest_raw_files")
              if m.asset_key == key_of(registry.STAGED_5W) and CYCLE_INPUTS in m.metadata]
    inputs = staged[0].metadata[CYCLE_INPUTS].value if staged else {}
    if not set(cycles) <= set(inputs):
        inputs = cycle_inputs.input_fingerprints(con, cycles)
    option = defs.resources["people_reached_options"].only_rmrp_activities
    stale = set(cycle_builds.to_rebuild(con, cycles, option, inputs)) | set(stale_cycles(instance, inputs))
    return [c for c in cycles if c in stale]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``rmrp`` console command."""
    parser = argparse.ArgumentParser(
        prog="rmrp", description="Build the RMRP warehouse from the raw partner files (rmrp run) and write reports "
                                 "for people from it (rmrp qa, rmrp export).")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="build the warehouse from the raw folder and print a summary")
    run.add_argument("--raw-dir", default=os.environ.get("RMRP_RAW_DIR", DEFAULT_RAW_DIR),
                     help="folder of raw partner files (env RMRP_RAW_DIR; default data/raw)")
    run.add_argument("--warehouse", default=os.environ.get("RMRP_WAREHOUSE", DEFAULT_WAREHOUSE),
                     help="DuckDB warehouse file (env RMRP_WAREHOUSE; default data/warehouse/rmrp.duckdb)")
    run.add_argument("--quiet", action="store_true", help="only warnings and the summary")
    run.add_argument("--qa", action="store_true",
                     help="also write each cycle's 5W QA workbook to data/reports (RMRP_REPORTS_DIR)")
    run.add_argument("--all-cycles", action="store_true",
                     help="rebuild every reporting cycle, not only those whose inputs, code or options changed")
    run.add_argument("--only-rmrp-activities", action=argparse.BooleanOptionalAction, default=None,
                     help="people reached from rows with RMRP Activity = Yes only, as R4V's Activity Explorer "
                          "(env RMRP_ONLY_RMRP_ACTIVITIES=yes; default: every row, as R4V's country scripts)")
    qa = sub.add_parser("qa", help="write the per-organisation QA workbook of a reporting cycle")
    qa.add_argument("--cycle", required=True, help="reporting cycle, e.g. 2021-H1 (January-June) or 2021-H2")
    qa.add_argument("--warehouse", default=os.environ.get("RMRP_WAREHOUSE", DEFAULT_WAREHOUSE),
                    help="DuckDB warehouse file built by `rmrp run`")
    qa.add_argument("--output", help="workbook to write (default: data/reports/rmrp_5w_qa_<cycle>.xlsx); the "
                    "per-organisation workbooks go beside it, in qa_5w_<cycle>/")
    _add_report_parser(sub)
    _add_export_parser(sub)
    _add_sql_parser(sub)
    _add_explain_parser(sub)
    _add_freeze_parsers(sub)
    args = parser.parse_args(argv)
    if getattr(args, "warehouse", None):   # ``duckdb:<path>`` is ``<path>`` for every command (docs/operations.md)
        from rmrp_pipeline.settings import warehouse_file

        args.warehouse = warehouse_file(args.warehouse)
    if args.command == "report":
        return _sector_page(args.sector, args.years, args.lang, args.output, args.warehouse)
    if args.command == "qa":
        return _qa(args.cycle, args.warehouse, args.output)
    if getattr(args, "handler", None):
        return args.handler(args)
    if args.command == "run":
        problem = _run_problem(args.raw_dir, args.warehouse)
        if problem:
            _say(f"rmrp run: {problem}")
            return 2
        from rmrp_pipeline.warehouse.publish import PublishError

        try:
            ok, cycles = run_pipeline(args.raw_dir, args.warehouse, quiet=args.quiet, qa=args.qa,
                                      only_rmrp_activities=args.only_rmrp_activities, all_cycles=args.all_cycles)
        except PublishError as exc:   # the warehouse location: locked, not writable, disk full
            _say(f"rmrp run: {exc}")
            return 2
        except ValueError as exc:   # a configuration the run cannot trust (environment, intersector models)
            _say(f"rmrp: {exc}")
            return 2
        if ok:
            _print_summary(args.warehouse, cycles, qa_written=args.qa)
        if args.qa and cycles:
            from pathlib import Path

            from rmrp_pipeline.defs.report_assets import qa_workbook_path
            from rmrp_pipeline.settings import DEFAULT_REPORTS_DIR

            reports = Path(os.environ.get("RMRP_REPORTS_DIR", DEFAULT_REPORTS_DIR))
            written = [p for p in (qa_workbook_path(reports, c) for c in cycles) if p.exists()]
            print("\nQA workbooks written (one sheet per organisation; beside each, qa_5w_<cycle>/: a workbook each):")
            print("\n".join(f"  {p}" for p in written) or "  none")
        return 0 if ok else 1
    return 2


def _run_problem(raw_dir: str, warehouse: str) -> str | None:
    """Why ``rmrp run`` cannot start (None when it can), found in a second: a missing or empty raw
    folder (a run over nothing would empty the warehouse), a read limit that is not a whole number
    (``RMRP_MAX_*``), a ``DAGSTER_HOME`` Dagster refuses, a
    warehouse location where no build can be made (``publish.location_problem``; the published
    file itself is never opened for writing, so analysts' connections do not matter), a reports
    folder where no file can be written (``RMRP_REPORTS_DIR``)."""
    from rmrp_pipeline.read.files import walk_raw_folder

    if not os.path.isdir(raw_dir):
        if os.path.exists(raw_dir):
            return f"the raw data folder {raw_dir} is a file; give the folder that holds the input files"
        return f"raw data folder not found: {raw_dir}"
    files, not_read = walk_raw_folder(Path(raw_dir))
    if not files and not_read:   # a folder that cannot be listed, files without read permission
        more = f" (and {len(not_read) - 1} more not read)" if len(not_read) > 1 else ""
        return (f"no input file in {raw_dir} can be read: {not_read[0].path}: {not_read[0].reason}{more}; "
                f"nothing to load (the warehouse is left as it is)")
    if not files:
        return f"no input files in {raw_dir}: nothing to load (the warehouse is left as it is)"
    from rmrp_pipeline.settings import ReadLimits

    try:
        ReadLimits.from_environment()
    except ValueError as exc:   # a limit the reads would refuse in every file
        return str(exc)
    home = os.environ.get("DAGSTER_HOME")
    if home and not (os.path.isabs(home) and os.path.isdir(home)):
        return f"DAGSTER_HOME={home!r} must be an existing folder given by its absolute path (e.g. $PWD/.dagster_home)"
    from rmrp_pipeline.warehouse.publish import location_problem

    problem = location_problem(warehouse)
    if problem:
        return problem
    from rmrp_pipeline.reports.files import folder_problem
    from rmrp_pipeline.settings import DEFAULT_REPORTS_DIR

    reports = folder_problem(Path(os.environ.get("RMRP_REPORTS_DIR", DEFAULT_REPORTS_DIR)))
    if reports:   # every run writes the submissions' QA workbooks there
        return f"{reports}: each run writes its QA workbooks there; set RMRP_REPORTS_DIR to a folder you can write"
    return None


def _command_typed() -> str:
    """The rmrp command as it was typed (``.venv/bin/rmrp`` when it is not on the PATH), for the
    commands the summary suggests; ``rmrp`` when run some other way (``python -m``)."""
    typed = sys.argv[0] if sys.argv else ""
    return typed if os.path.basename(typed) == "rmrp" and " " not in typed else "rmrp"


def _print_summary(warehouse: str, cycles: list[str], qa_written: bool = False) -> None:
    """The run summary of the published ``warehouse`` and which publication it now is."""
    import duckdb

    from rmrp_pipeline.reports.connect import WarehouseError, first_line, open_read_only
    from rmrp_pipeline.reports.summary import input_changes_lines, run_summary
    from rmrp_pipeline.warehouse.publish import input_changes, latest

    try:
        with open_read_only(warehouse) as con:
            print(run_summary(con, cycles, command=_command_typed(), qa_written=qa_written))
            number, published_at, run_id = latest(con) or (None, None, None)
            changes = input_changes(con)
    except (WarehouseError, duckdb.Error) as exc:
        _say(f"no summary: {first_line(str(exc))}")
        return
    if number:
        print(f"\nPublication {number} of the warehouse: run {run_id}, {published_at:%Y-%m-%d %H:%M:%S} UTC\n"
              "  (every publication: meta.publications)")
    if changes is not None:
        print("\n".join(input_changes_lines(changes)))


def _cycle_and_warehouse_problem(cycle: str, warehouse: str) -> str | None:
    """Why a report of ``cycle`` cannot be made from ``warehouse`` (None when it can)."""
    from rmrp_pipeline.cycles import cycle_window

    try:
        cycle_window(cycle)
    except ValueError as exc:
        return str(exc)
    if not os.path.exists(warehouse):
        from rmrp_pipeline.reports.connect import missing_warehouse

        return missing_warehouse(warehouse)
    return None


def _qa(cycle: str, warehouse: str, output: str | None) -> int:
    """``rmrp qa``: the QA workbook of one cycle from an existing warehouse, and beside it the folder
    of one workbook per appealing organisation in its language (``qa_5w.write_organisation_workbooks``)."""
    from pathlib import Path

    from rmrp_pipeline.defs.report_assets import qa_workbook_path
    from rmrp_pipeline.reports.connect import WarehouseError, no_5w_data, open_read_only
    from rmrp_pipeline.reports.qa_5w import organisation_folder, write_organisation_workbooks, write_qa_workbook
    from rmrp_pipeline.settings import DEFAULT_REPORTS_DIR

    problem = _cycle_and_warehouse_problem(cycle, warehouse)
    if problem:
        _say(f"rmrp qa: {problem}")
        return 2
    target = Path(output) if output else qa_workbook_path(Path(os.environ.get("RMRP_REPORTS_DIR", DEFAULT_REPORTS_DIR)), cycle)
    if target.suffix.lower() != ".xlsx":
        _say(f"rmrp qa: the QA workbook is an .xlsx file: give --output a name ending in .xlsx, not {target.name}")
        return 2
    try:
        con = open_read_only(warehouse)
    except WarehouseError as exc:
        _say(f"rmrp qa: {exc}")
        return _exit_code(exc)
    with con:
        if not _has_5w_rows(con, cycle):
            _say(f"rmrp qa: {no_5w_data(con, cycle, '5W rows')}")
            return 1
        note = _cycle_not_built(con, cycle)
        try:
            path, organisations = write_qa_workbook(con, cycle, target)
            folder = organisation_folder(path, cycle)
            written = write_organisation_workbooks(con, cycle, folder)
        except OSError as exc:
            _say(f"rmrp qa: cannot write {exc.filename or target}: {os_reason(exc)} "
                 "(give another place with --output or RMRP_REPORTS_DIR)")
            return 1
    print(f"QA workbook for {cycle}: {path} ({organisations:,} appealing organisations with rejects or findings)")
    languages = ", ".join(f"{n} in {lang}" for lang, n in written["language"].value_counts().sort_index().items())
    print(f"One workbook per organisation, to send: {folder}/ ({len(written):,}{': ' + languages if languages else ''})")
    if note:
        _say(f"rmrp qa: {note}; the workbooks hold the rows of the months there are")
    return 0


def _has_5w_rows(con: duckdb.DuckDBPyConnection, cycle: str) -> bool:
    """Whether the warehouse holds staged 5W rows of ``cycle``'s months."""
    from rmrp_pipeline.cycles import cycle_window

    start, end = cycle_window(cycle)
    return bool(con.execute("SELECT count(*) FROM staging.stg_5w__activities WHERE month >= ? AND month < ?",
                            [start, end]).fetchone()[0])


def _exit_code(exc: BaseException) -> int:
    """The exit code of a command stopped by ``exc``: 2 for a wrong argument (its ``wrong_argument``:
    a path with no warehouse, a table that is not exported), as for a misspelled cycle; 1 when what
    was asked is not in the data or failed (a locked warehouse, a query DuckDB refuses)."""
    return 2 if getattr(exc, "wrong_argument", False) else 1


def _print(text: str) -> None:
    """Print a result that may be piped into a reader that stops early (``| head``): not an error."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _warehouse_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", default=os.environ.get("RMRP_WAREHOUSE", DEFAULT_WAREHOUSE),
                        help="DuckDB warehouse file built by `rmrp run` (env RMRP_WAREHOUSE)")


def _add_export_parser(sub) -> None:
    export = sub.add_parser(
        "export", help="write a mart or meta table for analysts and HDX (.csv, .xlsx, .parquet)",
        description="Write one warehouse table: a mart or meta table by its full name (marts.sector_key_figures, "
                    "marts.people_reached_monthly, meta.load_log, ...), or people-reached: a cycle's people reached "
                    "in R4V's consolidated-report layout. Partners' free text is never exported.")
    export.add_argument("what", metavar="TABLE", help="marts.<table> or meta.<table>, or people-reached")
    export.add_argument("--output", help="file to write: .csv, .xlsx (for people: README sheet, print setup) or "
                                         ".parquet (warehouse types); default: data/reports/<table>[_<cycle>].csv")
    export.add_argument("--cycle", help="only the rows of this reporting cycle, e.g. 2021-H1 (tables built by "
                                        "cycle; required for people-reached)")
    export.add_argument("--hxl", action="store_true", help="add the HXL hashtag row under the header (HDX)")
    _warehouse_option(export)
    export.set_defaults(handler=_export)


def _add_sql_parser(sub) -> None:
    sql = sub.add_parser("sql", help="run a read-only SQL query on the warehouse",
                         description="Run SQL on the warehouse, read-only: SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, "
                                     "EXPLAIN, PRAGMA. Saved questions: examples/queries/*.sql.")
    sql.add_argument("query", help="SQL text, a .sql file, or - to read standard input")
    output = sql.add_mutually_exclusive_group()
    output.add_argument("--csv", action="store_true", help="CSV on standard output, for scripts")
    output.add_argument("--json", action="store_true", help="JSON (an array of objects), for scripts")
    sql.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="a variable the query reads with getvariable('NAME') (repeatable)")
    _warehouse_option(sql)
    sql.set_defaults(handler=_sql)


def _add_explain_parser(sub) -> None:
    explain = sub.add_parser("explain", help="how a figure was computed and the partner rows it rests on")
    explain_sub = explain.add_subparsers(dest="what", required=True)
    reached = explain_sub.add_parser("people-reached", help="one people-reached figure of a reporting cycle")
    reached.add_argument("--cycle", required=True, help="reporting cycle, e.g. 2021-H1")
    reached.add_argument("--country", required=True, help="country name (English, Spanish or Portuguese) or ISO3 code")
    reached.add_argument("--subsector", required=True,
                         help="subsector (any R4V name or alias, or words of one, e.g. Trafficking), or Intersector")
    reached.add_argument("--admin1", help="an admin1 of the country (default: the country level)")
    reached.add_argument("--month", help="YYYY-MM: the consolidated figure up to that month (default: the cycle's)")
    reached.add_argument("--limit", type=int, default=20, help="partner rows shown (default 20; 0: all)")
    _warehouse_option(reached)
    reached.set_defaults(handler=_explain)


def _add_freeze_parsers(sub) -> None:
    for action, text in (("freeze", "keep a published reporting cycle's figures while the raw files change"),
                         ("unfreeze", "let the next run rebuild a frozen reporting cycle from the current data")):
        command = sub.add_parser(action, help=text, description=f"{text[0].upper()}{text[1:]} (docs/freeze.md).")
        command.add_argument("cycle", metavar="CYCLE", help="reporting cycle, e.g. 2021-H1 (January-June) or 2021-H2")
        command.add_argument("--reason", help="why (required), e.g. \"mid-year report published\"")
        command.add_argument("--by", help="who (default: your login name)")
        _warehouse_option(command)
        command.set_defaults(handler=_freeze)


def _freeze(args: argparse.Namespace) -> int:
    """``rmrp freeze`` / ``rmrp unfreeze``: record the event (``marts.freeze``) in a build of the
    warehouse and publish it (``warehouse.publish``), as a run does: analysts' open connections
    neither block it nor see it half-written."""
    import duckdb

    from rmrp_pipeline.marts.freeze import FreezeError, freeze_cycle, unfreeze_cycle
    from rmrp_pipeline.reports.connect import first_line
    from rmrp_pipeline.warehouse import publish

    if not args.reason or not args.reason.strip():
        _say(f'rmrp {args.command}: give the reason with --reason, e.g. --reason "mid-year report published"')
        return 2
    if not os.path.isfile(args.warehouse):
        from rmrp_pipeline.reports.connect import missing_warehouse

        _say(f"rmrp {args.command}: {missing_warehouse(args.warehouse)}")
        return 2
    try:
        wait = publish.lock_wait_from_environment()
    except ValueError as exc:
        _say(f"rmrp {args.command}: {exc}")
        return 2
    try:
        with publish.build(args.warehouse, wait_seconds=wait, say=_say) as build:
            with duckdb.connect(str(build.path)) as con:
                done = (freeze_cycle if args.command == "freeze" else unfreeze_cycle)(con, args.cycle, args.reason, args.by)
            build.publish(publish.Publication(run_id=build.run_id, cycles=(done.cycle,)))
    except (FreezeError, publish.PublishError) as exc:
        _say(f"rmrp {args.command}: {exc}")
        return 1 if isinstance(exc, publish.WarehouseHeld) else 2
    except duckdb.Error as exc:
        _say(f"rmrp {args.command}: cannot write the warehouse {args.warehouse}: {first_line(str(exc))}")
        return 1
    then = ("runs keep its figures and list what the data would change in meta.cycle_revisions"
            if args.command == "freeze" else "the next `rmrp run` rebuilds it from the current data")
    verb = "frozen" if args.command == "freeze" else "unfrozen"
    print(f"{done.cycle} {verb} on {done.changed_at:%Y-%m-%d %H:%M} UTC "
          f"by {done.changed_by} ({done.reason}): {then}")
    return 0


def _export(args: argparse.Namespace) -> int:
    """``rmrp export``: people-reached in R4V's layout, or any mart or meta table."""
    from pathlib import Path

    from rmrp_pipeline.reports.connect import WarehouseError, open_read_only
    from rmrp_pipeline.reports.exports import ExportError, check_request, read_table, write_export
    from rmrp_pipeline.settings import DEFAULT_REPORTS_DIR

    if args.what == "people-reached":
        if not args.cycle:
            _say("rmrp export people-reached: give the reporting cycle with --cycle, e.g. --cycle 2021-H1")
            return 2
        return _export_people_reached(args.cycle, args.warehouse, args.output, args.hxl)
    reports = Path(os.environ.get("RMRP_REPORTS_DIR", DEFAULT_REPORTS_DIR))
    target = Path(args.output) if args.output else reports / f"{args.what}{'_' + args.cycle if args.cycle else ''}.csv"
    try:
        check_request(args.what, target, args.cycle)
        with open_read_only(args.warehouse) as con:
            export = read_table(con, args.what, args.cycle)
            note = _cycle_not_built(con, args.cycle) if args.cycle else None
        write_export(export, target, hxl=args.hxl, warehouse=args.warehouse)
    except (ExportError, WarehouseError) as exc:
        _say(f"rmrp export: {exc}")
        return _exit_code(exc)
    except OSError as exc:
        _say(f"rmrp export: cannot write {target}: {os_reason(exc)}")
        return 1
    scope = f" of {args.cycle}" if args.cycle else ""
    print(f"{args.what}{scope}: {target} ({export.data.num_rows:,} rows)")
    if note:
        _say(f"rmrp export: {note}; the export holds the months there are")
    return 0


def _cycle_not_built(con, cycle: str, table: str = "marts.fct_activities") -> str | None:
    """Why ``cycle`` is not a reporting cycle the warehouse built (None when it is): e.g. an
    end-year cycle of a year whose data stop in June, whose months' rows a report can still hold
    (the months with rows in ``table``)."""
    from rmrp_pipeline.reports.connect import built_cycles
    from rmrp_pipeline.reports.summary import cycle_months

    cycles = built_cycles(con)
    if cycle in cycles:
        return None
    return (f"{cycle} is not a reporting cycle of this warehouse (its data: {cycle_months(con, cycle, table)}; "
            f"its cycles: {', '.join(cycles) or 'none'})")


def _sql(args: argparse.Namespace) -> int:
    """``rmrp sql``: a read-only query, printed as a table, CSV or JSON."""
    from rmrp_pipeline.reports.connect import WarehouseError
    from rmrp_pipeline.reports.sql_console import QueryError, as_csv, as_json, as_table, query_text, run_query

    try:
        text = query_text(args.query)
        variables = dict(pair.split("=", 1) for pair in args.set if "=" in pair)
        if len(variables) != len(args.set):
            raise QueryError("--set takes NAME=VALUE")
        result = run_query(args.warehouse, text, variables)
    except (QueryError, WarehouseError) as exc:
        _say(f"rmrp sql: {exc}")
        return _exit_code(exc)
    _print(as_csv(result) if args.csv else as_json(result) if args.json else as_table(result))
    if result.unshown:
        _say(f"rmrp sql: {result.unshown + 1} statements given: the result shown is the last one's "
             "(give them one at a time to see each)")
    return 0


def _explain(args: argparse.Namespace) -> int:
    """``rmrp explain people-reached``: the figure, its method and its partner rows."""
    import duckdb

    from rmrp_pipeline.reports.connect import WarehouseError, first_line, open_read_only
    from rmrp_pipeline.reports.explain import ExplainError, explain_people_reached, render

    problem = _cycle_and_warehouse_problem(args.cycle, args.warehouse)
    if args.limit < 0:
        problem = f"--limit takes a number of partner rows, or 0 for all of them, not {args.limit}"
    if problem:
        _say(f"rmrp explain: {problem}")
        return 2
    try:
        with open_read_only(args.warehouse) as con:
            explanation = explain_people_reached(con, args.cycle, args.country, args.subsector, args.admin1, args.month)
    except (ExplainError, WarehouseError) as exc:
        _say(f"rmrp explain: {exc}")
        return _exit_code(exc)
    except duckdb.CatalogException as exc:
        _say(f"rmrp explain: the warehouse lacks a table the explanation reads ({first_line(str(exc))}): "
             "run `rmrp run`")
        return 1
    _print(render(explanation, args.limit))
    return 0


def _export_people_reached(cycle: str, warehouse: str, output: str | None, hxl: bool = False) -> int:
    """``rmrp export people-reached``: marts.people_reached_monthly of one cycle in R4V's
    consolidated-report layout, as CSV (or a workbook when ``output`` ends in .xlsx)."""
    from pathlib import Path

    from rmrp_pipeline.reports.connect import WarehouseError, no_5w_data, open_read_only
    from rmrp_pipeline.reports.exports import people_reached_models, write_people_reached
    from rmrp_pipeline.reports.r4v_layout import r4v_consolidated_report
    from rmrp_pipeline.reports.summary import cycle_months
    from rmrp_pipeline.settings import DEFAULT_REPORTS_DIR
    from rmrp_pipeline.warehouse import db as warehouse_lib

    problem = _cycle_and_warehouse_problem(cycle, warehouse)
    if problem:
        _say(f"rmrp export: {problem}")
        return 2
    reports = Path(os.environ.get("RMRP_REPORTS_DIR", DEFAULT_REPORTS_DIR))
    target = Path(output) if output else reports / f"rmrp_people_reached_{cycle}.csv"
    try:
        with open_read_only(warehouse) as con:
            if not warehouse_lib.table_exists(con, "marts.people_reached_monthly"):   # no 5W data: no cycle built
                _say(f"rmrp export: {no_5w_data(con, cycle)}")
                return 1
            frame = r4v_consolidated_report(con, cycle)
            scope = cycle_months(con, cycle, "marts.people_reached_monthly") if not frame.empty else ""
            only = con.execute("SELECT bool_or(only_rmrp_activities) FROM marts.people_reached_monthly").fetchone()[0]
            note = _cycle_not_built(con, cycle, "marts.people_reached_monthly")
            models = people_reached_models(con, cycle)
            nothing = no_5w_data(con, cycle) if frame.empty else None
    except WarehouseError as exc:
        _say(f"rmrp export: {exc}")
        return _exit_code(exc)
    if nothing:
        _say(f"rmrp export: {nothing}")
        return 1
    if only:
        scope += "; rows with RMRP Activity = Yes only"
    if target.suffix.lower() not in (".csv", ".xlsx"):
        _say(f"rmrp export: write to a .csv or an .xlsx file, not {target.name}")
        return 2
    try:
        write_people_reached(frame, target, cycle, scope, models, warehouse, hxl)
    except OSError as exc:
        _say(f"rmrp export: cannot write {target}: {os_reason(exc)}")
        return 1
    print(f"people reached for {cycle}: {target} ({len(frame):,} rows; {scope})")
    if note:
        _say(f"rmrp export: {note}; the export holds the months there are")
    return 0


def _add_report_parser(sub: argparse._SubParsersAction) -> None:
    """``rmrp report sector-page``: the arguments."""
    report = sub.add_parser("report", help="write a published R4V page from the warehouse")
    report_sub = report.add_subparsers(dest="what", required=True)
    page = report_sub.add_parser("sector-page", help="a sector's key figures page (PDF or HTML), as R4V publishes it")
    page.add_argument("--sector", required=True, help="sector name or alias in English, Spanish or Portuguese, "
                                                      "words of one (e.g. Trafficking), or its indicator code prefix (e.g. RE-PRHT)")
    page.add_argument("--years", required=True, help="plan years, comma-separated, e.g. 2023,2024")
    page.add_argument("--lang", default="es", choices=("es", "en", "pt"), help="language of the page (default es)")
    page.add_argument("--output", required=True, help="file to write, .pdf or .html")
    page.add_argument("--warehouse", default=os.environ.get("RMRP_WAREHOUSE", DEFAULT_WAREHOUSE),
                      help="DuckDB warehouse file built by `rmrp run`")


def _sector_page(sector: str, years_text: str, language: str, output: str, warehouse: str) -> int:
    """``rmrp report sector-page``: reports.sector_page.write_sector_page on an existing warehouse."""
    from pathlib import Path

    from rmrp_pipeline.reports.connect import WarehouseError, open_read_only
    from rmrp_pipeline.reports.sector_page import write_sector_page

    try:
        years = [int(y) for y in years_text.split(",") if y.strip()]
    except ValueError:
        years = []
    if not years:
        _say(f"rmrp report: --years takes plan years separated by commas (e.g. 2023,2024), not {years_text!r}")
        return 2
    try:
        con = open_read_only(warehouse)
    except WarehouseError as exc:
        _say(f"rmrp report: {exc}")
        return _exit_code(exc)
    with con:
        try:
            path = write_sector_page(con, sector, years, language, Path(output))
        except ValueError as exc:
            _say(f"rmrp report: {exc}")
            return 2
        except OSError as exc:
            _say(f"rmrp report: cannot write {output}: {os_reason(exc)}")
            return 1
    print(f"sector page: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
