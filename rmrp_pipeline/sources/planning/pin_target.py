"""R4V's PiN and target tables (RMRP 2022 layout) and the proportion sheets beside them.

* :func:`stage_pin_target`: a sheet of kind ``pin_table`` or ``target_table`` (platform × country ×
  admin1 × subsector rows, population type × age/gender columns) -> one staged row per input row
  (:data:`STAGED_COLUMNS`, persons, NULL where blank: "not given", never 0), stored as given, never
  replaced by sums (docs/domain.md §2.3; the sums are checks in ``marts.reconciliation``).
* :func:`stage_proportions`: a sheet of kind ``planning_proportions`` -> age/gender shares per
  country × admin1 × subsector (:data:`PROPORTION_COLUMNS`, fractions) for the ``maxsector`` model.

Both return their rows and one issue row per failed rule and cell; rule ids and messages in
``quality.rules``, checks registered below. Layout and rules: docs/data_dictionary.md, "PiN and
target tables (R4V layout)".
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from rmrp_pipeline.domain import PLATFORMS, resolve_sectors
from rmrp_pipeline.quality import rules
from rmrp_pipeline.quality.checks import RowChecks, above_persons_bound, check, negative, not_whole
from rmrp_pipeline.quality.issues import concat_issues, sheet_issues
from rmrp_pipeline.quality.rules import FINDING, PIN_TARGET, REJECT
from rmrp_pipeline.read.templates import Recognition
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.sources.planning.common import (
    AGE_GENDER,
    POPULATION_TYPES,
    StagedPlanning,
    check_rows,
    failed_cells,
    failure_issues,
    figure_columns,
    parse_number_columns,
    problem_cells,
    sheet_column,
)
from rmrp_pipeline.sources.reference import ReferenceData
from rmrp_pipeline.text.cells import normalise_key, text_values

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

#: Columns of ``staging.stg_planning__pin_target`` in order (see warehouse/sql/ddl).
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


# ---- checks of the PiN/target tables (over the staged rows plus helper columns) -----------------

#: The row checks of a PiN or target table: rejects, then the breakdown findings on loaded rows.
TABLE_CHECKS = RowChecks(PIN_TARGET)
table_check = TABLE_CHECKS


def _as_written(df: pd.DataFrame, column: str) -> pd.Series:
    """The raw cell of ``column`` (helper ``_raw_<column>``), "(empty)" for a blank."""
    return df[f"_raw_{column}"].map(lambda v: "(empty)" if v is None or (isinstance(v, float) and np.isnan(v)) else v)


@table_check("platform_not_r4v", "platform", shown=partial(_as_written, column="platform"))
def _platform_unknown(df: pd.DataFrame) -> pd.Series:
    return df["platform"].isna()


@table_check("country_not_r4v", "country", shown=partial(_as_written, column="country"))
def _country_unknown(df: pd.DataFrame) -> pd.Series:
    return df["country_iso3"].isna()


@table_check("platform_country_mismatch", "platform", shown=lambda df: df["platform_raw"])
def _platform_of_another_country(df: pd.DataFrame) -> pd.Series:
    """``_expected_platform``: the platform of the row's country."""
    expected = df["_expected_platform"]
    return df["platform"].notna() & expected.notna() & (df["platform"] != expected)


@table_check("sector_unknown", "sector", shown=partial(_as_written, column="sector"))
def _sector_unknown(df: pd.DataFrame) -> pd.Series:
    return df["sector"].isna()


table_check("count_negative", each=FIGURES)(negative)
table_check("count_not_whole", each=FIGURES)(not_whole)
table_check("count_implausible", each=FIGURES)(above_persons_bound)


def _breakdowns() -> list[tuple[str, list[str]]]:
    """(total, its parts): each population type's total and its four age/gender cells, the overall
    total and the population types, each overall age/gender cell and the same cell of the
    population types."""
    checks = [(f"{pop}_all", [f"{pop}_{agd}" for agd in AGE_GENDER[1:]]) for pop in POPULATION_TYPES]
    checks.append(("all_all", [f"{pop}_all" for pop in POPULATION_TYPES[1:]]))
    checks += [(f"all_{agd}", [f"{pop}_{agd}" for pop in POPULATION_TYPES[1:]]) for agd in AGE_GENDER[1:]]
    return checks


