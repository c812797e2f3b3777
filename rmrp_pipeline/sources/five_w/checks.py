"""The 5W checks: each rule of ``quality.rules`` that applies to the 5W, as the code that finds it.

Row checks (``quality.checks.RowCheck``, registered in :data:`FIVE_W_CHECKS`) run vectorised
over the staged frame of a template (``stage.stage_five_w_sheets``): the reject checks first, then
the finding checks on the rows that are not rejected, so a partner sees the blocking problem of a
row before its breakdown problems (:func:`validate_five_w`). The cells the parsers cannot read are
found while staging, by the parsers registered below. Sources of the rules: docs/domain.md §3.3 (R4V's
QA scripts ``R4VRMRP2023/R/2_data_quality_check.R`` and ``monitoringQuality2025``).
"""

from __future__ import annotations

from collections.abc import Iterator

import ftfy
import numpy as np
import pandas as pd

from rmrp_pipeline.quality.checks import (
    RowChecks,
    above_persons_bound,
    failing,
    negative,
    not_whole,
    register_checks,
    spelled_otherwise,
)
from rmrp_pipeline.quality.rules import FINDING, FIVE_W, REJECT
from rmrp_pipeline.read.workbook import scan_sheet_xml
from rmrp_pipeline.sources.five_w.columns import (
    AGE_GENDER,
    AMOUNT_COLUMNS,
    COUNT_COLUMNS,
    POPULATION_TYPES,
)
from rmrp_pipeline.text.personal_data import screen_codes
from rmrp_pipeline.text.parsers import (
    numbers_of_cells,
    numbers_of_floats,
    unreadable_months,
    yes_no_of_cells,
)

Frame = pd.DataFrame

#: Cells the 5W staging cannot read, repairs or masks (``stage._stage_template``, once per
#: distinct cell, or per distinct free text and country): rule id -> the function that decides it.
register_checks(FIVE_W, {
    "number_unreadable": (numbers_of_floats, numbers_of_cells),
    "number_ambiguous": numbers_of_cells,
    "yes_no_unreadable": yes_no_of_cells,
    "month_unreadable": unreadable_months,
    "cell_error": scan_sheet_xml,
    "formula_without_value": scan_sheet_xml,
    "formula_not_recalculated": scan_sheet_xml,
    "mojibake_repaired": ftfy.badness.is_bad,
    "personal_data_in_free_text": screen_codes,
})

#: The 5W row checks, in the order they run.
FIVE_W_CHECKS = RowChecks(FIVE_W)
row_check = FIVE_W_CHECKS


def _zero(df: Frame, names: list[str]) -> pd.Series:
    """Row sums of the columns ``names``, an empty cell counting 0 (added column by column in
    the given order, as ``df[names].fillna(0).sum(axis=1)`` adds them)."""
    total = np.zeros(len(df))
    for name in names:
        total = total + df[name].fillna(0).to_numpy(dtype=float)
    return pd.Series(total, index=df.index)


def _is(df: Frame, name: str, value: bool) -> pd.Series:
    return df[name].eq(value).fillna(False).astype(bool)


#: Counts that are the row's own totals (must be whole persons) and breakdown cells (R4V's
#: 2021 export holds apportioned, fractional breakdowns: readable, so only a finding).
TOTAL_COUNTS = ["total_monthly", "new_beneficiaries"]
BREAKDOWN_COUNTS = [c for c in COUNT_COLUMNS if c not in TOTAL_COUNTS]
#: Cells the R4V QA scripts require (docs/domain.md §3.3); an empty country or month is a reject.
REQUIRED = ["appealing_org", "subsector", "indicator", "activity_name", "admin1", "implementation", "rmrp_activity", "cva"]
_REACHED = ("counts_as_reached",)


# ---- rejects ---------------------------------------------------------------------------------

@row_check("country_not_r4v", "country", shown=lambda df: df["country_raw"].fillna("(empty)"), needs=("country_iso3",))
def _country_unknown(df: Frame) -> pd.Series:
    return df["country_iso3"].isna()


@row_check("month_unreadable", "month", shown=lambda df: pd.Series("(empty)", index=df.index), needs=("month", "_month_unreadable"))
def _month_empty(df: Frame) -> pd.Series:
    """An empty month (the month parser reports the cells it cannot read)."""
    return df["month"].isna() & ~df["_month_unreadable"]


