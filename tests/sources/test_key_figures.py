"""The transcribed key-figures workbook and its reader (read_published_key_figures)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from rmrp_pipeline.sources.planning.key_figures import (
    FIGURE_COLUMNS,
    REJECT_COLUMNS,
    KeyFiguresLayoutError,
    read_published_key_figures,
)

REPO = Path(__file__).resolve().parents[2]
WORKBOOK = REPO / "data" / "raw" / "planning" / "rmrp2023-2024_trafficking_smuggling_key_figures.xlsx"
SCRIPT = REPO / "scripts" / "transcribe_seed_key_figures.py"
SECTOR = "Protection (Human Trafficking and Smuggling)"

# The seed page, by hand: (plan_year, platform, Excel row) -> per measure (text, value, half-width
# of the rounding interval). Share values are fractions (0,7% -> 0.007).
M, K = 1_000_000, 1_000
EXPECTED_KEY_FIGURES = {
    (2023, "Regional", 2): [("1,56 M", 1_560_000, 5_000), ("33,3 K", 33_300, 50), ("2,1%", 0.021, 0.0005), ("$22,08 M", 22_080_000, 5_000), ("31", 31, 0)],
    (2023, "Brazil", 3): [("11,5 K", 11_500, 50), ("85", 85, 0), ("0,7%", 0.007, 0.0005), ("$216,5 K", 216_500, 50), ("4", 4, 0)],
    (2023, "Chile", 4): [("79,7 K", 79_700, 50), ("200", 200, 0), ("0,3%", 0.003, 0.0005), ("$295,0 K", 295_000, 50), ("1", 1, 0)],
    (2023, "Colombia", 5): [("948,2 K", 948_200, 50), ("29,0 K", 29_000, 50), ("3,1%", 0.031, 0.0005), ("$6,75 M", 6_750_000, 5_000), ("8", 8, 0)],
    (2023, "Ecuador", 6): [("58,3 K", 58_300, 50), ("920", 920, 0), ("1,6%", 0.016, 0.0005), ("$2,55 M", 2_550_000, 5_000), ("5", 5, 0)],
    (2023, "Peru", 7): [("623,0 K", 623_000, 50), ("8,0K", 8_000, 50), ("1,3%", 0.013, 0.0005), ("$7,38 M", 7_380_000, 5_000), ("8", 8, 0)],
    (2023, "Caribbean", 8): [("24,3 K", 24_300, 50), ("644", 644, 0), ("2,6%", 0.026, 0.0005), ("$2,17 M", 2_170_000, 5_000), ("6", 6, 0)],
    (2023, "Central America and Mexico", 9): [("108,1 K", 108_100, 50), ("1,5 K", 1_500, 50), ("1,4%", 0.014, 0.0005), ("$283,0 K", 283_000, 50), ("3", 3, 0)],
    (2023, "Southern Cone", 10): [("9,5 K", 9_500, 50), ("46", 46, 0), ("0,5%", 0.005, 0.0005), ("$938,2 K", 938_200, 50), ("6", 6, 0)],
    (2024, "Regional", 11): [("1,66 M", 1_660_000, 5_000), ("32,7 K", 32_700, 50), ("2,8%", 0.028, 0.0005), ("$19,11 M", 19_110_000, 5_000), ("31", 31, 0)],
    (2024, "Brazil", 12): [("12,2 K", 12_200, 50), ("85", 85, 0), ("0,7%", 0.007, 0.0005), ("$132,6 K", 132_600, 50), ("4", 4, 0)],
    (2024, "Chile", 13): [("86,3 K", 86_300, 50), ("200", 200, 0), ("0,2%", 0.002, 0.0005), ("$369,0 K", 369_000, 50), ("1", 1, 0)],
    (2024, "Colombia", 14): [("1,02 M", 1_020_000, 5_000), ("27,9K", 27_900, 50), ("2,8%", 0.028, 0.0005), ("$5,54 M", 5_540_000, 5_000), ("8", 8, 0)],
    (2024, "Ecuador", 15): [("57,0 K", 57_000, 50), ("1,0K", 1_000, 50), ("1,8%", 0.018, 0.0005), ("$2,53 M", 2_530_000, 5_000), ("5", 5, 0)],
    (2024, "Peru", 16): [("660,8K", 660_800, 50), ("8,3K", 8_300, 50), ("1,3%", 0.013, 0.0005), ("$6,84 M", 6_840_000, 5_000), ("8", 8, 0)],
    (2024, "Caribbean", 17): [("24,6 K", 24_600, 50), ("668", 668, 0), ("2,7%", 0.027, 0.0005), ("$2,00 M", 2_000_000, 5_000), ("6", 6, 0)],
    (2024, "Central America and Mexico", 18): [("110,8 K", 110_800, 50), ("1,5K", 1_500, 50), ("1,4%", 0.014, 0.0005), ("$282,0 K", 282_000, 50), ("3", 3, 0)],
    (2024, "Southern Cone", 19): [("10,2 K", 10_200, 50), ("36", 36, 0), ("0,4%", 0.004, 0.0005), ("$736,0 K", 736_000, 50), ("6", 6, 0)],
}
MEASURES = [
    ("people_in_need", "E", "persons"),
    ("people_targeted", "F", "persons"),
    ("target_share_of_pin", "G", "fraction"),
    ("requirements_usd", "H", "usd"),
    ("partners", "I", "organisations"),
]
# other_figures: (plan_year or None, measure, age_gender, Excel row) -> (text, value, half-width)
EXPECTED_OTHER = {
    (2023, "share_of_total_pin", None, 2): ("11,2%", 0.112, 0.0005),
    (2024, "share_of_total_pin", None, 3): ("11,2%", 0.112, 0.0005),
    (None, "people_in_need_share", "women", 4): ("36,3%", 0.363, 0.0005),  # ↓ adults
    (None, "people_in_need_share", "men", 5): ("34,6%", 0.346, 0.0005),  # ↑ adults
    (None, "people_in_need_share", "girls", 6): ("14,3%", 0.143, 0.0005),  # ↓ under 18
    (None, "people_in_need_share", "boys", 7): ("14,9%", 0.149, 0.0005),  # ↑ under 18
    (None, "people_targeted_share", "women", 8): ("37,7%", 0.377, 0.0005),
    (None, "people_targeted_share", "men", 9): ("32,9%", 0.329, 0.0005),
    (None, "people_targeted_share", "girls", 10): ("14,6%", 0.146, 0.0005),
    (None, "people_targeted_share", "boys", 11): ("14,9%", 0.149, 0.0005),
}


@pytest.fixture(scope="module")
def published():
    return read_published_key_figures(WORKBOOK)


def _one(figures, **where):
    mask = True
    for column, value in where.items():
        mask = mask & (figures[column].isna() if value is None else figures[column] == value)
    rows = figures[mask]
    assert len(rows) == 1, (where, rows)
    return rows.iloc[0]


def test_headline_values(published):
    figures, _, _ = published
    colombia = figures[(figures["plan_year"] == 2024) & (figures["platform"] == "Colombia")].set_index("measure")
    assert colombia.loc["people_in_need", "value"] == 1_020_000
    assert colombia.loc["people_targeted", "value"] == 27_900
    assert colombia.loc["requirements_usd", "value"] == 5_540_000
    assert colombia.loc["target_share_of_pin", "value"] == pytest.approx(0.028)
    assert colombia.loc["partners", "value"] == 8
    regional = _one(figures, plan_year=2023, platform="Regional", measure="people_in_need")
    assert (regional["value"], regional["value_low"], regional["value_high"]) == (1_560_000, 1_555_000, 1_565_000)
    assert regional["level"] == "regional" and regional["cell"] == "E2"


def test_every_key_figure_cell_is_read_exactly(published):
    figures, _, _ = published
    key = figures[figures["sheet"] == "key_figures"]
    assert len(key) == len(EXPECTED_KEY_FIGURES) * len(MEASURES) == 90
    for (year, platform, row), cells in EXPECTED_KEY_FIGURES.items():
        for (measure, letter, unit), (text, value, half) in zip(MEASURES, cells):
            got = _one(key, plan_year=year, platform=platform, measure=measure)
            assert got["published_text"] == text
            assert got["value"] == pytest.approx(value, abs=1e-12)
            assert got["value_low"] == pytest.approx(value - half, abs=1e-12)
            assert got["value_high"] == pytest.approx(value + half, abs=1e-12)
            assert got["unit"] == unit
            assert (got["row_number"], got["column"], got["cell"]) == (row, measure, f"{letter}{row}")
            assert got["level"] == ("regional" if platform == "Regional" else "platform")
            assert got["sector"] == SECTOR and got["source_file"] == WORKBOOK.name
            assert got["age_gender"] is None


def test_every_other_figure_is_read_exactly(published):
    figures, _, _ = published
    other = figures[figures["sheet"] == "other_figures"]
    assert len(other) == len(EXPECTED_OTHER) + 1
    for (year, measure, age_gender, row), (text, value, half) in EXPECTED_OTHER.items():
        got = _one(other, plan_year=year, measure=measure, age_gender=age_gender)
        assert (got["published_text"], got["unit"], got["platform"], got["level"]) == (text, "fraction", "Regional", "regional")
        assert got["value"] == pytest.approx(value, abs=1e-12)
        assert (got["value_low"], got["value_high"]) == (pytest.approx(value - half), pytest.approx(value + half))
        assert got["cell"] == f"F{row}"
    leads = _one(other, measure="sector_leads")
    assert leads["published_text"] == "OIM, ONU MUJERES" and leads["unit"] == "text"
    assert math.isnan(leads["value"]) and math.isnan(leads["value_low"]) and math.isnan(leads["value_high"])
    assert pd.isna(leads["plan_year"])  # printed once for the two-year plan


def test_frames_and_info(published):
    figures, rejects, info = published
    assert list(figures.columns) == list(FIGURE_COLUMNS)
    assert str(figures["plan_year"].dtype) == "Int64"
    assert str(figures["row_number"].dtype) == "int64"
    assert all(str(figures[c].dtype) == "float64" for c in ("value", "value_low", "value_high"))
    assert list(rejects.columns) == list(REJECT_COLUMNS) and rejects.empty
    assert info == {
        "locale": "es",
        "sheets": {
            "source": {"rows_read": 8, "rows_rejected": 0},
            "key_figures": {"rows_read": 18, "rows_rejected": 0},
            "other_figures": {"rows_read": 11, "rows_rejected": 0},
        },
        "findings": [],   # every share is written as printed text with its % sign
    }


def test_script_rewrites_the_committed_workbook(tmp_path):
    spec = importlib.util.spec_from_file_location("transcribe_seed_key_figures", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = script.write_workbook(tmp_path / "kf.xlsx")
    committed, rewritten = openpyxl.load_workbook(WORKBOOK), openpyxl.load_workbook(out)
    assert committed.sheetnames == rewritten.sheetnames == ["key_figures", "other_figures", "source"]
    for name in committed.sheetnames:
        a = [[c.value for c in row] for row in committed[name].iter_rows()]
        b = [[c.value for c in row] for row in rewritten[name].iter_rows()]
        assert a == b, name
    # every non-empty cell is a text cell: the figures are kept as printed, not as Excel numbers
    for ws in committed:
        assert {c.data_type for row in ws.iter_rows() for c in row if c.value is not None} == {"s"}


# -- rejects ---------------------------------------------------------------------------------------


def _variant(tmp_path: Path, edits: dict[tuple[str, str], object], delete_rows: dict[str, int] | None = None) -> Path:
    """The committed workbook with some cells changed ((sheet, A1) -> value)."""
    wb = openpyxl.load_workbook(WORKBOOK)
    for (sheet, ref), value in edits.items():
        wb[sheet][ref].value = value
    for sheet, row in (delete_rows or {}).items():
        wb[sheet].delete_rows(row)
    path = tmp_path / "variant.xlsx"
    wb.save(path)
    return path


def test_unreadable_cells_are_rejected_with_their_cell(tmp_path):
    path = _variant(tmp_path, {
        ("key_figures", "E14"): "x1",  # Colombia 2024 PiN
        ("key_figures", "F3"): "1km",  # Brazil 2023 target
        ("key_figures", "F4"): "12 personas",  # Chile 2023 target
        ("key_figures", "H5"): None,  # Colombia 2023 requirements: empty
        ("key_figures", "I6"): 5,  # Ecuador 2023 partners: a number cell, not text
        ("key_figures", "H7"): "7,38 M",  # Peru 2023 requirements without '$'
        ("key_figures", "E8"): "24,3",  # Caribbean 2023 PiN: 24.3 persons
        ("key_figures", "G9"): "1,4",  # CAM 2023 share without '%'
        ("other_figures", "F4"): "363%",
    })
    figures, rejects, info = read_published_key_figures(path)
    got = {(r.sheet, r.row_number, r.column, r.rule, r.value) for r in rejects.itertuples()}
    assert got == {
        ("key_figures", 14, "people_in_need", "number_unreadable", "x1"),
        ("key_figures", 3, "people_targeted", "number_unreadable", "1km"),
        ("key_figures", 4, "people_targeted", "number_unreadable", "12 personas"),
        ("key_figures", 5, "requirements_usd", "value_missing", None),
        ("key_figures", 6, "partners", "cell_not_text", "5"),
        ("key_figures", 7, "requirements_usd", "unit_mismatch", "7,38 M"),
        ("key_figures", 8, "people_in_need", "count_not_whole", "24,3"),
        ("key_figures", 9, "target_share_of_pin", "unit_mismatch", "1,4"),
        ("other_figures", 4, "published_text", "fraction_above_one", "363%"),
    }
    messages = rejects.set_index(["sheet", "row_number", "column"])["message"]
    assert "cell E14" in messages[("key_figures", 14, "people_in_need")]
    assert "'x1'" in messages[("key_figures", 14, "people_in_need")]
    assert "Colombia 2024" in messages[("key_figures", 14, "people_in_need")]
    assert "cell H5" in messages[("key_figures", 5, "requirements_usd")]
    assert "'$'" in messages[("key_figures", 7, "requirements_usd")]
    assert "format the cell as Text" in messages[("key_figures", 6, "partners")]
    # a rejected cell is absent from figures; the other cells of its row are kept
    assert figures[(figures["plan_year"] == 2024) & (figures["platform"] == "Colombia")]["measure"].tolist() == [
        "people_targeted", "target_share_of_pin", "requirements_usd", "partners"]
    assert len(figures) == 101 - 9
    assert info["sheets"]["key_figures"] == {"rows_read": 18, "rows_rejected": 8}
    assert info["sheets"]["other_figures"] == {"rows_read": 11, "rows_rejected": 1}


@pytest.mark.parametrize("language", ["fr", None, "delete"])
def test_unknown_language_rejects_what_depends_on_the_separator(tmp_path, language):
    if language == "delete":
        path = _variant(tmp_path, {}, delete_rows={"source": 5})
    else:
        path = _variant(tmp_path, {("source", "B5"): language})
    figures, rejects, info = read_published_key_figures(path)
    assert info["locale"] is None
    source = rejects[rejects["sheet"] == "source"]
    assert source["rule"].tolist() == ["language_unknown"]
    if language == "delete":
        assert source["row_number"].tolist() == [1] and "no 'language' row" in source["message"].iloc[0]
    else:
        assert "cell B5" in source["message"].iloc[0]
    # digit-only texts read the same in every locale: targets printed in full and partners are kept
    kept = figures[figures["sheet"] == "key_figures"]
    assert sorted(kept["published_text"]) == sorted(
        ["85", "200", "920", "644", "46", "85", "200", "668", "36"] + ["31", "4", "1", "8", "5", "8", "6", "3", "6"] * 2)
    cells = rejects[rejects["sheet"] != "source"]
    assert set(cells["rule"]) == {"locale_unknown"}
    assert len(cells) == 90 - 27 + 10  # + the ten shares of other_figures
    colombia = cells[(cells["sheet"] == "key_figures") & (cells["row_number"] == 14) & (cells["column"] == "people_in_need")]
    assert "set 'language'" in colombia["message"].iloc[0] and "cell E14" in colombia["message"].iloc[0]
    assert _one(figures, measure="sector_leads")["published_text"] == "OIM, ONU MUJERES"


def test_wrong_language_rejects_decimal_comma_figures(tmp_path):
    figures, rejects, info = read_published_key_figures(_variant(tmp_path, {("source", "B5"): "en"}))
    assert info["locale"] == "en"
    assert set(rejects["rule"]) == {"number_unreadable"}
    colombia = rejects[(rejects["row_number"] == 14) & (rejects["column"] == "people_in_need")]
    assert "'1,02 M'" in colombia["message"].iloc[0] and "decimal separator is '.'" in colombia["message"].iloc[0]
    assert len(figures[figures["sheet"] == "key_figures"]) == 27  # only the digit-only texts


def test_rows_whose_identity_cannot_be_read_are_not_loaded(tmp_path):
    path = _variant(tmp_path, {
        ("key_figures", "A3"): "2O23",  # letter O
        ("key_figures", "B4"): "Brasil",  # not R4V's English name
        ("key_figures", "B6"): "Colombia",  # a second Colombia 2023 row (row 5 has it)
        ("key_figures", "A12"): 2024,  # a number cell for the year is fine
        ("other_figures", "D2"): "share_of_pin",
        ("other_figures", "E4"): None,  # a share without its age/gender group
        ("other_figures", "E12"): "women",  # sector leads take no age/gender
    })
    figures, rejects, info = read_published_key_figures(path)
    got = {(r.sheet, r.row_number, r.column, r.rule) for r in rejects.itertuples()}
    assert got == {
        ("key_figures", 3, "plan_year", "plan_year_unreadable"),
        ("key_figures", 4, "platform", "platform_unknown"),
        ("key_figures", 6, "platform", "duplicate_row"),
        ("other_figures", 2, "measure", "measure_unknown"),
        ("other_figures", 4, "age_gender", "age_gender_invalid"),
        ("other_figures", 12, "age_gender", "age_gender_invalid"),
    }
    assert all("not loaded" in m for m in rejects["message"])
    assert set(figures.loc[figures["sheet"] == "key_figures", "row_number"]) == set(range(2, 20)) - {3, 4, 6}
    assert _one(figures, plan_year=2024, platform="Brazil", measure="people_in_need")["cell"] == "E12"
    assert info["sheets"]["key_figures"]["rows_rejected"] == 3


def test_a_sheet_with_other_columns_is_a_layout_error(tmp_path):
    with pytest.raises(KeyFiguresLayoutError, match=r"missing \['partners'\], unexpected \['socios'\]"):
        read_published_key_figures(_variant(tmp_path, {("key_figures", "I1"): "socios"}))
