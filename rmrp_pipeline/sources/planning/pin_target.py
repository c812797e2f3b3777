"""R4V's PiN and target tables (RMRP 2022 layout) and the proportion sheets beside them.

Input: a sheet recognised as kind ``pin_table`` or ``target_table`` (layouts: one row per
platform × country × admin1 × subsector; ``Country level`` rows hold the national figures and
``Intersector`` rows the people counted once across sectors; 30 figure columns = population type
(all, destination, transit, host community, pendular, returnees) × age/gender (all, girls, boys,
women, men)), e.g. sheets ``PiN 2022`` and ``Target`` of
``data/raw/planning/rmrp2022_pin_target_by_admin1_sector.xlsx`` (R4V's ``Proportions.xlsx``).

Output of :func:`stage_pin_target`: one staged row per input row (:data:`STAGED_COLUMNS`, figures
in persons, NULL where the cell is blank: "not given", never 0) and one issue row per failed rule.
Every figure is stored as given: national rows are never replaced by sums of their admin1 rows,
nor the intersector by sums of sectors (domain.md §2.3; the sums are checks, in
``reconciliation.reconcile_planning_figures``).

Rules (ids and messages in ``rules.py``):

* rejects (the row is not loaded): ``platform_not_r4v``, ``country_not_r4v``,
  ``platform_country_mismatch``, ``sector_unknown`` (the figures could not be attributed),
  ``number_unreadable`` / ``number_ambiguous`` / ``cell_error`` / ``formula_without_value`` (a
  figure that cannot be read with certainty), ``count_negative``, ``count_not_whole``,
  ``count_implausible``, and ``duplicate_row`` (a second row for the same measure, country, admin1
  and sector: an empty or identical copy is rejected and the other row kept; copies with different
  figures are all rejected, since we cannot know which is right);
* findings (loaded): ``breakdown_sum_mismatch`` (age/gender cells that do not add up to their
  population type's total, or population types that do not add up to the total, by more than half
  a person).

Admin1 names are kept as written: R4V's own 2022 table uses units that are in no admin1 list
(``Other``, long Chilean names), and no 2022 list exists.

:func:`stage_proportions` reads the proportion sheets (kind ``planning_proportions``: country ×
admin1 × subsector, the share of each age/gender group, overall and per population type), the
reference data of the ``maxsector`` consolidation model (domain.md §3.4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rmrp_pipeline.domain import MAX_PERSONS_IN_A_ROW, PLATFORMS, resolve_sectors
from rmrp_pipeline.quality.issues import (
    concat_issues,
    issue_rows,
    problem_cell_masks,
    shown_cells,
)
from rmrp_pipeline.read.templates import Recognition
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.sources.planning.common import (
    AGE_GENDER,
    POPULATION_TYPES,
    figure_columns,
)
from rmrp_pipeline.sources.reference import ReferenceData
from rmrp_pipeline.text.cells import normalise_key, text_values
from rmrp_pipeline.text.parsers import parse_numbers

#: Template kind -> measure of its figures.
TABLE_KINDS: dict[str, str] = {"pin_table": "people_in_need", "target_table": "people_targeted"}
PROPORTION_KIND = "planning_proportions"
FIGURES = figure_columns()
#: The 24 proportion columns (no ``*_all`` group: a share of the whole is 1 by definition).
PROPORTIONS = [f"{pop}_{agd}" for pop in POPULATION_TYPES for agd in AGE_GENDER if agd != "all"]
#: How far the four shares of a population type may add up from 1: R4V writes each share with two
#: decimals, so four of them may be off by 4 x 0.005 (plus float noise).
SHARE_SUM_TOLERANCE = 0.02 + 1e-9
COUNTRY_LEVEL = "country level"

#: Columns of ``staging.stg_planning__pin_target`` in order (see sql/ddl).
STAGED_COLUMNS = [
    "source_file", "source_sheet", "source_row", "template_id", "plan_year", "measure",
    "platform_raw", "platform", "country_raw", "country", "country_iso3", "admin1_raw", "admin1",
    "level", "sector_raw", "sector", *FIGURES, "is_rejected",
]
#: Columns of ``staging.ref_planning_proportions`` in order.
PROPORTION_COLUMNS = [
    "source_file", "source_sheet", "source_row", "template_id", "plan_year", "basis",
    "country_raw", "country", "country_iso3", "admin1", "sector_raw", "sector", *PROPORTIONS, "is_rejected",
]


@dataclass
class StagedPlanning:
    """Result of staging one planning sheet: ``rows`` (one per input row, with ``is_rejected``)
    and ``issues`` (``planning_common.ISSUE_COLUMNS``, one per failed rule and cell)."""

    rows: pd.DataFrame
    issues: pd.DataFrame


def _platforms(values: pd.Series) -> pd.Series:
    """R4V's English platform name of each value (None when it is not one)."""
    index = {normalise_key(p): p for p in PLATFORMS}
    return values.map(lambda v: index.get(normalise_key(v)) if isinstance(v, str) else None).astype(object)