row_check("amount_negative", each=AMOUNT_COLUMNS)(negative)
row_check("count_negative", each=COUNT_COLUMNS)(negative)
row_check("count_implausible", each=COUNT_COLUMNS)(above_persons_bound)
row_check("breakdown_not_whole", each=BREAKDOWN_COUNTS)(not_whole)
row_check("count_not_whole", each=TOTAL_COUNTS)(not_whole)


# ---- findings --------------------------------------------------------------------------------

@row_check("required_missing", each=REQUIRED)
def _missing(df: Frame, column: str) -> pd.Series:
    return df[column].isna()


@row_check("month_outside_template_year", "month", shown=lambda df: pd.to_datetime(df["month"]).dt.strftime("%Y-%m"),
       needs=("month", "template_year"))
def _month_outside_year(df: Frame) -> pd.Series:
    return df["template_year"].notna() & df["month"].notna() & (pd.to_datetime(df["month"]).dt.year != df["template_year"])


@row_check("admin1_not_in_list", "admin1", needs=("admin1", "admin1_known"))
def _admin1_unknown(df: Frame) -> pd.Series:
    return df["admin1"].notna() & _is(df, "admin1_known", False)


@row_check("admin1_spelling_differs_from_reference", "admin1", shown=lambda df: df["admin1_listed"],
           needs=("admin1_raw", "admin1_listed"))
def admin1_spelling_differs_from_reference(df: Frame) -> pd.Series:
    """The admin1 as written (``admin1_raw``, before any mojibake repair) is in the year's admin1
    list only after normalisation (docs/r4v-differences.md)."""
    return spelled_otherwise(df, "admin1_raw", "admin1_listed")


@row_check("organisation_not_in_list", "appealing_org", needs=("has_appealing_list", "appealing_org", "appealing_org_id"))
def _organisation_unknown(df: Frame) -> pd.Series:
    return df["has_appealing_list"] & df["appealing_org"].notna() & df["appealing_org_id"].isna()


@row_check("implementing_partner_not_in_list", "implementing_partner",
       needs=("has_implementing_list", "implementing_partner", "implementing_partner_id"))
def _partner_unknown(df: Frame) -> pd.Series:
    return df["has_implementing_list"] & df["implementing_partner"].notna() & df["implementing_partner_id"].isna()


@row_check("implementing_partner_missing", "implementing_partner", needs=("implementation", "implementing_partner"))
def _partner_missing(df: Frame) -> pd.Series:
    return _is(df, "implementation", True) & df["implementing_partner"].isna()


@row_check("implementing_partner_unexpected", "implementing_partner", needs=("implementation", "implementing_partner"))
def _partner_unexpected(df: Frame) -> pd.Series:
    return _is(df, "implementation", False) & df["implementing_partner"].notna()


@row_check("subsector_not_r4v", "subsector", needs=("subsector", "sector"))
def _subsector_unknown(df: Frame) -> pd.Series:
    return df["subsector"].notna() & df["sector"].isna()


@row_check("indicator_not_in_registry", "indicator", needs=("has_indicator_registry", "subsector", "indicator", "indicator_code"))
def _indicator_unknown(df: Frame) -> pd.Series:
    return df["has_indicator_registry"] & df["subsector"].notna() & df["indicator"].notna() & df["indicator_code"].isna()


@row_check("new_above_total", "new_beneficiaries", needs=(*_REACHED, "new_beneficiaries", "total_monthly"))
def _new_above_total(df: Frame) -> pd.Series:
    return df["counts_as_reached"] & (df["new_beneficiaries"].fillna(0) > df["total_monthly"].fillna(0))


@row_check("population_types_sum_mismatch", "new_beneficiaries", shown=lambda df: _zero(df, POPULATION_TYPES).round(2),
       needs=(*_REACHED, "new_beneficiaries", *POPULATION_TYPES))
def _population_types_off(df: Frame) -> pd.Series:
    return df["counts_as_reached"] & ((_zero(df, POPULATION_TYPES) - df["new_beneficiaries"].fillna(0)).abs() > 0.5)


@row_check("age_gender_sum_mismatch", "new_beneficiaries", shown=lambda df: _zero(df, AGE_GENDER).round(2),
       needs=(*_REACHED, "new_beneficiaries", *AGE_GENDER))
def _age_gender_off(df: Frame) -> pd.Series:
    return df["counts_as_reached"] & ((_zero(df, AGE_GENDER) - df["new_beneficiaries"].fillna(0)).abs() > 0.5)


