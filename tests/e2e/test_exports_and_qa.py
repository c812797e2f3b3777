"""Exports are safe to open (formula injection), and the QA workbook points at the right rows."""

from __future__ import annotations

import random
import re

import openpyxl
import pandas as pd

from rmrp_pipeline.reports.qa_5w import qa_frames


def test_the_qa_workbook_points_at_the_right_rows_of_the_2021_export(wh, export_2021_rows, qa_2021_h1):
    sheets = qa_frames(wh, "2021-H1")
    summary = sheets["Summary"]
    findings_in_table = wh.execute(
        "SELECT count(*) FROM meta.quality_findings WHERE produced_by = 'stg_5w__activities' "
        "AND source_file LIKE '%rmrp2021_5w_activities_jan-may.xlsx'").fetchone()[0]   # the only 2021-H1 file
    assert summary["findings"].sum() == findings_in_table          # every finding of the export is listed
    source = export_2021_rows
    header = source[0]
    org, new = header.index("Appealing.Organization.Name"), header.index("New.beneficiaries.of.the.month")
    rng = random.Random(2021)
    for organisation, frame in sheets.items():
        if organisation == "Summary":
            continue
        for record in frame.sample(min(3, len(frame)), random_state=rng.randint(0, 10**6)).itertuples():
            excel_row = source[record.row - 1]                    # Excel row n is list index n - 1
            assert excel_row[org] == organisation
            assert (excel_row[new] or 0) == record.new_beneficiaries
    # the workbook of the session's `rmrp qa --cycle 2021-H1` (write_qa_workbook), with the count it printed
    path, printed = qa_2021_h1
    organisations = int(re.search(r"\(([\d,]+) appealing organisations with rejects or findings\)", printed)[1].replace(",", ""))
    book = openpyxl.load_workbook(path, read_only=True)
    assert len(book.sheetnames) == organisations + 1 and book.sheetnames[0] == "Summary"


def test_the_qa_workbook_never_copies_free_text(wh):
    sheets = qa_frames(wh, "2021-H1")
    everything = pd.concat([f for n, f in sheets.items() if n != "Summary"])
    free = everything[everything["column"].isin(["Activity.name", "Activity.description"])]
    assert (free["value"].isin([None, "(free text: see the cell in your file)"]) | free["value"].isna()).all()
    assert "activity_description" not in everything.columns and "activity_name" not in everything.columns


def test_rmrp_qa_writes_the_cycle_workbook(built_warehouse, qa_2021_h1):
    from rmrp_pipeline.cli import main

    target, printed = qa_2021_h1   # `rmrp qa --cycle 2021-H1 --output <folder>/rmrp_5w_qa_2021-H1.xlsx`
    assert "appealing organisations" in printed
    assert openpyxl.load_workbook(target, read_only=True).sheetnames[0] == "Summary"
    assert main(["qa", "--cycle", "2021-Q3", "--warehouse", str(built_warehouse[0])]) == 2


def test_a_cycle_the_warehouse_did_not_build_is_said_by_every_report_of_it(built_warehouse, tmp_path, capsys):
    """The bundled 2023 data are a January report: 2023-H1 is built, 2023-H2 (January-December) is
    not. Its QA workbook and its exports hold January's rows, and each command says so in the same
    words, naming the cycles the warehouse has."""
    from rmrp_pipeline.cli import main

    warehouse = str(built_warehouse[0])
    said = ("2023-H2 is not a reporting cycle of this warehouse (its data: 2023-01 to 2023-01 (1 of 12 months "
            "with data); its cycles: 2021-H1, 2022-H2, 2023-H1)")
    assert main(["qa", "--cycle", "2023-H2", "--warehouse", warehouse, "--output", str(tmp_path / "qa.xlsx")]) == 0
    assert capsys.readouterr().err.strip() == f"rmrp qa: {said}; the workbooks hold the rows of the months there are"
    for what in (["marts.people_reached_monthly"], ["people-reached"]):
        assert main(["export", *what, "--cycle", "2023-H2", "--warehouse", warehouse,
                     "--output", str(tmp_path / "x.csv")]) == 0
        assert capsys.readouterr().err.strip() == f"rmrp export: {said}; the export holds the months there are"
    assert main(["export", "marts.people_reached_monthly", "--cycle", "2023-H1", "--warehouse", warehouse,
                 "--output", str(tmp_path / "x.csv")]) == 0
    assert capsys.readouterr().err == ""


def test_the_counts_of_the_2022_qa_workbooks_are_numbers(small_build, tmp_path):
    """The August 2022 Southern Cone report types its counts as numbers (Total_monthly 235 on its
    first row); its QA workbook gives them as numbers Excel sums, though the column has empty cells
    (a nullable integer column), as the 2021 workbooks do. (The organisations' workbooks are
    written by the same writer from the same frames.)"""
    import duckdb

    from rmrp_pipeline.reports.qa_5w import write_qa_workbook

    with duckdb.connect(str(small_build / "clean" / "rmrp.duckdb"), read_only=True) as con:
        book, _organisations = write_qa_workbook(con, "2022-H2", tmp_path / "qa.xlsx")
    sheets = openpyxl.load_workbook(book).worksheets[1:]
    assert sheets
    for sheet in sheets:
        header = [c.value for c in sheet[1]]
        for name in ("total_monthly", "new_beneficiaries"):
            values = [row[header.index(name)] for row in sheet.iter_rows(min_row=2, values_only=True)]
            assert values and all(v is None or isinstance(v, (int, float)) for v in values), (sheet.title, name)
            assert any(isinstance(v, (int, float)) for v in values)
