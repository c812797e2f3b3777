"""Targets, PiN and shares of marts.cycle_people_reached at the platform and regional levels, against
R4V's RMRP 2022 PiN/target tables (data/raw/planning/rmrp2022_pin_target_by_admin1_sector.xlsx) read
with pandas and the published regional key figures (GHO 2022: 8.4 M in need, 3.8 M targeted)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import RAW_DIR

PIN_TARGET_2022 = RAW_DIR / "planning" / "rmrp2022_pin_target_by_admin1_sector.xlsx"


def _row(wh, level, platform, subsector, cycle="2022-H2"):
    frame = wh.execute(
        "SELECT consolidated_total, people_targeted, people_in_need, share_of_target, share_of_pin, share_note "
        "FROM marts.cycle_people_reached WHERE cycle = ? AND level = ? AND platform = ? AND subsector = ?",
        [cycle, level, platform, subsector]).df()
    assert len(frame) == 1, frame
    return frame.iloc[0]


def test_platform_rows_carry_the_target_and_pin_of_their_countries(wh):
    targets = pd.read_excel(PIN_TARGET_2022, sheet_name="Target")
    pin = pd.read_excel(PIN_TARGET_2022, sheet_name="PiN 2022")
    targets = targets[(targets["Target Platform"] == "Southern Cone") & (targets["Target Admin1"] == "Country level")]
    pin = pin[(pin["PiN Platform"] == "Southern Cone") & (pin["PiN Admin1"] == "Country level")]
    for subsector in ("Intersector", "Protection (General)"):
        row = _row(wh, "platform", "Southern Cone", subsector)
        target = targets.loc[targets["Subsector"] == subsector, "Target Total"].sum()
        need = pin.loc[pin["Subsector"] == subsector, "PiN Total"].sum()
        assert (row["people_targeted"], row["people_in_need"]) == (target, need)
        # Argentina, Bolivia, Paraguay and Uruguay all reported in the August 2022 sample: same places
        assert row["share_of_target"] == pytest.approx(row["consolidated_total"] / target)
        assert row["share_of_pin"] == pytest.approx(row["consolidated_total"] / need)
        assert row["share_note"] is None
    # Intersector by hand: 131,510 targeted, 284,027 in need (the four countries' Country level rows)
    row = _row(wh, "platform", "Southern Cone", "Intersector")
    assert (row["people_targeted"], row["people_in_need"]) == (131_510, 284_027)
    # 3,205 people reached: every row R4V's 2022 registry types PiN (tests/e2e/test_people_reached_2022.py)
    assert row["share_of_target"] == pytest.approx(3_205 / 131_510)


def test_regional_shares_of_one_platforms_sample_are_left_empty_with_the_reason(wh):
    row = _row(wh, "regional", "Regional", "Intersector")
    assert (row["people_targeted"], row["people_in_need"]) == (3_800_000, 8_400_000)   # published
    assert pd.isna(row["share_of_target"]) and pd.isna(row["share_of_pin"])
    assert row["share_note"] == ("Shares left empty: the figure comes from the 5W data of 4 of the 17 countries "
                                 "the target and PiN cover (ARG, BOL, PRY, URY).")
    # a sector without a published regional figure: the key figures' (computed from the tables)
    row = _row(wh, "regional", "Regional", "Protection (General)")
    key = wh.execute("SELECT people_targeted, people_in_need FROM marts.sector_key_figures WHERE plan_year = 2022 "
                     "AND platform = 'Regional' AND sector = 'Protection (General)'").fetchone()
    assert (row["people_targeted"], row["people_in_need"]) == key == (1_288_552, 6_837_578)
    assert pd.isna(row["share_of_target"]) and row["share_note"].startswith("Shares left empty")


def test_every_empty_share_says_why(wh):
    counts = wh.execute(
        "SELECT count(*) FILTER (WHERE (share_of_target IS NULL OR share_of_pin IS NULL) AND share_note IS NULL), "
        "count(*) FILTER (WHERE share_of_target IS NOT NULL AND share_of_pin IS NOT NULL AND share_note IS NOT NULL), "
        "count(*) FILTER (WHERE plan_year = 2021 AND share_note = 'No target or PiN of 2021 for this level, place and sector.') "
        "= count(*) FILTER (WHERE plan_year = 2021) FROM marts.cycle_people_reached").fetchone()
    assert counts == (0, 0, True)   # no 2021 planning figures are bundled