@row_check("no_beneficiaries", "new_beneficiaries", needs=(*_REACHED, "new_beneficiaries", "total_monthly"))
def _no_beneficiaries(df: Frame) -> pd.Series:
    return df["counts_as_reached"] & df["new_beneficiaries"].fillna(0).eq(0) & df["total_monthly"].fillna(0).eq(0)


@row_check("cva_value_missing", "value_usd", needs=("cva", "value_usd"))
def _cva_value_missing(df: Frame) -> pd.Series:
    return _is(df, "cva", True) & ~(df["value_usd"].fillna(0) > 0)


@row_check("cva_mechanism_missing", "delivery_mechanism", needs=("cva", "delivery_mechanism"))
def _cva_mechanism_missing(df: Frame) -> pd.Series:
    return _is(df, "cva", True) & df["delivery_mechanism"].isna()


#: Canonical sectors (``reference_data/sectors.csv``) named by the rules below.
MPC_SECTOR = "Multipurpose Cash Assistance (MPC)"
UNDER_18_SECTORS = ("Education", "Protection (Child Protection)")
UNDER_18 = ["girls", "boys", "other_under_18"]
#: Indicator types (``normalise_key`` of the registry's type) that report people, not a quantity
#: of output, by the first reporting year of the R4V QA script that says so; every other registered
#: type needs a quantity of output (docs/r4v-checks.md): 2021 Pin and People (r4v_app
#: ``Other.quantity.equal.0``: Other only); 2022 PiN and Capacity Building (R4RMRP2022 ``NoOutput``);
#: 2023-2024 Direct Assistance and Capacity Building (R4VRMRP2023 ``NoOutput``, ActivtityInfoQuality);
#: from 2025 Direct Assistance only (monitoringQuality2025 ``QA_output``). Before 2021: the 2021 list.
NO_OUTPUT_TYPES = {
    2021: ("pin", "people"),
    2022: ("pin", "capacity building"),
    2023: ("direct assistance", "capacity building"),
    2025: ("direct assistance",),
}
#: First reporting year of R4V's 2025 QA rules (monitoringQuality2025).
RULES_2025_FROM = 2025
#: Indicator types that report new beneficiaries from 2025 (monitoringQuality2025
#: ``is_valid_new_beneficiaries_of_month``: required for these, left empty by every other type).
NEW_BENEFICIARIES_TYPES_2025 = ("direct assistance", "capacity building")


def _by_year(years: pd.Series, table: dict) -> pd.Series:
    """The entry of ``table`` for each row's year: the latest key not after it, else the first key."""
    first = min(table)
    codes, years_found = pd.factorize(years)   # once per distinct year; an empty year is -1
    entries = np.empty(len(years_found) + 1, dtype=object)
    for position, year in enumerate([*years_found, None]):
        entries[position] = table[max((k for k in table if k <= year), default=first) if pd.notna(year) else first]
    return pd.Series(entries[codes], index=years.index)


def _output_type(df: Frame) -> pd.Series:
    """Rows of a registered indicator type that needs a quantity of output in the row's year."""
    kind = df["indicator_type_key"]
    exempt = _by_year(df["reporting_year"], NO_OUTPUT_TYPES)
    return kind.notna() & pd.Series([k not in e for k, e in zip(kind, exempt)], index=df.index, dtype=bool)


# CVA consistency and the rules that depend on the indicator type or the sector (docs/domain.md §3.3).
# A row without a registered indicator type is left to ``indicator_not_in_registry``: its type
# rules cannot be checked.

@row_check("mpc_without_cva_yes", "cva", needs=("sector", "cva"))
def _mpc_without_cva(df: Frame) -> pd.Series:
    return df["sector"].eq(MPC_SECTOR).fillna(False) & _is(df, "cva", False)


@row_check("cva_no_value_given", "value_usd", needs=("cva", "value_usd"))
def _cva_no_value_given(df: Frame) -> pd.Series:
    """A 0 is read as "no transfer" (R4V's 2021 export writes 0 in most CVA = No rows)."""
    return _is(df, "cva", False) & df["value_usd"].fillna(0).ne(0)


@row_check("cva_no_mechanism_given", "delivery_mechanism", needs=("cva", "delivery_mechanism"))
def _cva_no_mechanism_given(df: Frame) -> pd.Series:
    return _is(df, "cva", False) & df["delivery_mechanism"].notna()


@row_check("capacity_building_no_total", "total_monthly", needs=("indicator_type_key", "total_monthly"))
def _capacity_building_no_total(df: Frame) -> pd.Series:
    return df["indicator_type_key"].eq("capacity building").fillna(False) & ~(df["total_monthly"].fillna(0) > 0)


