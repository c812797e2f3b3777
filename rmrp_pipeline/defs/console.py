"""The console logger of the pipeline's jobs: Dagster's own line for each event. An event that
carries an error with its stack trace (a failed step, a failed run) is one line ending with the
error's first line; the stack trace stays in the run's event log, which the Dagster UI shows.
``short`` (``rmrp run``): each line is the time, the step (or job) and the message, without the
date, the logger's name and the run's id."""

from __future__ import annotations

import logging
import re

import dagster as dg

#: An exception's class as Dagster writes it before the error (``dagster._core....Failure: ``).
_QUALIFIED_CLASS = re.compile(r"^(?:[A-Za-z_][\w]*\.)+(?=[A-Za-z_]\w*: )")
STACK_NOTE = "(its stack trace: the run's event log in the Dagster UI)"
#: Dagster's error around an exception of the step's own code (``...Error: Error occurred while executing op "x":``).
_WRAPPER = re.compile(r"^(?:[A-Za-z_]\w*\.)*Dagster\w*Error: .*:$")
_CAUSE = "The above exception was caused by the following exception:"


class OneLineFormatter(logging.Formatter):
    """Dagster's console format (time, logger, level, message), or with ``short`` the time, the step
    and the message. A message that carries an error with its stack trace is cut to one line: its
    first line, then the error's first line (without the exception's module path); any other
    message is left as it is."""

    def __init__(self, short: bool = False) -> None:
        self.short = short
        if short:
            super().__init__("%(asctime)s %(message)s", "%H:%M:%S")
        else:
            super().__init__("%(asctime)s - %(name)s - %(levelname)s - %(message)s", "%Y-%m-%d %H:%M:%S %z")

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None, "stack_info": None})
        message = record.getMessage()
        error = None
        if "\nStack Trace:" in message:   # an error with its stack trace: its first line (or its cause's)
            error = _QUALIFIED_CLASS.sub("", _error_line(message.partition("\n")[2]))
        meta = getattr(record, "dagster_meta", None)
        if self.short and isinstance(meta, dict) and "orig_message" in meta:
            event = meta.get("dagster_event")
            kind = getattr(event, "event_type_value", None) if event is not None else None
            kind = kind.replace("PIPELINE_", "RUN_") if kind else None   # Dagster's older names of run events
            level = f"{record.levelname} " if record.levelno >= logging.WARNING else ""
            where = meta.get("step_key") or meta.get("job_name") or record.name
            record.msg, record.args = f"{level}{where}: {kind + ' ' if kind else ''}{meta['orig_message']}", None
        elif error is not None:
            record.msg, record.args = message.partition("\n")[0], None
        if error is None:
            return super().format(record)
        return " ".join(part for part in (super().format(record), error, STACK_NOTE) if part)


def _error_line(text: str) -> str:
    """The first line of the error ``text`` (what follows an event's message); for Dagster's wrapper
    of an exception raised by the step's code, the line of that exception: the line under the
    wrapper, or the line after the last "caused by" (where the wrapper's stack trace comes first)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or lines[0].startswith("Stack Trace:"):
        return ""
    if _WRAPPER.match(lines[0]):
        if len(lines) > 1 and not lines[1].startswith("Stack Trace:"):
            return lines[1]
        causes = [i for i, line in enumerate(lines[:-1]) if line == _CAUSE]
        if causes:
            return lines[causes[-1] + 1]
    return lines[0]


@dg.logger(
    config_schema={
        "log_level": dg.Field(str, is_required=False, default_value="INFO", description="The logger's threshold."),
        "name": dg.Field(str, is_required=False, default_value="dagster", description="The logger's name."),
        "short": dg.Field(bool, is_required=False, default_value=False,
                          description="Time, step and message only (no date, logger name or run id)."),
    },
    description="Dagster's console logger, one line per event (a failed step: its error's first line).",
)
def console_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    config = init_context.logger_config
    logger = logging.getLoggerClass()(config["name"], level=config["log_level"].upper())
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(short=config["short"]))
    logger.addHandler(handler)
    return logger
