"""The planning part of the ingest: PiN/target tables, proportion sheets and activity submissions.

``ingest.ingest_raw_folder`` reads every file once and hands each recognised planning sheet to a
:class:`PlanningIngest` (``add``), together with the full canonical frames of the reference sheets
(``add_reference``: the 2023-2024 registry's Spanish names, the partner list's placeholder row).
Once every file is read, :meth:`PlanningIngest.stage` stages them in order: the tables first (the
submissions' ``target_above_pin`` rule needs the PiN), then the proportions, then the submissions;
it adds the staged rows and the issues to the ingest's result. No warehouse access, no Dagster.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from rmrp_pipeline.quality.issues import concat_issues, split_issues
from rmrp_pipeline.read.templates import Recognition, Template
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.sources.planning.pin_target import (
    PROPORTION_KIND,
    TABLE_KINDS,
    stage_pin_target,
    stage_proportions,
)
from rmrp_pipeline.sources.planning.submissions import (
    POPULATION,
    SUBMISSION_KIND,
    SubmissionReference,
    stage_submissions,
    target_above_pin,
)
from rmrp_pipeline.sources.reference import ReferenceData

#: Template kinds this module stages, and the staging table each feeds.
PLANNING_TABLES: dict[str, str] = {
    **{kind: "staging.stg_planning__pin_target" for kind in TABLE_KINDS},
    PROPORTION_KIND: "staging.ref_planning_proportions",
    SUBMISSION_KIND: "staging.stg_planning__submissions",
}
PLANNING_KINDS = frozenset(PLANNING_TABLES)


def country_pin(pin_target_rows: pd.DataFrame) -> pd.DataFrame:
    """Country-level PiN by population type (long: plan_year, country_iso3, sector,
    population_type, value) from staged PiN/target rows; only loaded rows with a value."""
    rows = pin_target_rows[
        ~pin_target_rows["is_rejected"] & pin_target_rows["measure"].eq("people_in_need")
        & pin_target_rows["level"].eq("country")
    ]
    parts = [
        rows[["plan_year", "country_iso3", "sector"]].assign(population_type=pop, value=rows[f"{pop}_all"])
        for pop in POPULATION
    ]
    if not parts:
        return pd.DataFrame(columns=["plan_year", "country_iso3", "sector", "population_type", "value"])
    return pd.concat(parts, ignore_index=True).dropna(subset=["value"])


@dataclass
class PlanningIngest:
    """Planning sheets collected during one ingest (see the module docstring)."""

    sheets: list[tuple[SheetData, Recognition]] = field(default_factory=list)
    reference_parts: list[tuple[Template, pd.DataFrame]] = field(default_factory=list)

    @staticmethod
    def accepts(kind: str) -> bool:
        """Whether sheets of template ``kind`` are staged here."""
        return kind in PLANNING_KINDS

    def add(self, sheet: SheetData, recognition: Recognition) -> None:
        """Keep a recognised planning sheet for :meth:`stage`."""
        self.sheets.append((sheet, recognition))

    def add_reference(self, template: Template, canonical: pd.DataFrame) -> None:
        """Keep a reference sheet's rows under all their canonical columns (``ReferenceData`` keeps
        only the columns every cycle has; the submissions need the Spanish ones too)."""
        self.reference_parts.append((template, canonical))

    def stage(self, result, reference: ReferenceData, progress: Callable[[str], None] = lambda _m: None,
              on_error: Callable[[SheetData, Exception], None] | None = None) -> None:
        """Stage every kept sheet and add the frames to ``result`` (an ``ingest.IngestResult``):
        the three staging tables of :data:`PLANNING_TABLES`, ``meta.rejected_rows`` and
        ``meta.quality_findings``. A sheet whose staging fails is passed to ``on_error`` (the ingest
        marks it unreadable) and the others go on; without ``on_error`` the error is raised."""

        def attempt(sheet: SheetData, stage):
            try:
                return stage()
            except Exception as exc:  # noqa: BLE001 - one bad sheet must not stop the others
                if on_error is None:
                    raise
                on_error(sheet, exc)
                return None

        by_kind = lambda kinds: [(s, r) for s, r in self.sheets if r.template.kind in kinds]  # noqa: E731
        staged_tables = []
        for sheet, recognition in by_kind(set(TABLE_KINDS)):
            progress(f"staging planning table {sheet.source_file} [{sheet.sheet}]: {sheet.rows_read:,} rows")
            staged = attempt(sheet, lambda: stage_pin_target(sheet, recognition, reference))
            if staged is not None:
                staged_tables.append(staged.rows)
                self._add(result, "staging.stg_planning__pin_target", staged.rows, staged.issues, "stg_planning__pin_target")
        for sheet, recognition in by_kind({PROPORTION_KIND}):
            progress(f"staging proportions {sheet.source_file} [{sheet.sheet}]: {sheet.rows_read:,} rows")
            staged = attempt(sheet, lambda: stage_proportions(sheet, recognition, reference))
            if staged is not None:
                self._add(result, "staging.ref_planning_proportions", staged.rows, staged.issues, "ref_planning_proportions")
        submissions = by_kind({SUBMISSION_KIND})
        if not submissions:
            return
        checked_against = SubmissionReference.build(reference, self.reference_parts)
        rows = []
        for sheet, recognition in submissions:
            progress(f"checking submission {sheet.source_file} [{sheet.sheet}]: {sheet.rows_read:,} rows")
            staged = attempt(sheet, lambda: stage_submissions(sheet, recognition, checked_against))
            if staged is not None:
                rows.append(staged.rows)
                self._add(result, "staging.stg_planning__submissions", staged.rows, staged.issues, "stg_planning__submissions")
        if not rows:
            return
        pin = country_pin(pd.concat(staged_tables, ignore_index=True)) if staged_tables else pd.DataFrame(
            columns=["plan_year", "country_iso3", "sector", "population_type", "value"])
        above = target_above_pin(pd.concat(rows, ignore_index=True), pin)
        self._add(result, None, None, concat_issues([above]), "stg_planning__submissions")

    @staticmethod
    def _add(result, table: str | None, rows: pd.DataFrame | None, issues: pd.DataFrame, produced_by: str) -> None:
        if table is not None:
            result.add(table, rows)
        rejects, findings = split_issues(issues, produced_by)
        result.add("meta.rejected_rows", rejects)
        result.add("meta.quality_findings", findings)