@row_check("output_quantity_missing", "quantity_output", needs=("indicator_type_key", "reporting_year", "quantity_output"))
def _output_quantity_missing(df: Frame) -> pd.Series:
    return _output_type(df) & ~(df["quantity_output"].fillna(0) > 0)


@row_check("new_not_expected_for_type", "new_beneficiaries", needs=("reporting_year", "indicator_type_key", "new_beneficiaries"))
def _new_not_expected(df: Frame) -> pd.Series:
    return (df["reporting_year"].ge(RULES_2025_FROM) & df["indicator_type_key"].notna()
            & ~df["indicator_type_key"].isin(NEW_BENEFICIARIES_TYPES_2025) & df["new_beneficiaries"].notna())


@row_check("under_18_missing", "girls", shown=lambda df: _zero(df, UNDER_18),
       needs=("reporting_year", "sector", "indicator_type_key", *UNDER_18))
def _under_18_missing(df: Frame) -> pd.Series:
    return (df["reporting_year"].ge(RULES_2025_FROM) & df["sector"].isin(UNDER_18_SECTORS)
            & df["indicator_type_key"].eq("direct assistance").fillna(False) & _zero(df, UNDER_18).eq(0))


# What an indicator type must not carry, by the year of the R4V QA script that checks it
# (docs/r4v-checks.md). ``People`` (2021-2022 registries: people outside the population in need,
# such as teachers trained) is decided by the type alone, so it follows the registry of the row's
# year; the others by the year R4V's code checks them.
PEOPLE_TYPE = "people"
#: Reporting year of R4V's 2021 checks of People indicators (r4v_app).
PEOPLE_RULES_YEAR = 2021
PEOPLE_CELLS = ["total_monthly", "new_beneficiaries", *POPULATION_TYPES, *AGE_GENDER]
_OUTPUT_CELLS_2024 = ["total_monthly", *POPULATION_TYPES, *AGE_GENDER]
#: (reporting year, indicator type key) -> the cells of people that type leaves empty: 2021 Other
#: (r4v_app: nopplnopin, other_erase_extradata); 2024 (ActivtityInfoQuality fct_error_report.R:
#: CampaignWithPopulationType, CampaignWithAgeAndGender, CapacityBuildingWithPopulationType,
#: ActivityWithBeneficiariesRegistered).
BENEFICIARIES_NOT_EXPECTED = {
    (2021, "other"): PEOPLE_CELLS,
    (2024, "campaign"): [*POPULATION_TYPES, *AGE_GENDER],
    (2024, "capacity building"): POPULATION_TYPES,
    (2024, "infrastructure"): _OUTPUT_CELLS_2024,
    (2024, "mechanism/advocacy"): _OUTPUT_CELLS_2024,
    (2024, "other"): _OUTPUT_CELLS_2024,
}
#: (reporting year, indicator type key) whose result is people, never a quantity of output: 2021
#: Pin and People (r4v_app: vignette chunk quantity, cleaning options pin_erase_quantity and
#: people_erase_extradata); 2024 Direct Assistance (DirectAssistanceWithQuantityOfOutput).
QUANTITY_NOT_EXPECTED = ((2021, "pin"), (2021, PEOPLE_TYPE), (2024, "direct assistance"))


def _year_type_in(df: Frame, pairs) -> pd.Series:
    """Rows whose (reporting year, indicator type key) is one of ``pairs``."""
    found = pd.Series(False, index=df.index)
    for year, kind in pairs:
        found |= df["reporting_year"].eq(year) & df["indicator_type_key"].eq(kind).fillna(False)
    return found


def _given(df: Frame, column: str) -> pd.Series:
    """Cells holding a figure other than 0 (R4V reads an empty cell as 0)."""
    return df[column].fillna(0).ne(0)


@row_check("people_type_population_breakdown", each=POPULATION_TYPES, needs=("indicator_type_key", *POPULATION_TYPES))
def _people_population_breakdown(df: Frame, column: str) -> pd.Series:
    return df["indicator_type_key"].eq(PEOPLE_TYPE).fillna(False) & _given(df, column)


def _people_2021(df: Frame) -> pd.Series:
    return df["reporting_year"].eq(PEOPLE_RULES_YEAR) & df["indicator_type_key"].eq(PEOPLE_TYPE).fillna(False)


@row_check("people_type_age_gender_sum_mismatch", "new_beneficiaries", shown=lambda df: _zero(df, AGE_GENDER).round(2),
       needs=("reporting_year", "indicator_type_key", "new_beneficiaries", *AGE_GENDER))
