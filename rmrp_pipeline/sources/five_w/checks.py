"""pandera schemas of the 5W rules (ids, severities and messages in ``rules.py``).

Each rule is one vectorised check over the staged frame (``five_w.stage_five_w``): a
function returning True where a row *fails*. The reject schema runs first; the quality
(finding) schema runs on the rows that are not rejected, so a partner sees the blocking
problem of a row before its breakdown problems. Sources of the rules: domain.md §3.3
(R4V's QA scripts ``R4VRMRP2023/R/2_data_quality_check.R`` and ``monitoringQuality2025``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from rmrp_pipeline.domain import MAX_PERSONS_IN_A_ROW
from rmrp_pipeline.sources.five_w.columns import (
    AGE_GENDER,
    AMOUNT_COLUMNS,
    COUNT_COLUMNS,
    POPULATION_TYPES,
)

Frame = pd.DataFrame


@dataclass(frozen=True)
class RowRule:
    """A rule as a vectorised check: ``fails(df)`` is True on failing rows; ``shown(df)`` is the
    value reported for them (the cell, or a computed sum)."""

    rule_id: str
    column: str
    fails: Callable[[Frame], pd.Series]
    shown: Callable[[Frame], pd.Series]
    needs: tuple[str, ...] = ()


def _col(name: str) -> Callable[[Frame], pd.Series]:
    return lambda df: df[name]


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
_REACHED = ("counts_as_reached",)


def _reject_rules() -> list[RowRule]:
    rules = [
        RowRule("country_not_r4v", "country", lambda df: df["country_iso3"].isna(),
                lambda df: df["country_raw"].fillna("(empty)"), ("country_iso3",)),
        RowRule("month_unreadable", "month", lambda df: df["month"].isna() & ~df["_month_unreadable"],
                lambda df: pd.Series("(empty)", index=df.index), ("month", "_month_unreadable")),
    ]
    for name in COUNT_COLUMNS:
        rules.append(RowRule("count_negative", name, lambda df, n=name: df[n] < 0, _col(name), (name,)))
        rules.append(RowRule("count_implausible", name, lambda df, n=name: df[n] > MAX_PERSONS_IN_A_ROW, _col(name), (name,)))
    for name in TOTAL_COUNTS:
        rules.append(RowRule("count_not_whole", name, lambda df, n=name: (df[n] % 1).fillna(0) != 0, _col(name), (name,)))
    for name in AMOUNT_COLUMNS:
        rules.append(RowRule("amount_negative", name, lambda df, n=name: df[n] < 0, _col(name), (name,)))
    return rules


def _finding_rules() -> list[RowRule]:
    required = ["appealing_org", "subsector", "indicator", "activity_name", "admin1", "implementation", "rmrp_activity", "cva"]
    rules = [RowRule("required_missing", n, lambda df, n=n: df[n].isna(), _col(n), (n,)) for n in required]
    rules += [
        RowRule("breakdown_not_whole", n, lambda df, n=n: (df[n] % 1).fillna(0) != 0, _col(n), (n,))
        for n in BREAKDOWN_COUNTS
    ]
    rules += [
        RowRule("month_outside_template_year", "month",
                lambda df: df["template_year"].notna() & df["month"].notna()
                & (pd.to_datetime(df["month"]).dt.year != df["template_year"]),
                lambda df: pd.to_datetime(df["month"]).dt.strftime("%Y-%m"), ("month", "template_year")),
        RowRule("admin1_not_in_list", "admin1",
                lambda df: df["admin1"].notna() & _is(df, "admin1_known", False),
                _col("admin1"), ("admin1", "admin1_known")),
        RowRule("organisation_not_in_list", "appealing_org",
                lambda df: df["has_appealing_list"] & df["appealing_org"].notna() & df["appealing_org_id"].isna(),
                _col("appealing_org"), ("has_appealing_list", "appealing_org", "appealing_org_id")),
        RowRule("implementing_partner_not_in_list", "implementing_partner",
                lambda df: df["has_implementing_list"] & df["implementing_partner"].notna() & df["implementing_partner_id"].isna(),
                _col("implementing_partner"), ("has_implementing_list", "implementing_partner", "implementing_partner_id")),
        RowRule("implementing_partner_missing", "implementing_partner",
                lambda df: _is(df, "implementation", True) & df["implementing_partner"].isna(),
                _col("implementing_partner"), ("implementation", "implementing_partner")),
        RowRule("implementing_partner_unexpected", "implementing_partner",
                lambda df: _is(df, "implementation", False) & df["implementing_partner"].notna(),
                _col("implementing_partner"), ("implementation", "implementing_partner")),
        RowRule("subsector_not_r4v", "subsector",
                lambda df: df["subsector"].notna() & df["sector"].isna(),
                _col("subsector"), ("subsector", "sector")),
        RowRule("indicator_not_in_registry", "indicator",
                lambda df: df["has_indicator_registry"] & df["subsector"].notna() & df["indicator"].notna() & df["indicator_code"].isna(),
                _col("indicator"), ("has_indicator_registry", "subsector", "indicator", "indicator_code")),
        RowRule("new_above_total", "new_beneficiaries",
                lambda df: df["counts_as_reached"] & (df["new_beneficiaries"].fillna(0) > df["total_monthly"].fillna(0)),
                _col("new_beneficiaries"), (*_REACHED, "new_beneficiaries", "total_monthly")),
        RowRule("population_types_sum_mismatch", "new_beneficiaries",
                lambda df: df["counts_as_reached"] & ((_zero(df, POPULATION_TYPES) - df["new_beneficiaries"].fillna(0)).abs() > 0.5),
                lambda df: _zero(df, POPULATION_TYPES).round(2), (*_REACHED, "new_beneficiaries", *POPULATION_TYPES)),
        RowRule("age_gender_sum_mismatch", "new_beneficiaries",
                lambda df: df["counts_as_reached"] & ((_zero(df, AGE_GENDER) - df["new_beneficiaries"].fillna(0)).abs() > 0.5),
                lambda df: _zero(df, AGE_GENDER).round(2), (*_REACHED, "new_beneficiaries", *AGE_GENDER)),
        RowRule("no_beneficiaries", "new_beneficiaries",
                lambda df: df["counts_as_reached"] & df["new_beneficiaries"].fillna(0).eq(0) & df["total_monthly"].fillna(0).eq(0),
                _col("new_beneficiaries"), (*_REACHED, "new_beneficiaries", "total_monthly")),
        RowRule("cva_value_missing", "value_usd",
                lambda df: _is(df, "cva", True) & ~(df["value_usd"].fillna(0) > 0),
                _col("value_usd"), ("cva", "value_usd")),
        RowRule("cva_mechanism_missing", "delivery_mechanism",
                lambda df: _is(df, "cva", True) & df["delivery_mechanism"].isna(),
                _col("delivery_mechanism"), ("cva", "delivery_mechanism")),
    ]
    rules += _indicator_type_rules()
    rules.append(RowRule("outlier_organisation_history", "new_beneficiaries", _outlier_of_history,
                         _col("new_beneficiaries"), (*_REACHED, *HISTORY_KEYS, "new_beneficiaries")))
    return rules


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
    frame = pd.DataFrame({"g": groups[usable], "v": values[usable].astype(float)}).sort_values(["g", "v"], kind="stable")
    size = frame.groupby("g", sort=False)["v"].transform("size").to_numpy()
    rank = frame.groupby("g", sort=False).cumcount().to_numpy()
    start = np.arange(len(frame)) - rank
    sorted_values = frame["v"].to_numpy()
    others = size - 1

    def other_at(j: np.ndarray) -> np.ndarray:
        # j-th smallest of the group's other rows: skip the row itself.
        position = start + j + (j >= rank)
        return sorted_values[np.clip(position, 0, len(sorted_values) - 1)]

    low = other_at(np.maximum((others - 1) // 2, 0))
    high = other_at(np.maximum(others // 2, 0))
    result = np.where(others > 0, (low + high) / 2, np.nan)
    median.loc[frame.index] = result
    count.loc[frame.index] = others
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


def _outlier_of_history(df: Frame) -> pd.Series:
    reached = df["counts_as_reached"].astype(bool)
    group = _history_groups(df, reached)
    new = df["new_beneficiaries"].where(reached)
    median, count = leave_one_out_median(new, group)
    return (count >= OUTLIER_MIN_HISTORY) & (new > OUTLIER_RATIO * median) & (new - median >= OUTLIER_MIN_GAP)


#: Canonical sectors (``reference_data/sectors.csv``) named by the rules below.
MPC_SECTOR = "Multipurpose Cash Assistance (MPC)"
UNDER_18_SECTORS = ("Education", "Protection (Child Protection)")
UNDER_18 = ["girls", "boys", "other_under_18"]
#: Indicator types (``normalise_key`` of the registry's type) measured by their output, not by
#: people, per cycle (domain.md §3.2-§3.3): 2021-2022 ``People``/``Other``; from 2023
#: Infrastructure, Mechanism/Advocacy, Other and Campaign (Capacity Building has its own rule).
OUTPUT_TYPES_2021 = ("people", "other")
OUTPUT_TYPES_2023 = ("infrastructure", "mechanism/advocacy", "other", "campaign")
#: First reporting year of R4V's 2025 QA rules (monitoringQuality2025).
RULES_2025_FROM = 2025


def _output_type(df: Frame) -> pd.Series:
    kind = df["indicator_type_key"]
    return (df["reporting_year"].lt(2023) & kind.isin(OUTPUT_TYPES_2021)) | (
        df["reporting_year"].ge(2023) & kind.isin(OUTPUT_TYPES_2023))


def _indicator_type_rules() -> list[RowRule]:
    """CVA consistency and the rules that depend on the indicator type or the sector
    (domain.md §3.3). A row without a registered indicator type is left to
    ``indicator_not_in_registry``; its type rules cannot be checked."""
    return [
        RowRule("mpc_without_cva_yes", "cva",
                lambda df: df["sector"].eq(MPC_SECTOR).fillna(False) & _is(df, "cva", False),
                _col("cva"), ("sector", "cva")),
        # A 0 is read as "no transfer" (R4V's 2021 export writes 0 in most CVA = No rows).
        RowRule("cva_no_value_given", "value_usd",
                lambda df: _is(df, "cva", False) & df["value_usd"].fillna(0).ne(0),
                _col("value_usd"), ("cva", "value_usd")),
        RowRule("cva_no_mechanism_given", "delivery_mechanism",
                lambda df: _is(df, "cva", False) & df["delivery_mechanism"].notna(),
                _col("delivery_mechanism"), ("cva", "delivery_mechanism")),
        RowRule("capacity_building_no_total", "total_monthly",
                lambda df: df["indicator_type_key"].eq("capacity building").fillna(False) & ~(df["total_monthly"].fillna(0) > 0),
                _col("total_monthly"), ("indicator_type_key", "total_monthly")),
        RowRule("output_quantity_missing", "quantity_output",
                lambda df: _output_type(df) & ~(df["quantity_output"].fillna(0) > 0),
                _col("quantity_output"), ("indicator_type_key", "reporting_year", "quantity_output")),
        RowRule("new_not_expected_for_type", "new_beneficiaries",
                lambda df: df["reporting_year"].ge(RULES_2025_FROM) & df["indicator_type_key"].notna()
                & df["indicator_type_key"].ne("direct assistance") & df["new_beneficiaries"].notna(),
                _col("new_beneficiaries"), ("reporting_year", "indicator_type_key", "new_beneficiaries")),
        RowRule("under_18_missing", "girls",
                lambda df: df["reporting_year"].ge(RULES_2025_FROM) & df["sector"].isin(UNDER_18_SECTORS)
                & df["indicator_type_key"].eq("direct assistance").fillna(False) & _zero(df, UNDER_18).eq(0),
                lambda df: _zero(df, UNDER_18), ("reporting_year", "sector", "indicator_type_key", *UNDER_18)),
    ]


REJECT_RULES = _reject_rules()
FINDING_RULES = _finding_rules()


def outcome_schema(rules: list[RowRule]) -> pa.DataFrameSchema:
    """pandera schema over the rules' outcome frame: one boolean column per rule (True where
    the row fails), each with a check named after the rule that passes where it is False.

    Checks are column-level on purpose: pandera reports DataFrame-level failures by stacking
    the whole frame, which costs seconds on a sheet with thousands of findings. Each check
    reports one failure case (``n_failure_cases=1``): pandera says which rules fail, and the
    failing rows are the outcome column it checked (a failure case per failing row costs 13 s
    for 6 million of them)."""
    return pa.DataFrameSchema(
        {
            f"{i}": pa.Column(bool, pa.Check(lambda fails: ~fails, name=rule.rule_id, n_failure_cases=1), required=True)
            for i, rule in enumerate(rules)
        },
        name="five_w_rules",
    )


REJECT_SCHEMA = outcome_schema(REJECT_RULES)
FINDING_SCHEMA = outcome_schema(FINDING_RULES)


def _columns(frame: Frame, names: tuple[str, ...]) -> Frame:
    """The columns ``names`` of ``frame`` as a frame of their own, without copying them."""
    return pd.DataFrame({name: frame[name] for name in names}, index=frame.index, copy=False)


def failing_rows(schema: pa.DataFrameSchema, rules: list[RowRule], frame: Frame) -> dict[int, np.ndarray]:
    """Evaluate every rule on ``frame`` (each on the columns it needs), validate the outcomes
    with ``schema`` (lazily) and return rule position -> mask of failing rows (aligned with
    ``frame``), for the rules that fail somewhere."""
    outcomes = pd.DataFrame(
        {f"{i}": rule.fails(_columns(frame, rule.needs)).astype(bool).to_numpy() for i, rule in enumerate(rules)},
        index=frame.index,
    )
    try:
        schema.validate(outcomes, lazy=True)
    except (SchemaErrors, SchemaError) as err:
        # In the order of pandera's report grouped by column name (as text: "10" before "2").
        return {int(column): outcomes[column].to_numpy() for column in sorted(set(err.failure_cases["column"]))}
    return {}


def validate_five_w(
    staged: Frame, parsed_failures: list[tuple[str, str, np.ndarray]]
) -> Iterator[tuple[str, str, np.ndarray, pd.Series]]:
    """Run the reject then the finding schema over a staged 5W frame.

    Args:
        staged: frame with the staged 5W columns plus the helper columns ``admin1_known``,
            ``has_*_list`` and ``has_indicator_registry`` (see ``five_w.stage_five_w``); not
            modified.
        parsed_failures: (rule id, column, mask) of the cells the parsers could not read; rows
            with any of them are treated as rejected before the finding rules run.

    Yields:
        (rule id, column, failing-row mask aligned with ``staged``, values to show: a Series
        aligned with ``staged``) per rule that fails somewhere.
    """
    month_bad = [m for rule, col, m in parsed_failures if col == "month"]
    frame = pd.DataFrame(
        {**{name: staged[name] for name in staged.columns},
         "_month_unreadable": month_bad[0] if month_bad else np.zeros(len(staged), dtype=bool)},
        index=staged.index, copy=False,
    )
    rejected = np.zeros(len(frame), dtype=bool)
    for _rule, _col_name, mask in parsed_failures:
        rejected |= mask
    for position, mask in failing_rows(REJECT_SCHEMA, REJECT_RULES, frame).items():
        rule = REJECT_RULES[position]
        rejected |= mask
        yield rule.rule_id, rule.column, mask, rule.shown(frame)
    loaded = frame if not rejected.any() else frame.loc[~rejected]
    for position, mask in failing_rows(FINDING_SCHEMA, FINDING_RULES, loaded).items():
        rule = FINDING_RULES[position]
        full = np.zeros(len(frame), dtype=bool)
        full[~rejected] = mask
        yield rule.rule_id, rule.column, full, rule.shown(frame)
