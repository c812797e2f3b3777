"""Reporting cycles: ``YYYY-H1`` (January-June, mid-year report) and ``YYYY-H2``
(January-December, end-year report, cumulative). Keys are added when the raw data shows a
cycle (``rmrp run``, the raw-folder sensor) or by hand in the UI."""

import dagster as dg

reporting_cycles = dg.DynamicPartitionsDefinition(name="reporting_cycle")
