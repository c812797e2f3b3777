"""Personal data typed into free text: masked before it is staged, one finding per cell that names
the column and the kinds found, never the data (docs/data-protection.md). The people, numbers and
addresses are invented."""

from __future__ import annotations

import openpyxl

from rmrp_pipeline.ingest import ingest_raw_folder
from tests.conftest import RAW_DIR
from tests.messy.helpers import PARTNER_FILE, ingest, row, staged, write_rows
from tests.sources.catalogue import breaks

EMAIL = "maria.inventada@correo-falso.org"
ID = "1000000001"
PHONE = "+57 300 123 4567"
SECRETS = (EMAIL, ID, "300 123 4567", "María Inventada")


def _no_secret_in(frame) -> None:
    for column in frame.columns:
        for value in frame[column].dropna().astype(str):
            assert not any(secret in value for secret in SECRETS), (column, value)


@breaks("five_w", "personal_data_in_free_text")
def test_personal_data_in_5w_free_text_is_masked_and_reported_by_cell(reference_only):
    description = f"Entrega a la Sra. María Inventada, C.C. {ID}, correo {EMAIL}, tel. {PHONE}"
    rows = [
        row(),                                                               # 2: nothing personal
        row(**{"Activity.description": description}),                        # 3
        row(**{"Activity.name": f"Contacto {EMAIL}"}),                        # 4
        row(**{"Activity.description": description, "Reporting.Month": "2021-04"}),   # 5: same text again
    ]
    write_rows(reference_only / PARTNER_FILE, rows)
    result, rejects, findings, _log = ingest(reference_only)
    frame = staged(result)
    assert frame["activity_description"].tolist()[1] == (
        "Entrega a la Sra. [name], C.C. [ID number], correo [e-mail], tel. [phone]")
    assert frame["activity_name"].tolist()[2] == "Contacto [e-mail]"
    mine = findings[findings["rule"] == "personal_data_in_free_text"]
    assert sorted(mine[["row_number", "column", "value"]].values.tolist()) == [
        [3, "Activity.description", "e-mail, ID number, phone, name"],
        [4, "Activity.name", "e-mail"],
        [5, "Activity.description", "e-mail, ID number, phone, name"],
    ]
    assert mine.loc[mine["row_number"] == 4, "message"].item() == (
        "Row 4: column Activity.name holds personal data (e-mail). It was masked before loading and is kept only "
        "in your file: delete it from the cell. Describe the activity, never a person.")
    assert not frame["is_rejected"].any()
    for table in (frame, findings, rejects, result.tables["raw.source_files"]):
        _no_secret_in(table)


def test_each_distinct_text_and_country_is_screened_once(reference_only, monkeypatch):
    from rmrp_pipeline.text import personal_data

    screened = []
    real = personal_data.screen_text
    monkeypatch.setattr(personal_data, "screen_text", lambda text, regions: screened.append((text, regions)) or real(text, regions))
    rows = [row(**{"Activity.description": "llamar al 987 654 321"}) for _ in range(50)]
    rows += [row(Country="Peru", Admin1="Lima", **{"Activity.description": "llamar al 987 654 321"}) for _ in range(50)]
    write_rows(reference_only / PARTNER_FILE, rows)
    result, _rejects, findings, _log = ingest(reference_only)
    assert sorted(t for t, _r in screened if t.startswith("llamar")) == ["llamar al 987 654 321"] * 2
    # a Peruvian mobile number is a phone in a Peru row, not in a Colombia row
    frame = staged(result)
    assert set(frame.loc[frame["country_iso3"] == "PER", "activity_description"]) == {"llamar al [phone]"}
    assert set(frame.loc[frame["country_iso3"] == "COL", "activity_description"]) == {"llamar al 987 654 321"}
    assert (findings["rule"] == "personal_data_in_free_text").sum() == 50


def test_repaired_accents_in_free_text_are_reported_without_quoting_the_text(reference_only):
    write_rows(reference_only / PARTNER_FILE, [row(**{"Activity.description": "OrientaciÃ³n a la Sra. MarÃ­a Inventada"})])
    result, _rejects, findings, _log = ingest(reference_only)
    assert staged(result)["activity_description"].tolist() == ["Orientación a la Sra. [name]"]
    repaired = findings[findings["rule"] == "mojibake_repaired"]
    assert repaired["value"].isna().all() and repaired["message"].tolist() == [
        "Row 2: the text in column Activity.description had broken accents (a file saved in one encoding and read "
        "in another); it was repaired. Please save the file as UTF-8."]
    assert not findings.astype(str).apply(lambda column: column.str.contains("Inventada")).any().any()


@breaks("submissions", "personal_data_in_free_text")
def test_personal_data_in_submission_free_text_is_masked_and_reported(reference_only):
    from tests.sources.test_submissions import DESCRIPTION, FILLED, NAME, SHEET, _activity, _header

    (reference_only / "planning").mkdir()
    (reference_only / FILLED).write_bytes((RAW_DIR / FILLED).read_bytes())
    header = _header()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(header)
    for values in (_activity(), _activity(**{DESCRIPTION: f"Focal point {EMAIL}, WhatsApp {PHONE}"}),
                   _activity(**{NAME: f"Apoyo a la señora María Inventada (DNI {ID})"})):
        sheet.append([values.get(h) for h in header])
    book.save(reference_only / "submission.xlsx")
    result = ingest_raw_folder(reference_only)
    rows = result.tables["staging.stg_planning__submissions"]
    rows = rows[rows["source_file"] == "submission.xlsx"]
    assert rows["activity_description"].tolist()[1] == "Focal point [e-mail], WhatsApp [phone]"
    assert rows["activity_name"].tolist()[2] == "Apoyo a la señora [name] (DNI [ID number])"
    findings = result.tables["meta.quality_findings"]
    findings = findings[(findings["source_file"] == "submission.xlsx") & (findings["rule"] == "personal_data_in_free_text")]
    assert findings[["row_number", "column", "value"]].values.tolist() == [
        [3, DESCRIPTION, "e-mail, phone"], [4, NAME, "ID number, name"]]
    for table in ("staging.stg_planning__submissions", "meta.quality_findings", "meta.rejected_rows"):
        _no_secret_in(result.tables[table])
