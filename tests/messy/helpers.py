"""Small generated 5W workbooks for the messy-input tests, 2021 template headers."""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path

import openpyxl
import xlsxwriter

from rmrp_pipeline.ingest import ingest_raw_folder
from tests.conftest import FIVE_W_2021, INDICATORS_2021

HEADERS = list(next(openpyxl.load_workbook(FIVE_W_2021, read_only=True).worksheets[0].iter_rows(values_only=True)))
PARTNER_FILE = "partner/5w.xlsx"
#: The part of an .xlsx holding its first sheet.
SHEET_PART = "xl/worksheets/sheet1.xml"


@lru_cache(maxsize=1)
def shelter_pin_indicator() -> str:
    """A Shelter indicator of type Pin in the real 2021 registry."""
    rows = list(openpyxl.load_workbook(INDICATORS_2021, read_only=True).worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    for r in rows[1:]:
        if r[header.index("Sector...Subsector...WG")] == "Shelter" and r[header.index("Indicator_Type")] == "Pin":
            return r[header.index("Indicator")]
    raise AssertionError("no Pin indicator for Shelter in the 2021 registry")


def row(**changes) -> dict:
    """A valid 2021 5W row (Colombia, Arauca, UNHCR, Shelter, 10 new of 12 persons)."""
    values = {
        "Appealing.Organization.Name": "United Nations High Commissioner for Refugees (UNHCR)",
        "Implementation.Set.up": "No", "Implementing.partner.Name": None, "Reporting.Month": "2021-03",
        "Sector...Subsector...WG": "Shelter", "Indicator": shelter_pin_indicator(), "Activity.name": "Shelter",
        "Activity.description": "x", "COVID.19.situation": "No", "RMRP.Activity": "Yes",
        "Support.Space.activity": "No", "CVA": "No", "Value.of.Transfer.in.USD": None, "Delivery.Mechanism": None,
        "Country": "Colombia", "Admin1": "Arauca", "Quantity.of.unit.measured": 0,
        "Total.monthly.beneficiaries": 12, "New.beneficiaries.of.the.month": 10,
        "Refugees.and.Migrants.IN.DESTINATION": 10, "Refugees.and.Migrants.IN.TRANSIT": 0,
        "Host.Communities.Beneficiaries": 0, "Refugees.and.Migrants.PENDULARS": 0, "Colombian.Returnees": 0,
        "Women.under.18": 2, "Men.under.18": 2, "Women.above.18": 3, "Men.above.18": 3,
    }
    values.update(changes)
    return values


def column_of(header: str) -> str:
    """Excel column letter of a 2021 header."""
    return openpyxl.utils.get_column_letter(HEADERS.index(header) + 1)


def write_rows(path: Path, rows: list[dict], headers: list[str] | None = None) -> Path:
    """Write a header and rows with openpyxl (cells typed as given)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    headers = headers or HEADERS
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h) for h in HEADERS])
    book.save(path)
    return path


def ingest(raw_dir: Path):
    """(result, rejects, findings, source_files row) for PARTNER_FILE."""
    result = ingest_raw_folder(raw_dir)
    pick = lambda f: f[f["source_file"] == PARTNER_FILE].reset_index(drop=True)  # noqa: E731
    files = result.tables["raw.source_files"]
    return (
        result,
        pick(result.tables["meta.rejected_rows"]),
        pick(result.tables["meta.quality_findings"]),
        files[files["source_file"] == PARTNER_FILE].iloc[0] if (files["source_file"] == PARTNER_FILE).any() else None,
    )


def staged(result) -> "pd.DataFrame":  # noqa: F821
    frame = result.tables["staging.stg_5w__activities"]
    return frame[frame["source_file"] == PARTNER_FILE].reset_index(drop=True)


def small_workbook() -> bytes:
    """An .xlsx (XlsxWriter) whose Sheet1 holds a header and one row."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["Country", "Admin1"])
    sheet.write_row(1, 0, ["Peru", "Lima"])
    book.close()
    return buffer.getvalue()


def with_sheet(path: Path, write_sheet) -> Path:
    """The small workbook with its Sheet1 part replaced by what ``write_sheet(stream)`` writes."""
    source = zipfile.ZipFile(io.BytesIO(small_workbook()))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != SHEET_PART:
                target.writestr(info, source.read(info))
        with target.open(SHEET_PART, "w") as stream:
            write_sheet(stream)
    return path
