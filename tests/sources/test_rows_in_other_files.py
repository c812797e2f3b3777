"""A 5W row the same as a row of another file (a report saved again with an edit, or copied into
another folder): both are loaded, so each copy carries the finding ``row_in_another_file``
naming the other; rows alike within one file, an edited row, a version that supersedes and a
rejected row are left alone. The same findings whether the files are read or come from the
ingest's cache."""

from __future__ import annotations

import pandas as pd

from rmrp_pipeline.ingest import ingest_raw_folder
from tests.messy.helpers import row, write_rows
from tests.sources.catalogue import breaks

RULE = "row_in_another_file"


def _copied(result) -> set[tuple[str, int, str, str]]:
    findings = result.tables["meta.quality_findings"]
    if not isinstance(findings, pd.DataFrame):
        findings = findings.to_pandas()
    return {(r.source_file, r.row_number, r.column, r.value) for r in findings.itertuples() if r.rule == RULE}


@breaks("five_w", "row_in_another_file")
def test_the_rows_of_a_report_saved_again_in_another_folder_are_named_in_both(reference_only, tmp_path):
    first = [row(**{"Admin1": "Arauca"}), row(**{"Admin1": "Arauca"}),        # rows 2, 3: alike within the file
             row(**{"Admin1": "Vichada"}), row(**{"Admin1": "Guainía"})]      # rows 4, 5
    again = [row(**{"Admin1": "Vichada"}),                                    # row 2: row 4 of the first
             row(**{"Admin1": "Guainía", "New.beneficiaries.of.the.month": 9,  # row 3: edited
                    "Refugees.and.Migrants.IN.DESTINATION": 9, "Men.above.18": 2})]
    write_rows(reference_only / "inbox" / "report.xlsx", first)
    write_rows(reference_only / "colombia" / "report.xlsx", again)
    expected = {("colombia/report.xlsx", 2, "New.beneficiaries.of.the.month", "inbox/report.xlsx, 4"),
                ("inbox/report.xlsx", 4, "New.beneficiaries.of.the.month", "colombia/report.xlsx, 2")}
    assert _copied(ingest_raw_folder(reference_only)) == expected
    cache = tmp_path / "cache"
    ingest_raw_folder(reference_only, cache_dir=cache)
    assert _copied(ingest_raw_folder(reference_only, cache_dir=cache)) == expected   # both from the cache


def test_a_version_that_supersedes_and_a_rejected_row_are_not_copies(reference_only):
    changed = {"Admin1": "Vichada", "New.beneficiaries.of.the.month": 9, "Refugees.and.Migrants.IN.DESTINATION": 9,
               "Men.above.18": 2}
    write_rows(reference_only / "partner" / "report.xlsx", [row(), row(**{"Admin1": "Vichada"})])
    write_rows(reference_only / "partner" / "report_v2.xlsx", [row(), row(**changed)])   # supersedes report.xlsx
    atlantis = {"Admin1": "Vichada", "Country": "Atlantis"}                               # rejected: no R4V country
    write_rows(reference_only / "other" / "sheet.xlsx", [row(**atlantis)])
    write_rows(reference_only / "other" / "again.xlsx", [row(**atlantis), row(**{**atlantis, "Admin1": "Guainía"})])
    result = ingest_raw_folder(reference_only)
    assert _copied(result) == set()
    staged = result.tables["staging.stg_5w__activities"]
    assert "partner/report.xlsx" not in set(staged["source_file"]) and "partner/report_v2.xlsx" in set(staged["source_file"])
    rejected = result.tables["meta.rejected_rows"]
    rejected = rejected if isinstance(rejected, pd.DataFrame) else rejected.to_pandas()
    assert {"other/sheet.xlsx", "other/again.xlsx"} <= set(rejected["source_file"])


def test_the_findings_do_not_depend_on_the_order_of_the_rows():
    """The same rows in another order (the files read in this run before those from the cache)
    give the same findings: each copy names the first copy of the files in their sorted order."""
    import pyarrow as pa

    from rmrp_pipeline.sources.five_w.history import rows_in_other_files

    def rows(files: list[str]) -> pa.Table:
        return pa.table({"source_file": files, "source_sheet": ["S"] * len(files), "source_row": [2] * len(files),
                         "template_id": ["t"] * len(files), "is_rejected": [False] * len(files),
                         **{c: ["x"] * len(files) for c in ("appealing_org", "month", "country_raw", "admin1",
                                                            "indicator", "total_monthly", "new_beneficiaries")}})

    one = rows_in_other_files(rows(["c.xlsx", "a.xlsx", "b.xlsx"]), {})
    other = rows_in_other_files(rows(["b.xlsx", "c.xlsx", "a.xlsx"]), {})
    assert list(zip(one["source_file"], one["value"])) == list(zip(other["source_file"], other["value"])) == [
        ("a.xlsx", "b.xlsx, 2"), ("b.xlsx", "a.xlsx, 2"), ("c.xlsx", "a.xlsx, 2")]


def test_no_row_or_one_loaded_row_names_nothing():
    import pyarrow as pa

    from rmrp_pipeline.sources.five_w.history import rows_in_other_files

    columns = ("appealing_org", "month", "country_raw", "admin1", "indicator", "total_monthly", "new_beneficiaries")
    for rejected in ([True, True], [False, True]):
        table = pa.table({"source_file": ["a.xlsx", "b.xlsx"], "source_sheet": ["S", "S"], "source_row": [2, 2],
                          "template_id": ["t", "t"], "is_rejected": rejected, **{c: ["x", "x"] for c in columns}})
        assert rows_in_other_files(table, {}).empty
