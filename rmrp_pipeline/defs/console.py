"""The console logger of the pipeline's jobs: Dagster's own line for each event. An event that
carries an error with its stack trace (a failed step, a failed run) is one line ending with the
error's first line; the stack trace stays in the run's event log, which the Dagster UI shows."""

from __future__ import annotations

import logging
import re

import dagster as dg

#: An exception's class as Dagster writes it before the error (``dagster._core....Failure: ``).
_QUALIFIED_CLASS = re.compile(r"^(?:[A-Za-z_][\w]*\.)+(?=[A-Za-z_]\w*: )")


class OneLineFormatter(logging.Formatter):
    """Dagster's console format (time, logger, level, message). A message that carries an error with
    its stack trace is cut to one line: its first line, then the error's first line (without the
    exception's module path); any other message is left as it is."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s - %(name)s - %(levelname)s - %(message)s", "%Y-%m-%d %H:%M:%S %z")

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None, "stack_info": None})
        text = super().format(record)
        if "\nStack Trace:" not in text:   # no error with a stack trace: Dagster's line as it is
            return text
        head, _, rest = text.partition("\n")
        error = next((line.strip() for line in rest.splitlines() if line.strip()), "")
        if error.startswith("Stack Trace:"):
            return f"{head} (its stack trace: the run's event log in the Dagster UI)"
        return f"{head} {_QUALIFIED_CLASS.sub('', error)} (its stack trace: the run's event log in the Dagster UI)"


@dg.logger(
    config_schema={
        "log_level": dg.Field(str, is_required=False, default_value="INFO", description="The logger's threshold."),
        "name": dg.Field(str, is_required=False, default_value="dagster", description="The logger's name."),
    },
    description="Dagster's console logger, one line per event (a failed step: its error's first line).",
)
def console_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    config = init_context.logger_config
    logger = logging.getLoggerClass()(config["name"], level=config["log_level"].upper())
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter())
    logger.addHandler(handler)
    return logger
