"""reconcile_published_figures: the seed page's figures checked against each other.

Expected intervals are worked out by hand from the printed figures and their rounding
(half a unit of the last printed digit), e.g. Regional 2024: target 32,7 K = [32 650, 32 750],
PiN 1,66 M = [1 655 000, 1 665 000], so target / PiN is in [32 650 / 1 665 000, 32 750 / 1 655 000]
= [1.961%, 1.979%], while the page prints 2,8% = [2.75%, 2.85%]: inconsistent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from rmrp_pipeline.marts.reconciliation import (
    RECONCILIATION_COLUMNS,
    reconcile_published_figures,
)
from rmrp_pipeline.sources.planning.key_figures import read_published_key_figures

WORKBOOK = Path(__file__).resolve().parents[2] / "data" / "raw" / "planning" / "rmrp2023-2024_trafficking_smuggling_key_figures.xlsx"
SECTOR = "Protection (Human Trafficking and Smuggling)"
PLATFORMS = ["Brazil", "Chile", "Colombia", "Ecuador", "Peru", "Caribbean", "Central America and Mexico", "Southern Cone"]


@pytest.fixture(scope="module")
def reconciliation() -> pd.DataFrame:
    figures, rejects, _ = read_published_key_figures(WORKBOOK)
    assert rejects.empty
    return reconcile_published_figures(figures)


def _check(rec: pd.DataFrame, check: str, year, platform="Regional", published_text=None) -> pd.Series:
    rows = rec[(rec["check_name"] == check) & (rec["platform"] == platform)]
    rows = rows[rows["plan_year"].isna()] if year is None else rows[rows["plan_year"] == year]
    if published_text is not None:
        rows = rows[rows["published_text"] == published_text]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_columns_and_types(reconciliation):
    assert list(reconciliation.columns) == list(RECONCILIATION_COLUMNS)
    assert str(reconciliation["plan_year"].dtype) == "Int64"
    assert set(reconciliation["sector"]) == {SECTOR}


def test_exactly_one_target_share_is_inconsistent_regional_2024(reconciliation):
    shares = reconciliation[reconciliation["check_name"] == "target_share_vs_parts"]
    assert len(shares) == 18  # 8 platforms + Regional, 2 years
    bad = shares[shares["status"] == "inconsistent"]
    assert [(int(r.plan_year), r.platform) for r in bad.itertuples()] == [(2024, "Regional")]
    assert set(shares["status"]) == {"ok", "inconsistent"}
    row = bad.iloc[0]
    assert row["published_text"] == "2,8%"
    assert (row["published_low"], row["published_high"]) == (pytest.approx(0.0275), pytest.approx(0.0285))
    assert row["computed_low"] == pytest.approx(32_650 / 1_665_000)
    assert row["computed_high"] == pytest.approx(32_750 / 1_655_000)
    assert row["computed_high"] == pytest.approx(0.019789, abs=1e-6)  # ≈ 1.98%, far below 2.75%


def test_tight_but_consistent_shares(reconciliation):
    # Colombia 2024: 27,9K / 1,02 M = [27 850 / 1 025 000, 27 950 / 1 015 000] = [2.717%, 2.754%];
    # printed 2,8% = [2.75%, 2.85%]: they overlap by 0.004 points only.
    row = _check(reconciliation, "target_share_vs_parts", 2024, "Colombia")
    assert row["status"] == "ok"
    assert (row["computed_low"], row["computed_high"]) == (pytest.approx(0.027171, abs=1e-6), pytest.approx(0.027537, abs=1e-6))
    # Chile 2023: 200 / 79,7 K = [200 / 79 750, 200 / 79 650] = [0.2508%, 0.2511%]; printed 0,3% = [0.25%, 0.35%]
    row = _check(reconciliation, "target_share_vs_parts", 2023, "Chile")
    assert row["status"] == "ok"
    assert row["computed_low"] == pytest.approx(200 / 79_750)
    # Regional 2023: 33,3 K / 1,56 M = [33 250 / 1 565 000, 33 350 / 1 555 000] = [2.125%, 2.145%]; printed 2,1%
    assert _check(reconciliation, "target_share_vs_parts", 2023)["status"] == "ok"


@pytest.mark.parametrize(
    ("year", "text", "low", "high"),
    [
        # Σ platform PiN 2023 = 11 500 + 79 700 + 948 200 + 58 300 + 623 000 + 24 300 + 108 100 + 9 500
        # = 1 862 600, each ± 50
        (2023, "1,56 M", 1_862_200, 1_863_000),
        # 2024: 12 200 + 86 300 + 1 020 000 + 57 000 + 660 800 + 24 600 + 110 800 + 10 200 = 1 981 900,
        # ± (5 000 for 1,02 M + 7 × 50)
        (2024, "1,66 M", 1_976_550, 1_987_250),
        # targets 2023: 85 + 200 + 29 000 + 920 + 8 000 + 644 + 1 500 + 46 = 40 395, ± 3 × 50
        (2023, "33,3 K", 40_245, 40_545),
        # targets 2024: 85 + 200 + 27 900 + 1 000 + 8 300 + 668 + 1 500 + 36 = 39 689, ± 4 × 50
        (2024, "32,7 K", 39_489, 39_889),
        # partners: 4 + 1 + 8 + 5 + 8 + 6 + 3 + 6 = 41 distinct-per-platform counts vs 31 regionally
        (2023, "31", 41, 41),
        (2024, "31", 41, 41),
    ],
)
def test_regional_vs_platform_sums_are_recorded(reconciliation, year, text, low, high):
    row = _check(reconciliation, "regional_vs_platform_sum", year, published_text=text)
    assert row["status"] == "recorded"
    assert (row["computed_low"], row["computed_high"]) == (pytest.approx(low), pytest.approx(high))
    assert row["published_low"] <= row["computed_low"]  # regional below the sum in every case here
    assert ("transit" in row["explanation"]) or ("distinct" in row["explanation"])


@pytest.mark.parametrize(
    ("year", "low", "high"),
    [
        # 2023: Σ platforms = 216 500 + 295 000 + 6 750 000 + 2 550 000 + 7 380 000 + 2 170 000 + 283 000
        # + 938 200 = 20 582 700 ± (4 × 5 000 + 4 × 50 = 20 200); regional $22,08 M ± 5 000:
        # remainder in [22 075 000 − 20 602 900, 22 085 000 − 20 562 500]
        (2023, 1_472_100, 1_522_500),
        # 2024: 132 600 + 369 000 + 5 540 000 + 2 530 000 + 6 840 000 + 2 000 000 + 282 000 + 736 000
        # = 18 429 600 ± 20 200; regional $19,11 M ± 5 000
        (2024, 655_200, 705_600),
    ],
)
def test_regional_level_requirements_are_the_remainder(reconciliation, year, low, high):
    row = _check(reconciliation, "regional_level_requirements", year)
    assert row["status"] == "recorded"
    assert (row["computed_low"], row["computed_high"]) == (pytest.approx(low), pytest.approx(high))
    assert "additive" in row["explanation"] and "regional-level activities" in row["explanation"]


def test_age_gender_shares_add_up_to_100_within_rounding(reconciliation):
    rows = reconciliation[reconciliation["check_name"] == "age_gender_shares_sum"]
    assert len(rows) == 2 and set(rows["status"]) == {"ok"}
    # 36,3 + 34,6 + 14,3 + 14,9 = 100,1 and 37,7 + 32,9 + 14,6 + 14,9 = 100,1, each ± 4 × 0,05
    for row in rows.itertuples():
        assert (row.published_low, row.published_high) == (pytest.approx(0.999), pytest.approx(1.003))
        assert pd.isna(row.plan_year)


def test_only_the_known_inconsistency_is_flagged(reconciliation):
    flagged = reconciliation[~reconciliation["status"].isin(["ok", "recorded"])]
    assert [(int(r.plan_year), r.platform, r.check_name) for r in flagged.itertuples()] == [
        (2024, "Regional", "target_share_vs_parts")
    ]


# -- synthetic cases -------------------------------------------------------------------------------


def _figure(year, platform, measure, text, value, low, high, age_gender=None) -> dict:
    return {
        "plan_year": year, "level": "regional" if platform == "Regional" else "platform", "platform": platform,
        "sector": SECTOR, "measure": measure, "age_gender": age_gender, "published_text": text,
        "value": value, "value_low": low, "value_high": high,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["plan_year"] = frame["plan_year"].astype("Int64")
    return frame


def test_touching_intervals_count_as_consistent():
    # 1 / 40 = 2.5% exactly, printed 2,0% = [1.5%, 2.5%]: the intervals touch.
    rec = reconcile_published_figures(_frame([
        _figure(2023, "Chile", "people_in_need", "40", 40, 40, 40),
        _figure(2023, "Chile", "people_targeted", "1", 1, 1, 1),
        _figure(2023, "Chile", "target_share_of_pin", "2,0%", 0.02, 0.015, 0.025),
    ]))
    assert rec["status"].tolist() == ["ok"]


def test_missing_parts_and_negative_remainder():
    rows = [_figure(2024, "Regional", "requirements_usd", "$1,0 M", 1_000_000, 950_000, 1_050_000)]
    rows += [_figure(2024, p, "requirements_usd", "$1,0 M", 1_000_000, 950_000, 1_050_000) for p in PLATFORMS]
    rows += [
        _figure(2024, "Regional", "people_in_need", "1,0 M", 1_000_000, 950_000, 1_050_000),
        _figure(2024, "Regional", "target_share_of_pin", "1,0%", 0.01, 0.0095, 0.0105),
    ]
    rec = reconcile_published_figures(_frame(rows)).set_index("check_name")
    # 8 platforms × [0.95 M, 1.05 M] = [7.6 M, 8.4 M] > the regional $1,0 M: remainder [−7.45 M, −6.55 M]
    assert rec.loc["regional_level_requirements", "status"] == "inconsistent"
    assert rec.loc["regional_level_requirements", "computed_high"] == pytest.approx(1_050_000 - 7_600_000)
    assert rec.loc["regional_vs_platform_sum", "status"] == "missing_parts"
    assert rec.loc["target_share_vs_parts", "status"] == "missing_parts"
    assert "people_targeted" in rec.loc["target_share_vs_parts", "explanation"]
