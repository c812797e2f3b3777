"""Messy input: headers written however partners write them, two-row headers, HXL rows."""

from __future__ import annotations

import openpyxl

from rmrp_pipeline.read.recognise import two_row_header
from rmrp_pipeline.read.templates import load_hxl_tags, load_templates, recognise
from tests.messy.helpers import HEADERS, PARTNER_FILE, ingest, row, staged

AGE_GENDER = ["Women.under.18", "Men.under.18", "Women.above.18", "Men.above.18"]


def test_headers_match_after_unicode_space_case_and_accent_cleaning():
    messy = ["\u00a0" + h.upper() + "  " for h in HEADERS]
    messy[HEADERS.index("Country")] = "Cóuntry\u00a0"
    assert recognise(messy).template.template_id == "5w_2021"


def test_two_row_header_with_a_merged_group_is_one_header_per_column(reference_only):
    path = reference_only / PARTNER_FILE
    path.parent.mkdir(parents=True)
    book = openpyxl.Workbook()
    sheet = book.active
    first_agd = HEADERS.index(AGE_GENDER[0]) + 1
    for column, header in enumerate(HEADERS, start=1):
        if header in AGE_GENDER:
            sheet.cell(row=2, column=column, value=header)
        else:
            sheet.cell(row=1, column=column, value=header)
            sheet.merge_cells(start_row=1, start_column=column, end_row=2, end_column=column)
    sheet.cell(row=1, column=first_agd, value="New beneficiaries by age and gender")
    sheet.merge_cells(start_row=1, start_column=first_agd, end_row=1, end_column=first_agd + 3)
    values = row()
    sheet.append([values[h] for h in HEADERS])
    sheet.append([values[h] for h in HEADERS])
    book.save(path)
    result, rejects, _findings, log = ingest(reference_only)
    assert log["status"] == "recognised" and log["rows_read"] == 2
    assert rejects.empty
    frame = staged(result)
    assert frame["source_row"].tolist() == [3, 4]          # the second header row is not data
    assert frame["girls"].tolist() == [2, 2] and frame["men"].tolist() == [3, 3]


def test_two_row_header_prefixes_a_sub_header_repeated_under_groups():
    upper = ["País", "Total mensual", None, "Nuevos", None]
    lower = [None, "Niñas", "Niños", "Niñas", "Niños"]
    assert two_row_header(upper, lower) == ["País", "Total mensual Niñas", "Total mensual Niños", "Nuevos Niñas", "Nuevos Niños"]


def test_an_hxl_row_is_metadata_not_data_and_maps_translated_headers(reference_only):
    """A partner's sheet with Spanish headers nobody registered, but R4V's HXL tags under them."""
    tags = load_hxl_tags()
    path = reference_only / PARTNER_FILE
    path.parent.mkdir(parents=True)
    canonical_of = {h: c for c, h in load_templates()["5w_2021"].columns.items()}

    def written(tag: str) -> str:  # attributes in another order, with spaces, as people type them
        hashtag, *attributes = tag.split("+")
        return " ".join([hashtag.upper(), *(f"+{a}" for a in reversed(attributes))])

    spanish = [f"Columna {i}" for i, _h in enumerate(HEADERS)]
    hxl_row = [written(tags[("five_w", canonical_of[h])]) for h in HEADERS]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(spanish)
    sheet.append(hxl_row)
    values = row()
    sheet.append([values[h] for h in HEADERS])
    book.save(path)
    result, rejects, _findings, log = ingest(reference_only)
    assert log["status"] == "recognised" and log["template_id"] == "5w_2021"
    assert log["rows_read"] == 1 and log["hxl_tags"]
    assert rejects.empty
    frame = staged(result)
    assert frame.loc[0, "source_row"] == 3
    assert frame.loc[0, "new_beneficiaries"] == 10 and frame.loc[0, "country_iso3"] == "COL"