def _numbers(sheet: SheetData, header_of: dict[str, str], columns: list[str], language: str, whole: bool):
    """Parsed values of ``columns`` and the parse failures: (frame of floats, [(rule, column, mask)])."""
    values, failures = {}, []
    for name in columns:
        raw = sheet.frame[header_of[name]] if name in header_of else pd.Series([None] * len(sheet.frame), dtype=object)
        values[name], failed = parse_numbers(raw.reset_index(drop=True), language, whole=whole)
        for rule_id in failed.dropna().unique():
            failures.append((rule_id, name, failed.eq(rule_id).to_numpy()))
    return pd.DataFrame(values), failures


def _raw_values(sheet: SheetData, header: str) -> pd.Series:
    return sheet.frame[header].reset_index(drop=True)


def _issues(sheet: SheetData, header_of: dict[str, str], rule_id: str, column: str, mask, shown: pd.Series) -> pd.DataFrame:
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(positions):
        return pd.DataFrame()
    header = header_of.get(column, column)
    return issue_rows(sheet, rule_id, header, [sheet.row_numbers[p] for p in positions],
                      [shown.iloc[p] for p in positions])


def _lineage(sheet: SheetData, template) -> pd.DataFrame:
    """One row per input row: file, sheet, Excel row, template and plan year."""
    return pd.DataFrame({
        "source_file": sheet.source_file, "source_sheet": sheet.sheet, "source_row": sheet.row_numbers,
        "template_id": template.template_id, "plan_year": template.cycle_year,
    }, index=range(len(sheet.frame)))


def stage_pin_target(sheet: SheetData, recognition: Recognition, reference: ReferenceData) -> StagedPlanning:
    """Stage one PiN or target table (see the module docstring).

    Args:
        sheet: the sheet as read by ``reading.read_table``.
        recognition: its template match (kind ``pin_table`` or ``target_table``; the template's
            cycle year is the plan year, its language the locale of numbers written as text).
        reference: the reference lists (the 17 countries and their platforms).

    Returns:
        ``StagedPlanning``: ``rows`` with :data:`STAGED_COLUMNS` (figures in persons as float, NaN
        where blank; ``level`` ``country`` for ``Country level`` rows, whose ``admin1`` is NULL, else
        ``admin1``); ``issues`` one row per failed rule and cell.
    """
    template = recognition.template
    assert template is not None and template.kind in TABLE_KINDS, "stage_pin_target needs a PiN or target table"
    header_of = recognition.mapping
    n = len(sheet.frame)
    out = _lineage(sheet, template)
    out["measure"] = TABLE_KINDS[template.kind]
    for name in ("platform", "country", "admin1", "sector"):
        out[f"{name}_raw"] = text_values(_raw_values(sheet, header_of[name]))
    out["platform"] = _platforms(out["platform_raw"])
    out["country_iso3"] = reference.resolve_country(out["country_raw"])
    out["country"] = reference.country_name_of(out["country_iso3"])
    expected_platform = reference.platform_of(out["country_iso3"])
    is_country = out["admin1_raw"].map(lambda v: isinstance(v, str) and normalise_key(v) == COUNTRY_LEVEL)
    out["level"] = np.where(is_country, "country", "admin1")
    out["admin1"] = out["admin1_raw"].where(~is_country, None)
    out["sector"], _language = resolve_sectors(out["sector_raw"])
    figures, failures = _numbers(sheet, header_of, FIGURES, template.language or "en", whole=True)
    for name in FIGURES:
        out[name] = figures[name]
    failures += [(r, c, m.to_numpy()) for r, c, m in problem_cell_masks(sheet, header_of, [*FIGURES, "platform", "country", "admin1", "sector"])]

    def shown_raw(column: str) -> pd.Series:
        return _raw_values(sheet, header_of[column]).map(lambda v: "(empty)" if v is None or (isinstance(v, float) and np.isnan(v)) else v)

    parts: list[pd.DataFrame] = []
    rejected = np.zeros(n, dtype=bool)
    for rule_id, column, mask in failures:
        parts.append(_issues(sheet, header_of, rule_id, column, mask, shown_cells(sheet, header_of[column])))
        rejected |= mask
    identity_rules = [
        ("platform_not_r4v", "platform", out["platform"].isna(), shown_raw("platform")),
        ("country_not_r4v", "country", out["country_iso3"].isna(), shown_raw("country")),
        ("platform_country_mismatch", "platform",
         out["platform"].notna() & expected_platform.notna() & (out["platform"] != expected_platform), out["platform_raw"]),
        ("sector_unknown", "sector", out["sector"].isna(), shown_raw("sector")),
    ]
    for name in FIGURES:
        values = out[name]
        identity_rules += [
            ("count_negative", name, values < 0, values),
            ("count_not_whole", name, (values % 1).fillna(0) != 0, values),
            ("count_implausible", name, values > MAX_PERSONS_IN_A_ROW, values),
        ]
    for rule_id, column, mask, shown in identity_rules:
        mask = mask.fillna(False).to_numpy(dtype=bool) & ~_parse_failed(failures, column, n)
        parts.append(_issues(sheet, header_of, rule_id, column, mask, shown))
        rejected |= mask

    dup_parts, dup_rejected = _duplicates(sheet, header_of, out, rejected, ["measure", "country_iso3", "level"], "admin1_raw", FIGURES)
    parts += dup_parts
    rejected |= dup_rejected
    parts += _breakdown_findings(sheet, header_of, out, rejected)
    out["is_rejected"] = rejected
    return StagedPlanning(out[STAGED_COLUMNS], concat_issues(parts))