def _parts_sum(df: pd.DataFrame, parts: list[str]) -> pd.Series:
    return df[parts].fillna(0).sum(axis=1)


def _breakdown_off(df: pd.DataFrame, total: str, parts: list[str]) -> pd.Series:
    """The parts of ``total`` add up to more than half a person away from it (blank parts are 0;
    checked only where the total and one of its parts are given)."""
    given = df[total]
    return given.notna() & df[parts].notna().any(axis=1) & ((_parts_sum(df, parts) - given).abs() > 0.5)


def _add_breakdown_checks() -> None:
    for total, parts in _breakdowns():
        TABLE_CHECKS.add("breakdown_sum_mismatch", total, partial(_breakdown_off, total=total, parts=parts),
                         partial(_parts_sum, parts=parts))


_add_breakdown_checks()


# ---- checks of the proportion sheets ---------------------------------------------------------------

#: The checks of each cell of a proportion sheet, then of each population type's four shares.
PROPORTION_CHECKS = RowChecks(rules.PROPORTIONS)
SHARE_SUM_CHECKS = RowChecks(rules.PROPORTIONS)


@PROPORTION_CHECKS("country_not_r4v", "country", shown=lambda df: df["country_raw"].fillna("(empty)"))
def _proportion_country_unknown(df: pd.DataFrame) -> pd.Series:
    return df["country_iso3"].isna()


@PROPORTION_CHECKS("sector_unknown", "sector", shown=lambda df: df["sector_raw"].fillna("(empty)"))
def _proportion_sector_unknown(df: pd.DataFrame) -> pd.Series:
    return df["sector"].isna()


@PROPORTION_CHECKS("proportion_invalid", each=PROPORTIONS)
def _not_a_share(df: pd.DataFrame, column: str) -> pd.Series:
    return (df[column] < 0) | (df[column] > 1)


def _shares_sum(df: pd.DataFrame, shares: list[str]) -> pd.Series:
    return df[shares].sum(axis=1, min_count=1)


def _shares_sum_shown(df: pd.DataFrame, shares: list[str]) -> pd.Series:
    return _shares_sum(df, shares).round(4)


def _shares_off(df: pd.DataFrame, shares: list[str]) -> pd.Series:
    """The four shares of a population type add up to neither 0 nor 1 (``SHARE_SUM_TOLERANCE``)."""
    total = _shares_sum(df, shares)
    return total.notna() & ((total - 1).abs() > SHARE_SUM_TOLERANCE) & (total.abs() > SHARE_SUM_TOLERANCE)


def _add_share_sum_checks() -> None:
    for pop in POPULATION_TYPES:
        shares = [f"{pop}_{agd}" for agd in AGE_GENDER if agd != "all"]
        SHARE_SUM_CHECKS.add("proportions_sum_not_one", shares[0], partial(_shares_off, shares=shares),
                             partial(_shares_sum_shown, shares=shares))


_add_share_sum_checks()


# ---- staging ---------------------------------------------------------------------------------------

def _platforms(values: pd.Series) -> pd.Series:
    """R4V's English platform name of each value (None when it is not one)."""
    index = {normalise_key(p): p for p in PLATFORMS}
    return values.map(lambda v: index.get(normalise_key(v)) if isinstance(v, str) else None).astype(object)


def _lineage(sheet: SheetData, template) -> pd.DataFrame:
    """One row per input row: file, sheet, Excel row, template and plan year."""
    return pd.DataFrame({
        "source_file": sheet.source_file, "source_sheet": sheet.sheet, "source_row": sheet.row_numbers,
        "template_id": template.template_id, "plan_year": template.cycle_year,
    }, index=range(len(sheet.frame)))


