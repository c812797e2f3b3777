"""rmrp qa writes, beside the cycle's QA workbook, one workbook per appealing organisation of the
2021 export (English template: English workbooks), each listing exactly that organisation's rows."""

from __future__ import annotations

import openpyxl

from rmrp_pipeline.reports.qa_5w import qa_frames


def test_rmrp_qa_writes_one_workbook_per_organisation_beside_the_cycle_workbook(qa_2021_h1, wh):
    target, out = qa_2021_h1   # `rmrp qa --cycle 2021-H1 --output <folder>/rmrp_5w_qa_2021-H1.xlsx`
    folder = target.parent / "qa_5w_2021-H1"
    sheets = qa_frames(wh, "2021-H1")
    organisations = [name for name in sheets if name != "Summary"]
    books = sorted(folder.glob("*.xlsx"))
    assert len(books) == len(organisations) > 50
    assert f"One workbook per organisation, to send: {folder}/ ({len(organisations):,}: {len(organisations):,} in en)" in out
    summary = sheets["Summary"].set_index("appealing_organisation")
    for path in books[:: max(1, len(books) // 8)]:          # a sample across the alphabet
        book = openpyxl.load_workbook(path, read_only=True)
        assert book.sheetnames == ["Summary", "Issues"]
        items = dict(list(book["Summary"].iter_rows(values_only=True))[1:])
        organisation = items["appealing organisation"]
        issues = list(book["Issues"].iter_rows(values_only=True))
        assert len(issues) - 1 == len(sheets[organisation])
        assert int(items["rows concerned"]) == summary.loc[organisation, "rows concerned"]
        assert int(items["findings (row loaded)"]) == summary.loc[organisation, "findings"]