def _people_age_gender_off(df: Frame) -> pd.Series:
    return _people_2021(df) & ((_zero(df, AGE_GENDER) - df["new_beneficiaries"].fillna(0)).abs() > 0.5)


@row_check("people_type_no_beneficiaries", "new_beneficiaries",
       needs=("reporting_year", "indicator_type_key", "new_beneficiaries", "total_monthly"))
def _people_no_beneficiaries(df: Frame) -> pd.Series:
    return _people_2021(df) & df["new_beneficiaries"].fillna(0).eq(0) & df["total_monthly"].fillna(0).eq(0)


@row_check("beneficiaries_not_expected_for_type", each=PEOPLE_CELLS,
       needs=("reporting_year", "indicator_type_key", *PEOPLE_CELLS))
def _beneficiaries_not_expected(df: Frame, column: str) -> pd.Series:
    pairs = [pair for pair, columns in BENEFICIARIES_NOT_EXPECTED.items() if column in columns]
    return _year_type_in(df, pairs) & _given(df, column)


@row_check("quantity_not_expected_for_type", "quantity_output",
       needs=("reporting_year", "indicator_type_key", "quantity_output"))
def _quantity_not_expected(df: Frame) -> pd.Series:
    return _year_type_in(df, QUANTITY_NOT_EXPECTED) & _given(df, "quantity_output")


# R4V's 2025 checks of the beneficiaries Direct Assistance and Capacity Building need
# (monitoringQuality2025 functions.R is_valid_total_beneficiaries_of_month,
# is_valid_new_beneficiaries_of_month): a Direct Assistance row with neither new nor total
# beneficiaries is ``no_beneficiaries``, so these two say which one of them is missing; a Capacity
# Building row needs new beneficiaries whatever its total (its total is ``capacity_building_no_total``).

def _direct_assistance_from_2025(df: Frame) -> pd.Series:
    return df["reporting_year"].ge(RULES_2025_FROM) & df["indicator_type_key"].eq("direct assistance").fillna(False)


@row_check("direct_assistance_total_missing", "total_monthly",
       needs=("reporting_year", "indicator_type_key", "new_beneficiaries", "total_monthly"))
def _direct_assistance_total_missing(df: Frame) -> pd.Series:
    return _direct_assistance_from_2025(df) & ~(df["total_monthly"].fillna(0) > 0) & (df["new_beneficiaries"].fillna(0) > 0)


@row_check("new_beneficiaries_missing", "new_beneficiaries",
       needs=("reporting_year", "indicator_type_key", "new_beneficiaries", "total_monthly"))
def _new_beneficiaries_missing(df: Frame) -> pd.Series:
    capacity_building = df["reporting_year"].ge(RULES_2025_FROM) & df["indicator_type_key"].eq("capacity building").fillna(False)
    return df["new_beneficiaries"].isna() & (
        capacity_building | (_direct_assistance_from_2025(df) & (df["total_monthly"].fillna(0) > 0)))


#: Outliers as DHIS2 flags them, against the organisation's own history: its other rows of
#: people-reached indicators in the same country and subsector (sheets of one template read in
#: the same run). "Far above" = more than OUTLIER_RATIO times the median of those other rows'
#: new beneficiaries, and at least OUTLIER_MIN_GAP persons above it, with at least
#: OUTLIER_MIN_HISTORY other rows. Subsector rather than indicator: R4V's 2021 export gives the
#: most glaring case (IOM Peru, Trafficking & Smuggling, 127,938 new in one row against 0 in its
#: other rows of the subsector) only one other row of the same indicator. The subsector by its
#: canonical name (``sector``), so 'Shelter' and 'SHELTER' or 'Alojamiento' are one history.
HISTORY_KEYS = ("appealing_org", "country_iso3", "sector")
OUTLIER_RATIO = 10
OUTLIER_MIN_GAP = 100
OUTLIER_MIN_HISTORY = 3