def _parse_failed(failures: list, column: str, n: int) -> np.ndarray:
    """Rows whose ``column`` cell already failed to parse (no second issue for the same cell)."""
    mask = np.zeros(n, dtype=bool)
    for _rule, name, failed in failures:
        if name == column:
            mask |= failed
    return mask


def _duplicates(sheet: SheetData, header_of: dict[str, str], out: pd.DataFrame, rejected: np.ndarray,
                keys: list[str], admin1_shown: str, figures_of: list[str]):
    """``duplicate_row`` rejects among the rows not rejected yet (see the module docstring): rows
    with the same ``keys`` columns, admin1 (case and accents ignored) and sector; copies with the
    same ``figures_of`` are loaded once, copies that differ are not loaded."""
    key = pd.Series([
        "|".join(str(x) for x in parts) for parts in zip(
            *(out[k] for k in keys),
            out["admin1"].map(lambda v: normalise_key(v) if isinstance(v, str) else ""), out["sector"],
        )
    ])
    candidates = key[~rejected]
    repeated = candidates[candidates.duplicated(keep=False)]
    mask = np.zeros(len(out), dtype=bool)
    shown = pd.Series([None] * len(out), dtype=object)
    figures = out[figures_of].to_numpy(dtype=float)
    for _key, group in repeated.groupby(repeated, sort=False):
        positions = list(group.index)
        vectors = {p: tuple(np.nan_to_num(figures[p], nan=-1.0)) for p in positions}
        with_figures = [p for p in positions if not np.isnan(figures[p]).all()]
        distinct = {vectors[p] for p in with_figures}
        if len(distinct) <= 1:
            keep = (with_figures or positions)[0]
            drop = [p for p in positions if p != keep]
        else:
            keep, drop = None, positions
        for p in drop:
            others = [sheet.row_numbers[q] for q in positions if q != p]
            what = " / ".join(str(x) for x in (out.loc[p, "country"], out.loc[p, admin1_shown], out.loc[p, "sector"]))
            verdict = (f"row {sheet.row_numbers[keep]} has the figures and is kept" if keep is not None
                       else "their figures differ, so none of them is loaded")
            shown[p] = f"{what}: also on row(s) {', '.join(map(str, others))}; {verdict}"
            mask[p] = True
    return [_issues(sheet, header_of, "duplicate_row", "sector", mask, shown)], mask


def _breakdown_findings(sheet: SheetData, header_of: dict[str, str], out: pd.DataFrame, rejected: np.ndarray) -> list[pd.DataFrame]:
    """``breakdown_sum_mismatch`` findings on the loaded rows: each population type's total vs its
    four age/gender cells, the overall total vs the population types, and each overall age/gender
    cell vs the same cell of the population types (tolerance half a person; blank cells are 0,
    a check runs only where its total is given)."""
    parts = []
    loaded = ~rejected
    groups = [f"{pop}_all" for pop in POPULATION_TYPES[1:]]
    checks = [(f"{pop}_all", [f"{pop}_{agd}" for agd in AGE_GENDER[1:]]) for pop in POPULATION_TYPES]
    checks.append(("all_all", groups))
    checks += [(f"all_{agd}", [f"{pop}_{agd}" for pop in POPULATION_TYPES[1:]]) for agd in AGE_GENDER[1:]]
    for total, cells in checks:
        given = out[total]
        present = out[cells].notna().any(axis=1)
        sums = out[cells].fillna(0).sum(axis=1)
        mask = (loaded & given.notna().to_numpy() & present.to_numpy() & ((sums - given).abs() > 0.5).to_numpy())
        parts.append(_issues(sheet, header_of, "breakdown_sum_mismatch", total, mask, sums))
    return parts


