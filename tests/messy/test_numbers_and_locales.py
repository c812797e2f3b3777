"""Messy input: numbers written as text, locales decided once per file, magnitudes, percentages."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from rmrp_pipeline.read.templates import load_templates
from rmrp_pipeline.sources.planning.key_figures import read_published_key_figures
from rmrp_pipeline.text.numbers import parse_published_number
from tests.conftest import RAW_DIR
from tests.messy.helpers import HEADERS, PARTNER_FILE, ingest, row, staged

KEY_FIGURES = RAW_DIR / "planning" / "rmrp2023-2024_trafficking_smuggling_key_figures.xlsx"


def write_in_language(path, template_id, rows):
    """The 2021 rows written under the Spanish or Portuguese headers of ``template_id``."""
    english = {h: c for c, h in load_templates()["5w_2021"].columns.items()}
    translated = load_templates()[template_id].columns
    headers = [h for h in HEADERS if english[h] in translated]
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.active.append([translated[english[h]] for h in headers])
    for values in rows:
        book.active.append([values[h] for h in headers])
    book.save(path)


@pytest.mark.parametrize("template_id", ["5w_es", "5w_pt"])
def test_a_spanish_or_portuguese_file_reads_the_decimal_comma(reference_only, template_id):
    rows = [row(CVA="Sí" if template_id == "5w_es" else "Sim", **{
        "Value.of.Transfer.in.USD": "1,56", "Delivery.Mechanism": "Cash",
        "Total.monthly.beneficiaries": "1.560", "New.beneficiaries.of.the.month": "1.560",
        "Refugees.and.Migrants.IN.DESTINATION": "1.560", "Women.under.18": 390, "Men.under.18": 390,
        "Women.above.18": 390, "Men.above.18": 390})]
    write_in_language(reference_only / PARTNER_FILE, template_id, rows)
    result, rejects, _findings, log = ingest(reference_only)
    assert log["template_id"] == template_id
    assert rejects.empty
    frame = staged(result)
    assert frame.loc[0, "value_usd"] == 1.56             # not 156
    assert frame.loc[0, "total_monthly"] == 1560         # not 1.56
    assert bool(frame.loc[0, "cva"]) is True


@pytest.mark.parametrize(("typed", "rule"), [("1,000", "number_ambiguous"), ("12.000", "number_ambiguous"),
                                             ("1,5", "number_ambiguous"), ("12 personas", "number_unreadable")])
def test_an_english_file_refuses_numbers_whose_reading_depends_on_the_locale(reference_only, typed, rule):
    from tests.messy.helpers import write_rows

    write_rows(reference_only / PARTNER_FILE, [row(**{"Value.of.Transfer.in.USD": typed, "CVA": "Yes",
                                                       "Delivery.Mechanism": "Cash"})])
    _result, rejects, _findings, _log = ingest(reference_only)
    assert rejects[["row_number", "column", "rule"]].values.tolist() == [[2, "Value.of.Transfer.in.USD", rule]]


@pytest.mark.parametrize(("text", "locale", "value"), [
    ("1,56 M", "es", 1_560_000), ("33,3 K", "es", 33_300), ("27,9K", "pt", 27_900), ("$22,08 M", "es", 22_080_000),
    ("12 mil", "es", 12_000), ("0,7%", "es", 0.007), ("1.56 M", "en", 1_560_000), ("1.560", "es", 1560),
])
def test_magnitudes_currency_and_percent_text(text, locale, value):
    assert parse_published_number(text, locale).value == pytest.approx(value, rel=1e-12)


@pytest.fixture()
def key_figures_copy(tmp_path):
    target = tmp_path / "key_figures.xlsx"
    shutil.copy(KEY_FIGURES, target)
    return target


def test_a_percentage_cell_holds_the_fraction_and_a_bare_share_is_a_finding(key_figures_copy):
    book = openpyxl.load_workbook(key_figures_copy)
    sheet = book["key_figures"]
    header = [c.value for c in sheet[1]]
    column = header.index("target_share_of_pin") + 1
    sheet.cell(row=2, column=column, value=0.007).number_format = "0.0%"   # shown as 0.7%
    sheet.cell(row=3, column=column, value=0.7)                             # 70% or 0.7%?
    book.save(key_figures_copy)
    figures, rejects, info = read_published_key_figures(key_figures_copy)
    shares = figures[(figures["measure"] == "target_share_of_pin")].set_index("row_number")["value"]
    assert shares[2] == pytest.approx(0.007)
    assert shares[3] == pytest.approx(0.7)
    assert [(f["row_number"], f["rule"]) for f in info["findings"]] == [(3, "percent_without_sign")]
    assert rejects.empty
