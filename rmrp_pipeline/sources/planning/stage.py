"""The planning part of the ingest: PiN/target tables, proportion sheets, activity submissions
and the published key-figures workbooks.

``PlanningStager`` keeps each recognised planning sheet and, in step ``planning`` (after the
reference lists), stages them in order: the tables first (the submissions' ``target_above_pin``
rule needs the PiN), then the proportions, then the submissions. ``PublishedFiguresStager`` keeps
the three sheets of each key-figures workbook and reads them in step ``published_figures``
(``key_figures.read_key_figures_sheets``). Both add the staged rows and the issues to the
ingest's ``Staging``. No warehouse access, no Dagster.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rmrp_pipeline.quality.issues import ISSUE_TABLE_COLUMNS, concat_issues, issues_for_table
from rmrp_pipeline.quality.rules import FINDING, REJECT
from rmrp_pipeline.read.templates import Recognition
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.sources.planning.key_figures import (
    KEY_FIGURES_COLUMNS,
    OTHER_FIGURES_COLUMNS,
    SOURCE_COLUMNS,
    KeyFiguresLayoutError,
    read_key_figures_sheets,
)
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
from rmrp_pipeline.sources.staging import Staging, Stager, Step, canonical_frame, with_lineage

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


Sheets = list[tuple[SheetData, Recognition]]


class PlanningStager(Stager):
    """The planning sheets (kinds of :data:`PLANNING_TABLES`), staged in step ``planning`` (see the
    module docstring). A sheet whose staging fails is marked not staged and the others go on."""

    kinds = PLANNING_KINDS

    def __init__(self) -> None:
        self.sheets: Sheets = []

    def add(self, sheet: SheetData, recognition: Recognition, staging: Staging) -> None:
        self.sheets.append((sheet, recognition))

    def steps(self) -> list[Step]:
        return [Step("planning", self.stage, after=("reference",))]

    def stage(self, staging: Staging) -> None:
        """Stage every kept sheet into the three staging tables of :data:`PLANNING_TABLES`, their
        issues into ``meta.rejected_rows`` and ``meta.quality_findings``."""
        pin_target = self._stage_tables(staging)
        submissions = self._of({SUBMISSION_KIND})
        if not submissions:
            return
        checked_against = SubmissionReference.build(staging.reference, staging.reference_sheets)
        rows = []
        for sheet, recognition in submissions:
            staging.progress(f"checking submission {sheet.source_file} [{sheet.sheet}]: {sheet.rows_read:,} rows")
            staged = _attempt(staging, sheet, lambda: stage_submissions(sheet, recognition, checked_against))
            if staged is not None:
                rows.append(staged.rows)
                _add(staging, "staging.stg_planning__submissions", staged.rows, staged.issues, "stg_planning__submissions")
        if not rows:
            return
        pin = country_pin(pd.concat(pin_target, ignore_index=True)) if pin_target else pd.DataFrame(
            columns=["plan_year", "country_iso3", "sector", "population_type", "value"])
        above = target_above_pin(pd.concat(rows, ignore_index=True), pin)
        _add(staging, None, None, concat_issues([above]), "stg_planning__submissions")

    def _of(self, kinds: set[str]) -> Sheets:
        return [(s, r) for s, r in self.sheets if r.template.kind in kinds]

    def _stage_tables(self, staging: Staging) -> list[pd.DataFrame]:
        """Stage the PiN/target tables, then the proportions; returns the staged table rows."""
        staged_tables = []
        for sheet, recognition in self._of(set(TABLE_KINDS)):
            staging.progress(f"staging planning table {sheet.source_file} [{sheet.sheet}]: {sheet.rows_read:,} rows")
            staged = _attempt(staging, sheet, lambda: stage_pin_target(sheet, recognition, staging.reference))
            if staged is not None:
                staged_tables.append(staged.rows)
                _add(staging, "staging.stg_planning__pin_target", staged.rows, staged.issues, "stg_planning__pin_target")
        for sheet, recognition in self._of({PROPORTION_KIND}):
            staging.progress(f"staging proportions {sheet.source_file} [{sheet.sheet}]: {sheet.rows_read:,} rows")
            staged = _attempt(staging, sheet, lambda: stage_proportions(sheet, recognition, staging.reference))
            if staged is not None:
                _add(staging, "staging.ref_planning_proportions", staged.rows, staged.issues, "ref_planning_proportions")
        return staged_tables


def _attempt(staging: Staging, sheet: SheetData, stage):
    """``stage()``, or None when it fails: the sheet is then marked not staged (one bad sheet must
    not stop the others)."""
    try:
        return stage()
    except Exception as exc:  # noqa: BLE001
        staging.not_staged(sheet, exc)
        return None


def _add(staging: Staging, table: str | None, rows: pd.DataFrame | None, issues: pd.DataFrame, produced_by: str) -> None:
    if table is not None:
        staging.add(table, rows)
    staging.add("meta.rejected_rows", issues_for_table(issues, REJECT, produced_by))
    staging.add("meta.quality_findings", issues_for_table(issues, FINDING, produced_by))


#: Template kind of each sheet of a published key-figures workbook -> its argument of
#: ``read_key_figures_sheets``.
PUBLISHED_SHEETS: dict[str, str] = {
    "published_key_figures": "key_figures",
    "published_other_figures": "other_figures",
    "published_source": "source",
}
_PUBLISHED_COLUMNS = {"key_figures": KEY_FIGURES_COLUMNS, "other_figures": OTHER_FIGURES_COLUMNS, "source": SOURCE_COLUMNS}
PUBLISHED_TABLE = "staging.stg_planning__published_figures"


class PublishedFiguresStager(Stager):
    """The published key-figures workbooks (kinds of :data:`PUBLISHED_SHEETS`): step
    ``published_figures`` reads the three sheets of each workbook into
    ``staging.stg_planning__published_figures`` (a row with a rejected cell is left out whole),
    its ``source`` sheet into ``staging.stg_planning__sources``, the rejects and findings into
    ``meta``. A workbook that cannot be read (layout, a sheet missing) loads nothing and its
    sheets are marked unreadable with the reason; the other files go on."""

    kinds = frozenset(PUBLISHED_SHEETS)

    def __init__(self) -> None:
        self.workbooks: dict[str, Sheets] = {}

    def add(self, sheet: SheetData, recognition: Recognition, staging: Staging) -> None:
        self.workbooks.setdefault(sheet.source_file, []).append((sheet, recognition))

    def steps(self) -> list[Step]:
        return [Step("published_figures", self.stage)]

    def stage(self, staging: Staging) -> None:
        for name, sheets in self.workbooks.items():
            staging.progress(f"reading published figures: {Path(name).name}")
            try:
                figures, rejects, info = read_key_figures_sheets(**_published_sheets(name, sheets))
            except Exception as exc:  # noqa: BLE001 - a broken workbook must not stop the other files
                for sheet, _recognition in sheets:
                    staging.unreadable(sheet, f"{type(exc).__name__}: {exc}")
                continue
            for sheet, recognition in sheets:
                if recognition.template.kind == "published_source":
                    staging.add("staging.stg_planning__sources", with_lineage(canonical_frame(sheet, recognition), sheet))
            rejects = rejects.assign(produced_by="stg_planning__published_figures")
            # A row with an unreadable cell is rejected whole: none of its cells is loaded.
            bad = set(zip(rejects["sheet"], rejects["row_number"]))
            keep = [(s, r) not in bad for s, r in zip(figures["sheet"], figures["row_number"])]
            staging.add(PUBLISHED_TABLE, figures.loc[keep])
            staging.add("meta.rejected_rows", rejects[ISSUE_TABLE_COLUMNS])
            if info.get("findings"):
                findings = pd.DataFrame(info["findings"]).assign(produced_by="stg_planning__published_figures")
                staging.add("meta.quality_findings", findings[ISSUE_TABLE_COLUMNS])


def _published_sheets(name: str, sheets: Sheets) -> dict[str, SheetData]:
    """The arguments of ``read_key_figures_sheets`` from the recognised sheets of one workbook.

    Raises:
        KeyFiguresLayoutError: no sheet, or more than one, is recognised as one of the three.
    """
    found: dict[str, list[SheetData]] = {argument: [] for argument in PUBLISHED_SHEETS.values()}
    for sheet, recognition in sheets:
        found[PUBLISHED_SHEETS[recognition.template.kind]].append(sheet)
    for argument, candidates in found.items():
        if len(candidates) != 1:
            shown = ", ".join(repr(s.sheet) for s in candidates) or "none"
            raise KeyFiguresLayoutError(
                f"{Path(name).name}: a key-figures workbook needs one {argument} sheet, with the columns "
                f"{list(_PUBLISHED_COLUMNS[argument])}; sheets recognised as such: {shown}")
    return {argument: candidates[0] for argument, candidates in found.items()}