def stage_pin_target(sheet: SheetData, recognition: Recognition, reference: ReferenceData) -> StagedPlanning:
    """Stage one PiN or target table (docs/data_dictionary.md, "PiN and target tables").

    Args:
        sheet: the sheet as read by ``read.workbook.read_table``.
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
    out = _lineage(sheet, template)
    out["measure"] = TABLE_KINDS[template.kind]
    for name in ("platform", "country", "admin1", "sector"):
        out[f"_raw_{name}"] = sheet_column(sheet, header_of, name)
        out[f"{name}_raw"] = text_values(out[f"_raw_{name}"])
    out["platform"] = _platforms(out["platform_raw"])
    out["country_iso3"] = reference.resolve_country(out["country_raw"])
    out["country"] = reference.country_name_of(out["country_iso3"])
    out["_expected_platform"] = reference.platform_of(out["country_iso3"])
    is_country = out["admin1_raw"].map(lambda v: isinstance(v, str) and normalise_key(v) == COUNTRY_LEVEL)
    out["level"] = np.where(is_country, "country", "admin1")
    out["admin1"] = out["admin1_raw"].where(~is_country, None)
    out["sector"], _language = resolve_sectors(out["sector_raw"])
    figures, failures = parse_number_columns(sheet, header_of, FIGURES, template.language or "en", whole=True)
    for name in FIGURES:
        out[name] = figures[name]
    failures += problem_cells(sheet, header_of, [*FIGURES, "platform", "country", "admin1", "sector"])

    parts, rejected = failure_issues(sheet, header_of, failures)
    found, hit = check_rows(sheet, header_of, TABLE_CHECKS.of(REJECT), out,
                            skip=failed_cells(failures, [], len(out)))
    parts += found
    rejected |= hit
    dup_parts, dup_rejected = _duplicates(sheet, header_of, out, rejected, ["measure", "country_iso3", "level"], "admin1_raw", FIGURES)
    parts += dup_parts
    rejected |= dup_rejected
    found, _hit = check_rows(sheet, header_of, TABLE_CHECKS.of(FINDING), out, rows=~rejected)
    parts += found
    out["is_rejected"] = rejected
    return StagedPlanning(out[STAGED_COLUMNS], concat_issues(parts))


@check("duplicate_row", source=(PIN_TARGET, rules.PROPORTIONS))
def _duplicates(sheet: SheetData, header_of: dict[str, str], out: pd.DataFrame, rejected: np.ndarray,
                keys: list[str], admin1_shown: str, figures_of: list[str]):
    """``duplicate_row`` rejects among the rows not rejected yet: rows with the same ``keys``
    columns, admin1 (case and accents ignored) and sector; copies with the same ``figures_of`` are
    loaded once, copies that differ are not loaded."""
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
    return [sheet_issues(sheet, "duplicate_row", header_of.get("sector", "sector"), mask, shown)], mask


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
    out = _lineage(sheet, template)
    name_key = normalise_key(sheet.sheet)
    out["basis"] = "target" if "target" in name_key else ("pin" if "pin" in name_key else None)
    out["country_raw"] = text_values(sheet_column(sheet, header_of, "country"))
    out["admin1"] = text_values(sheet_column(sheet, header_of, "admin1"))
    out["sector_raw"] = text_values(sheet_column(sheet, header_of, "sector"))
    out["country_iso3"] = reference.resolve_country(out["country_raw"])
    out["country"] = reference.country_name_of(out["country_iso3"])
    out["sector"], _language = resolve_sectors(out["sector_raw"])
    values, failures = parse_number_columns(sheet, header_of, PROPORTIONS, template.language or "en", whole=False)
    for name in PROPORTIONS:
        out[name] = values[name]
    failures += problem_cells(sheet, header_of, [*PROPORTIONS, "country", "sector"])
    parts, rejected = failure_issues(sheet, header_of, failures)
    found, hit = check_rows(sheet, header_of, PROPORTION_CHECKS, out, skip=failed_cells(failures, [], len(out)))
    parts += found
    rejected |= hit
    # every population type of a row whose shares could all be read
    found, hit = check_rows(sheet, header_of, SHARE_SUM_CHECKS, out, rows=~rejected)
    parts += found
    rejected |= hit
    dup_parts, dup_rejected = _duplicates(sheet, header_of, out, rejected, ["basis", "country_iso3"], "admin1", PROPORTIONS)
    parts += dup_parts
    out["is_rejected"] = rejected | dup_rejected
    return StagedPlanning(out[PROPORTION_COLUMNS], concat_issues(parts))
