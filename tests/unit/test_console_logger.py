"""Dagster's console lines of the pipeline's jobs (defs/console.py): an error with its stack trace in
one line, any other message as Dagster writes it."""

from __future__ import annotations

import logging

from rmrp_pipeline.defs.console import OneLineFormatter

FAILURE = ('ingest_job - 9f28 - warehouse_tables - STEP_FAILURE - Execution of step "warehouse_tables" failed.\n\n'
           "dagster._core.definitions.events.Failure: building marts.fct_planning_figures: Conversion Error\n\n"
           'Stack Trace:\n  File "/x/execute_plan.py", line 243, in dagster_event_sequence_for_step\n'
           "    yield from check.generator(step_events)\n\n"
           "The above exception was caused by the following exception:\nduckdb.ConversionException: Conversion Error\n")


def _line(message: str, level: int = logging.INFO) -> str:
    text = OneLineFormatter().format(logging.LogRecord("dagster", level, __file__, 1, message, None, None))
    return text.split(" - ", 1)[1]   # after the time


def test_a_failed_step_is_one_line_ending_with_its_error():
    assert _line(FAILURE, logging.ERROR) == (
        'dagster - ERROR - ingest_job - 9f28 - warehouse_tables - STEP_FAILURE - Execution of step "warehouse_tables" '
        "failed. Failure: building marts.fct_planning_figures: Conversion Error (its stack trace: the run's event log "
        "in the Dagster UI)")


def test_an_error_whose_stack_trace_comes_first_keeps_its_first_line():
    assert _line("RUN_FAILURE - failed.\n\nStack Trace:\n  File \"a.py\", line 1\n", logging.ERROR) == (
        "dagster - ERROR - RUN_FAILURE - failed. (its stack trace: the run's event log in the Dagster UI)")


def test_other_messages_are_dagster_s_own_lines():
    assert _line("ingest_job - 9f28 - ingest_raw_files - reading 1/9: a.xlsx") == (
        "dagster - INFO - ingest_job - 9f28 - ingest_raw_files - reading 1/9: a.xlsx")
    assert _line("two\nlines") == "dagster - INFO - two\nlines"


def _short(message: str, level: int, **meta) -> str:
    record = logging.LogRecord("dagster", level, __file__, 1, message, None, None)
    record.dagster_meta = {"step_key": None, "job_name": "ingest_job", "dagster_event": None, **meta}
    return OneLineFormatter(short=True).format(record).split(" ", 1)[1]   # after the time


def test_rmrp_run_s_lines_are_the_step_and_the_message():
    """``rmrp run`` gives the console logger ``short``: no date, logger name or run id."""
    assert _short("ingest_job - 9f28 - ingest_raw_files - reading 1/9: a.xlsx", logging.INFO,
                  step_key="ingest_raw_files", orig_message="reading 1/9: a.xlsx") == "ingest_raw_files: reading 1/9: a.xlsx"

    class Event:
        event_type_value = "PIPELINE_FAILURE"

    assert _short(FAILURE, logging.ERROR, dagster_event=Event(), orig_message="Execution of run failed.") == (
        "ERROR ingest_job: RUN_FAILURE Execution of run failed. Failure: building marts.fct_planning_figures: "
        "Conversion Error (its stack trace: the run's event log in the Dagster UI)")


#: A step whose code raised an ordinary exception, as Dagster writes it: its wrapper first, then the cause.
STEP_ERROR = ('ingest_job - 9f28 - 12056 - ingest_raw_files - STEP_FAILURE - Execution of step "ingest_raw_files" '
              'failed.\n\ndagster._core.errors.DagsterExecutionStepExecutionError: Error occurred while executing op '
              '"ingest_raw_files"::\n\nValueError: RMRP_MAX_CELLS=\'abc\': use a whole number above 0\n\n'
              'Stack Trace:\n  File "/x/utils.py", line 57, in op_execution_error_boundary\n    yield\n')
RUN_ERROR = ('ingest_job - 9f28 - 12056 - RUN_FAILURE - Execution of run for "ingest_job" failed. Steps failed: '
             "['ingest_raw_files'].\n\ndagster._core.errors.DagsterExecutionStepExecutionError: Error occurred while "
             'executing op "ingest_raw_files":\n\nStack Trace:\n  File "/x/execute_plan.py", line 243, in x\n'
             "    yield from check.generator(step_events)\n\nThe above exception was caused by the following "
             "exception:\nValueError: RMRP_MAX_CELLS='abc': use a whole number above 0\n\nStack Trace:\n"
             '  File "/x/utils.py", line 57, in op_execution_error_boundary\n    yield\n')


def test_a_step_s_error_is_named_by_its_cause_not_by_dagster_s_wrapper():
    """An exception of the step's own code reaches the console wrapped by Dagster ("Error occurred
    while executing op"): the line names the exception that was raised."""
    assert _short(STEP_ERROR, logging.ERROR, step_key="ingest_raw_files",
                  orig_message='Execution of step "ingest_raw_files" failed.') == (
        'ERROR ingest_raw_files: Execution of step "ingest_raw_files" failed. ValueError: '
        "RMRP_MAX_CELLS='abc': use a whole number above 0 (its stack trace: the run's event log in the Dagster UI)")
    assert _line(RUN_ERROR, logging.ERROR) == (
        'dagster - ERROR - ingest_job - 9f28 - 12056 - RUN_FAILURE - Execution of run for "ingest_job" failed. '
        "Steps failed: ['ingest_raw_files']. ValueError: RMRP_MAX_CELLS='abc': use a whole number above 0 "
        "(its stack trace: the run's event log in the Dagster UI)")