def leave_one_out_median(values: pd.Series, groups: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(median of the *other* rows of each row's group, number of those rows), vectorised: rows
    sorted by group and value, so the others' median is read at computed sorted positions.
    NaN values and rows without a group are left out (median NaN, count 0)."""
    median = pd.Series(np.nan, index=values.index)
    count = pd.Series(0, index=values.index)
    usable = values.notna() & groups.notna()
    if not usable.any():
        return median, count
    value = values[usable].to_numpy(dtype=float)
    group = pd.factorize(groups[usable])[0]
    order = np.lexsort((value, group))   # by group, then value
    group, sorted_values = group[order], value[order]
    del value
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])   # where each group starts
    del group
    sizes = np.diff(np.r_[first, len(sorted_values)])
    start = np.repeat(first, sizes)
    others = np.repeat(sizes - 1, sizes)
    rank = np.arange(len(sorted_values))
    rank -= start

    def other_at(j: np.ndarray) -> np.ndarray:
        # j-th smallest of the group's other rows: skip the row itself.
        position = start + j + (j >= rank)
        return sorted_values[np.clip(position, 0, len(sorted_values) - 1, out=position)]

    result = other_at(np.maximum((others - 1) // 2, 0))
    result += other_at(np.maximum(others // 2, 0))
    result /= 2
    result[others == 0] = np.nan
    rows = np.flatnonzero(usable.to_numpy())[order]
    median.iloc[rows] = result
    count.iloc[rows] = others
    return median, count


def _history_groups(df: Frame, reached: pd.Series) -> pd.Series:
    """Number of each row's (HISTORY_KEYS) combination, NaN where one of them is empty or the
    row's indicator does not count people reached."""
    group = np.zeros(len(df), dtype=np.int64)
    left_out = ~reached.to_numpy()
    for name in HISTORY_KEYS:
        codes, uniques = pd.factorize(df[name])
        left_out |= codes < 0
        group = pd.factorize(group * (len(uniques) + 1) + codes)[0]  # renumbered: stays small
    return pd.Series(np.where(left_out, np.nan, group), index=df.index)


@row_check("outlier_organisation_history", "new_beneficiaries", needs=(*_REACHED, *HISTORY_KEYS, "new_beneficiaries"))
def _outlier_of_history(df: Frame) -> pd.Series:
    reached = df["counts_as_reached"].astype(bool)
    group = _history_groups(df, reached)
    new = df["new_beneficiaries"].where(reached)
    median, count = leave_one_out_median(new, group)
    return (count >= OUTLIER_MIN_HISTORY) & (new > OUTLIER_RATIO * median) & (new - median >= OUTLIER_MIN_GAP)


#: Finding checks that compare rows of several files: run once every file is staged (and the
#: superseded rows are out), over the loaded rows of all of them (``history.history_findings``).
CROSS_FILE_CHECKS = [c for c in FIVE_W_CHECKS if c.rule_id == "outlier_organisation_history"]
REJECT_CHECKS = FIVE_W_CHECKS.of(REJECT)
FINDING_CHECKS = [c for c in FIVE_W_CHECKS.of(FINDING) if c not in CROSS_FILE_CHECKS]


def validate_five_w(
    staged: Frame, parsed_failures: list[tuple[str, str, np.ndarray]]
) -> Iterator[tuple[str, str, np.ndarray, pd.Series]]:
    """Run the reject then the finding checks over a staged 5W frame (the checks of one row at a
    time: ``CROSS_FILE_CHECKS`` run later, over the rows of every file).

    Args:
        staged: frame with the staged 5W columns plus the helper columns ``admin1_known``,
            ``has_*_list`` and ``has_indicator_registry`` (see ``stage.stage_five_w_sheets``); not
            modified.
        parsed_failures: (rule id, column, mask) of the cells the parsers could not read; rows
            with any of them are treated as rejected before the finding checks run.

    Yields:
        (rule id, column, failing-row mask aligned with ``staged``, values to show: a Series
        aligned with ``staged``) per check that fails somewhere.
    """
    month_bad = [m for rule, col, m in parsed_failures if col == "month"]
    frame = pd.DataFrame(
        {**{name: staged[name] for name in staged.columns},
         # compared with a type name by many checks: as categories, each comparison reads codes
         "indicator_type_key": staged["indicator_type_key"].astype("category"),
         "_month_unreadable": month_bad[0] if month_bad else np.zeros(len(staged), dtype=bool)},
        index=staged.index, copy=False,
    )
    rejected = np.zeros(len(frame), dtype=bool)
    for _rule, _col_name, mask in parsed_failures:
        rejected |= mask
    for item, mask in failing(REJECT_CHECKS, frame):
        rejected |= mask
        yield item.rule_id, item.column, mask, item.shown(frame)
    loaded = frame if not rejected.any() else frame.loc[~rejected]
    for item, mask in failing(FINDING_CHECKS, loaded):
        full = np.zeros(len(frame), dtype=bool)
        full[~rejected] = mask
        yield item.rule_id, item.column, full, item.shown(frame)