def stage_proportions(sheet: SheetData, recognition: Recognition, reference: ReferenceData) -> StagedPlanning:
    """Stage one proportion sheet (PiN or target age/gender proportions per country × admin1 ×
    subsector).

    ``basis`` (``pin`` | ``target``) comes from the sheet name (``pinproportions`` /
    ``targetproportions``): the two sheets have the same columns, so nothing else tells them apart;
    NULL when the name says neither. Proportions are fractions in [0, 1]; blank cells stay NULL.
    Rejects: ``country_not_r4v``, ``sector_unknown``, ``number_unreadable``, ``cell_error``,
    ``formula_without_value``, ``proportion_invalid`` (below 0 or above 1), ``proportions_sum_not_one``
    (a population type's four shares add up to neither 0 nor 1, within R4V's two-decimal rounding:
    the split of its people would make or lose persons) and ``duplicate_row`` (the same basis,
    country, admin1 and subsector twice: copies that differ are not guessed between).
    """
    template = recognition.template
    assert template is not None and template.kind == PROPORTION_KIND
    header_of = recognition.mapping
    n = len(sheet.frame)
    out = _lineage(sheet, template)
    name_key = normalise_key(sheet.sheet)
    out["basis"] = "target" if "target" in name_key else ("pin" if "pin" in name_key else None)
    out["country_raw"] = text_values(_raw_values(sheet, header_of["country"]))
    out["admin1"] = text_values(_raw_values(sheet, header_of["admin1"]))
    out["sector_raw"] = text_values(_raw_values(sheet, header_of["sector"]))
    out["country_iso3"] = reference.resolve_country(out["country_raw"])
    out["country"] = reference.country_name_of(out["country_iso3"])
    out["sector"], _language = resolve_sectors(out["sector_raw"])
    values, failures = _numbers(sheet, header_of, PROPORTIONS, template.language or "en", whole=False)
    for name in PROPORTIONS:
        out[name] = values[name]
    failures += [(r, c, m.to_numpy()) for r, c, m in problem_cell_masks(sheet, header_of, [*PROPORTIONS, "country", "sector"])]
    parts, rejected = [], np.zeros(n, dtype=bool)
    for rule_id, column, mask in failures:
        parts.append(_issues(sheet, header_of, rule_id, column, mask, shown_cells(sheet, header_of[column])))
        rejected |= mask
    checks = [
        ("country_not_r4v", "country", out["country_iso3"].isna(), out["country_raw"].fillna("(empty)")),
        ("sector_unknown", "sector", out["sector"].isna(), out["sector_raw"].fillna("(empty)")),
    ]
    checks += [("proportion_invalid", c, (out[c] < 0) | (out[c] > 1), out[c]) for c in PROPORTIONS]
    for rule_id, column, mask, shown in checks:
        mask = mask.fillna(False).to_numpy(dtype=bool) & ~_parse_failed(failures, column, n)
        parts.append(_issues(sheet, header_of, rule_id, column, mask, shown))
        rejected |= mask
    readable = ~rejected   # every population type of a row whose shares could all be read
    for pop in POPULATION_TYPES:
        cells = [f"{pop}_{agd}" for agd in AGE_GENDER if agd != "all"]
        total = out[cells].sum(axis=1, min_count=1)
        off = (total.notna() & ((total - 1).abs() > SHARE_SUM_TOLERANCE) & (total.abs() > SHARE_SUM_TOLERANCE)).to_numpy() & readable
        parts.append(_issues(sheet, header_of, "proportions_sum_not_one", cells[0], off, total.round(4)))
        rejected |= off
    dup_parts, dup_rejected = _duplicates(sheet, header_of, out, rejected, ["basis", "country_iso3"], "admin1", PROPORTIONS)
    parts += dup_parts
    out["is_rejected"] = rejected | dup_rejected
    return StagedPlanning(out[PROPORTION_COLUMNS], concat_issues(parts))
