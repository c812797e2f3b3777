"""The RMRP 2023-2024 activity submissions, their quality rules and QA workbooks.

The expected issues of the filled example were worked out by reading the workbook cell by cell
(``data/raw/planning/rmrp2023-2024_submission_filled_example.xlsx``, sheet `` Activity Sheet``, a
Spanish-language submission by 'Nueva organización' for Argentina / Chaco): they are the example's
deliberate mistakes, written down row by row below, not the output of the code.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from rmrp_pipeline.reports.qa_submissions import write_submission_qa_workbooks
from rmrp_pipeline.sources.planning.submissions import meaningless, target_above_pin
from tests.conftest import RAW_DIR
from tests.sources.catalogue import breaks

FILLED = "planning/rmrp2023-2024_submission_filled_example.xlsx"
TEMPLATE = "planning/rmrp2023-2024_submission_template_en.xlsx"
SHEET = " Activity Sheet"
NAME, DESCRIPTION = "Activity name", "Activity description"
AGD = ["Girls (<18)", "Boys (<18)", "Women (>=18)", "Men (>=18)"]
TOTAL, OUTPUT = "Total Target (Beneficiaries)", "Total output"
INKIND, CVA, BUDGET = "In kind & all programming costs (USD)", "Modality CVA (Value of Transfers in USD)", "Total Budget requirement:(In kind + CVA)"


def _every_row(row: int, name: bool = True, description: bool = True) -> set:
    """What every row of the filled example shares: the organisation is the template's placeholder
    'Nueva organización', and the activity name and description are 'qq'."""
    issues = {(row, "organisation_new", "Organization name")}
    if name:
        issues.add((row, "activity_text_not_meaningful", NAME))
    if description:
        issues.add((row, "activity_text_not_meaningful", DESCRIPTION))
    return issues


FILLED_EXPECTED = set().union(
    _every_row(2),  # MPC, Direct Assistance: 40 + 40 = 80; 23+23+25+25+25 = 12+12+17+80 = 121 = total: correct
    _every_row(3), {(3, "output_missing", OUTPUT)}, {(3, "breakdown_missing", c) for c in AGD},  # Capacitaciones: no AGD, no output
    _every_row(4), _every_row(5), _every_row(6),  # Infraestructura, Mecanismo/Abogacía, Otro with an output of 4: correct
    {(7, "formula_without_value", "Indicator Type")},  # the type is a formula never calculated: unknown, row rejected
    _every_row(8), {(8, "total_target_missing", TOTAL)},  # Campaña with an output but no total target
    _every_row(9), {(9, "total_target_missing", TOTAL), (9, "target_population_types_mismatch", TOTAL),
                    (9, "target_age_gender_mismatch", TOTAL)},  # Direct Assistance with a total target of 0 (parts: 121)
    _every_row(10), {(10, "budget_not_positive", INKIND), (10, "mpc_without_cva", CVA),
                     (10, "target_age_gender_mismatch", TOTAL)},  # budget 0 + 0; 12 + 12 + 9 + 80 = 113, not 121
    _every_row(11, name=False), {(11, "submission_required_missing", NAME), (11, "output_missing", OUTPUT)},
    _every_row(12, description=False), {(12, "submission_required_missing", DESCRIPTION), (12, "output_missing", OUTPUT)},
    _every_row(13), {(13, "output_missing", OUTPUT)},
    _every_row(14), {(14, "sector_indicator_not_in_registry", "Indicator"),  # a coordination indicator under Protección (VBG)
                     (14, "budget_total_mismatch", BUDGET), (14, "budget_not_positive", INKIND),  # 0 + 0 written as 30
                     (14, "output_missing", OUTPUT)},
    _every_row(15), {(15, "budget_not_positive", INKIND), (15, "total_target_missing", TOTAL), (15, "output_missing", OUTPUT)},
    _every_row(16), {(16, "budget_total_mismatch", BUDGET), (16, "total_target_missing", TOTAL),  # 40 + 40 written as 33
                     (16, "output_missing", OUTPUT)}, {(16, "breakdown_missing", c) for c in AGD},
)


def _issues(wh, source_file: str) -> set:
    return set(wh.execute(
        "SELECT row_number, rule, \"column\" FROM meta.rejected_rows WHERE source_file = ? "
        "UNION ALL SELECT row_number, rule, \"column\" FROM meta.quality_findings WHERE source_file = ?",
        [source_file, source_file]).fetchall())


def _sheet_rows(source_file: str) -> list[tuple]:
    book = openpyxl.load_workbook(RAW_DIR / source_file, read_only=True, data_only=True)
    rows = [r for r in book[SHEET].iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in r)]
    book.close()
    return rows


# -- the two bundled examples, end to end ---------------------------------------------------------------


@pytest.mark.parametrize("source_file", [FILLED, TEMPLATE])
def test_every_row_of_the_examples_is_loaded_or_rejected_with_a_rule(wh, source_file):
    read, loaded, rejected, status = wh.execute(
        "SELECT rows_read, rows_loaded, rows_rejected, status FROM meta.load_log WHERE source_file = ? AND sheet = ?",
        [source_file, SHEET]).fetchone()
    assert status == "recognised"
    assert read == len(_sheet_rows(source_file)) == loaded + rejected
    staged = wh.execute(
        "SELECT source_row, is_rejected FROM staging.stg_planning__submissions WHERE source_file = ?", [source_file]).fetchall()
    assert len(staged) == read
    with_reject = {r for (r,) in wh.execute(
        "SELECT DISTINCT row_number FROM meta.rejected_rows WHERE source_file = ? AND sheet = ? "
        "AND rule IS NOT NULL AND message LIKE 'Row %'", [source_file, SHEET]).fetchall()}
    assert {row for row, rejected_row in staged if rejected_row} == with_reject


@breaks("submissions",
        "formula_without_value", "organisation_new", "activity_text_not_meaningful", "output_missing",
        "breakdown_missing", "total_target_missing", "target_population_types_mismatch",
        "target_age_gender_mismatch", "budget_not_positive", "mpc_without_cva", "submission_required_missing",
        "sector_indicator_not_in_registry", "budget_total_mismatch")
def test_the_deliberate_mistakes_of_the_filled_example_are_reported_with_their_rows(wh):
    assert _issues(wh, FILLED) == FILLED_EXPECTED
    values = dict(((r, rule), v) for r, rule, v in wh.execute(
        "SELECT row_number, rule, value FROM meta.quality_findings WHERE source_file = ?", [FILLED]).fetchall())
    assert values[(14, "budget_total_mismatch")] == "30" and values[(16, "budget_total_mismatch")] == "33"
    assert values[(10, "target_age_gender_mismatch")] == "113"
    assert values[(2, "activity_text_not_meaningful")] is None  # the partner's text is never copied
    message = wh.execute(
        "SELECT message FROM meta.rejected_rows WHERE source_file = ? AND row_number = 7", [FILLED]).fetchone()[0]
    assert message.startswith("Row 7: column Indicator Type holds a formula")


@breaks("submissions", "not_an_activity_row")
def test_the_blank_template_reports_its_instruction_row_and_its_examples(wh):
    rejects = wh.execute("SELECT row_number, rule, \"column\" FROM meta.rejected_rows WHERE source_file = ?", [TEMPLATE]).fetchall()
    assert rejects == [(2, "not_an_activity_row", "Year")]  # 'Select Year from dropdown list'
    issues = _issues(wh, TEMPLATE)
    # same mistakes as the filled example, in English, one row further down (the instruction row)
    assert {(3, "organisation_new", "Organization name"), (11, "mpc_without_cva", CVA), (14, "budget_total_mismatch", BUDGET),
            (15, "sector_indicator_not_in_registry", "Indicator"), (15, "submission_required_missing", DESCRIPTION)} <= issues
    assert all("blablabla" not in v for (v,) in wh.execute(
        "SELECT coalesce(value, '') || message FROM meta.quality_findings WHERE source_file = ?", [TEMPLATE]).fetchall())


def test_spanish_values_resolve_to_the_registry(wh):
    rows = wh.execute(
        "SELECT source_row, sector, indicator_code, indicator_type, language, organisation_id, platform, country_iso3 "
        "FROM staging.stg_planning__submissions WHERE source_file = ? AND source_row IN (2, 3, 6) ORDER BY 1", [FILLED]).fetchall()
    assert rows == [
        (2, "Multipurpose Cash Assistance (MPC)", "RE-MC1", "Direct Assistance", "es", None, "Southern Cone", "ARG"),
        (3, "Shelter", "RE-SH3", "Capacity Building", "es", None, "Southern Cone", "ARG"),
        (6, "Common Services (Coordination)", "RE-CSC01", "Other", "es", None, "Southern Cone", "ARG"),
    ]


def test_submissions_land_in_the_fact_table_as_requirements_and_direct_assistance_targets(wh):
    book = openpyxl.load_workbook(RAW_DIR / FILLED, read_only=True, data_only=True)
    header = [h.strip() if isinstance(h, str) else h for h in next(book[SHEET].iter_rows(max_row=1, values_only=True))]
    rows = list(book[SHEET].iter_rows(min_row=2, values_only=True))
    budget, kind, total = header.index(BUDGET), header.index("Indicator Type"), header.index(TOTAL)
    loaded = [r for n, r in enumerate(rows, start=2) if n != 7]  # row 7 is rejected
    expected_requirements = sum(r[budget] or 0 for r in loaded)
    expected_targets = sum(r[total] or 0 for r in loaded if r[kind] == "Asistencia directa")
    got = dict(wh.execute(
        "SELECT measure, sum(value) FROM marts.fct_planning_figures WHERE source_kind = 'submission' AND source_file = ? "
        "AND population_type = 'all' AND age_gender = 'all' GROUP BY measure", [FILLED]).fetchall())
    assert got["requirements_usd"] == expected_requirements == 80 * 10 + 30 + 33  # ten rows of 80, 0, 0, 30, 33
    assert got["people_targeted"] == expected_targets == 121 + 0 + 121
    assert got["requirements_inkind_usd"] + got["requirements_cva_usd"] == 80 * 11  # 40 + 40 on 11 loaded rows, 0 + 0 on 3
    level = set(wh.execute("SELECT DISTINCT level, admin1, platform FROM marts.fct_planning_figures WHERE source_file = ?",
                           [FILLED]).fetchall())
    assert level == {("admin1", "Chaco", "Southern Cone")}


def test_key_figures_hold_the_submissions_beside_the_published_figures(wh):
    rows = {(p, s): (req, partners, activities) for p, s, req, partners, activities in wh.execute(
        "SELECT platform, sector, requirements_usd_submitted, partners_submitted, activities_submitted "
        "FROM marts.sector_key_figures WHERE plan_year = 2023 AND requirements_usd_submitted IS NOT NULL").fetchall()}
    # 2023 rows of the filled example (Southern Cone) and of the template (Aruba, Caribbean): MPC rows 2 and 9 / 3 and 10
    assert rows[("Southern Cone", "Multipurpose Cash Assistance (MPC)")] == (160, 1, 2)
    assert rows[("Caribbean", "Multipurpose Cash Assistance (MPC)")] == (160, 1, 2)
    # requirements add up across platforms and sectors; partners are distinct organisations
    assert rows[("Regional", "Multipurpose Cash Assistance (MPC)")] == (320, 2, 4)
    intersector = rows[("Regional", "Intersector")]
    assert intersector[0] == sum(v[0] for (p, s), v in rows.items() if p == "Regional" and s != "Intersector")
    assert intersector[1] == 2


# -- rules as plain functions ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["qq", "QQ", "xxx", "blablabla", "abab", "test", "n/a", "Prueba", "a", "..", "12"])
def test_placeholders_are_not_meaningful(text):
    assert meaningless(text)


@pytest.mark.parametrize("text", ["Food kits", "Cash", "Asistencia legal a víctimas de trata", "Shelter", None, ""])
def test_real_activity_texts_are_meaningful_or_missing(text):
    assert not meaningless(text)


@breaks("submissions", "target_above_pin")
def test_targets_above_the_pin_are_findings_on_every_contributing_row(wh):
    rows = wh.execute("SELECT * FROM staging.stg_planning__submissions WHERE source_file = ?", [FILLED]).df()
    # a PiN of 40 people in destination for Argentina's MPC in 2023: rows 2 and 9 target 23 each (46)
    pin = pd.DataFrame({"plan_year": [2023, 2023], "country_iso3": ["ARG", "ARG"],
                        "sector": ["Multipurpose Cash Assistance (MPC)"] * 2,
                        "population_type": ["in_destination", "in_transit"], "value": [40.0, 1000.0]})
    issues = target_above_pin(rows, pin)
    assert set(zip(issues["row_number"], issues["rule"], issues["column"])) == {
        (2, "target_above_pin", "Target: Refugees and migrants from Venezuela in destination"),
        (9, "target_above_pin", "Target: Refugees and migrants from Venezuela in destination"),
    }
    assert set(issues["value"]) == {"46 (PiN 40)"} and set(issues["severity"]) == {"finding"}
    # no PiN for the year: nothing is checked (the warehouse holds the 2022 PiN only)
    assert target_above_pin(rows, pin.assign(plan_year=2022)).empty
    assert wh.execute("SELECT count(*) FROM meta.quality_findings WHERE rule = 'target_above_pin'").fetchone()[0] == 0


def test_one_qa_workbook_per_organisation_in_its_language(wh, tmp_path):
    rows = wh.execute("SELECT * FROM staging.stg_planning__submissions").df()
    issues = wh.execute(
        "SELECT *, 'reject' AS severity FROM meta.rejected_rows WHERE produced_by = 'stg_planning__submissions' "
        "UNION ALL BY NAME SELECT *, 'finding' AS severity FROM meta.quality_findings "
        "WHERE produced_by = 'stg_planning__submissions'").df()
    written = write_submission_qa_workbooks(rows, issues, tmp_path, pin_years={2022})
    assert set(zip(written["organisation"], written["language"], written["rows_read"], written["rows_rejected"])) == {
        ("Nueva organización", "es", 15, 1), ("New organization", "en", 16, 1)}
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(written["workbook"])
    spanish = openpyxl.load_workbook(tmp_path / written.set_index("language").loc["es", "workbook"], read_only=True)
    assert spanish.sheetnames == ["Summary", "Rules", "Issues", "Activities"]
    lines = list(spanish["Issues"].iter_rows(values_only=True))
    assert lines[0][:3] == ("archivo", "hoja", "fila")
    listed = {(line[2], line[4], line[3]) for line in lines[1:]}
    assert listed == FILLED_EXPECTED  # every issue of the file, with its row and column
    assert all(line[7].startswith(f"Fila {line[2]}:") for line in lines[1:])  # messages in Spanish
    summary = dict(list(spanish["Summary"].iter_rows(values_only=True))[1:])
    assert summary["filas leídas"] == "15" and "no verificadas" in summary["metas vs personas con necesidades"]
    # free text (the activity names and descriptions of the partner) is never copied
    english = openpyxl.load_workbook(tmp_path / written.set_index("language").loc["en", "workbook"], read_only=True)
    cells = [v for ws in english for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert not any("blablabla" in v for v in cells)


# -- every other submission rule, each on a row of its own ------------------------------------------------

MPC_2324 = {"Sector-Subsector-WG": "Multipurpose Cash Assistance (MPC)",
            "Indicator": "# of individuals benefitting from multipurpose cash transfers (MPC)", "Indicator Type": "Direct Assistance"}
SCHOOL_2324 = {"Sector-Subsector-WG": "Shelter", "Indicator Type": "Infrastructure",
               "Indicator": "# of interventions in settlement infrastructures undertaken through supported construction"}


def _activity(**cells) -> dict:
    """A correct 2023 Direct Assistance MPC activity of ACAPS in Argentina / Chaco: 40 + 40 USD,
    121 people (23 + 23 + 25 + 25 + 25 by population type, 12 + 12 + 17 + 80 by age and gender)."""
    values = {"Year": 2023, "Country": "Argentina", "Admin1": "Chaco", "Organization name": "ACAPS", **MPC_2324,
              NAME: "Monthly cash transfers", DESCRIPTION: "Cash for families in transit",
              INKIND: 40, CVA: 40, BUDGET: 80, TOTAL: 121, OUTPUT: None}
    population = [h for h in _header() if h.startswith("Target: ")]
    values.update(zip(population, (23, 23, 25, 25, 25)))
    values.update(zip(AGD, (12, 12, 17, 80)))
    values.update(cells)
    return values


def _header() -> list[str]:
    book = openpyxl.load_workbook(RAW_DIR / TEMPLATE, read_only=True)
    header = [" ".join(str(h).split()) if h is not None else None for h in next(book[SHEET].iter_rows(max_row=1, values_only=True))]
    book.close()
    return header


@breaks("submissions", "number_unreadable", "number_ambiguous", "cell_error", "count_negative", "count_not_whole",
        "count_implausible", "amount_negative", "sector_unknown", "year_unreadable", "country_not_in_list",
        "year_outside_plan", "admin1_not_in_list", "organisation_not_in_list", "indicator_type_mismatch",
        "value_not_expected_for_indicator_type")
def test_the_other_submission_rules_each_on_a_row_of_its_own(reference_only):
    """The lists (registry, partners, admin1) are those of the filled example, copied beside the
    generated submission."""
    from rmrp_pipeline.ingest import ingest_raw_folder

    (reference_only / "planning").mkdir()
    (reference_only / FILLED).write_bytes((RAW_DIR / FILLED).read_bytes())
    destination = "Target: Refugees and migrants from Venezuela in destination"
    rows = [
        _activity(),                                                            # 2: fine
        _activity(**{AGD[0]: "doce"}),                                          # 3
        _activity(**{INKIND: "1.000"}),                                         # 4: one thousand or one?
        _activity(**{OUTPUT: "#DIV/0!"}),                                       # 5: an error cell
        _activity(**{destination: -23}),                                        # 6
        _activity(**{AGD[1]: 12.5}),                                            # 7
        _activity(**{TOTAL: 10**9}),                                            # 8
        _activity(**{CVA: -40}),                                                # 9
        _activity(**{"Sector-Subsector-WG": "Cash and Shelter"}),               # 10
        _activity(Year="next year"),                                            # 11
        _activity(Country="Narnia"),                                            # 12
        _activity(Year=2030),                                                   # 13
        _activity(Admin1="Atlantis"),                                           # 14
        _activity(**{"Organization name": "Organización Inventada"}),           # 15
        _activity(**{"Indicator Type": "Campaign"}),                            # 16: the registry says Direct Assistance
        _activity(**SCHOOL_2324, **{OUTPUT: 4}),                                # 17: targets where the type has none
    ]
    header = _header()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(h) for h in header])
    book.save(reference_only / "submission.xlsx")
    result = ingest_raw_folder(reference_only)
    issues = set()
    for table, kind in (("meta.rejected_rows", "reject"), ("meta.quality_findings", "finding")):
        frame = result.tables[table]
        frame = frame[frame["source_file"] == "submission.xlsx"]
        issues |= {(r.row_number, r.rule, r.column, kind) for r in frame.itertuples()}
    expected = {
        (3, "number_unreadable", AGD[0], "reject"),
        (4, "number_ambiguous", INKIND, "reject"),
        (5, "cell_error", OUTPUT, "reject"),
        (6, "count_negative", destination, "reject"),
        (7, "count_not_whole", AGD[1], "reject"),
        (8, "count_implausible", TOTAL, "reject"),
        (9, "amount_negative", CVA, "reject"),
        (10, "sector_unknown", "Sector-Subsector-WG", "reject"),
        (11, "year_unreadable", "Year", "reject"),
        (12, "country_not_in_list", "Country", "reject"),
        (13, "year_outside_plan", "Year", "finding"),
        (14, "admin1_not_in_list", "Admin1", "finding"),
        (15, "organisation_not_in_list", "Organization name", "finding"),
        (16, "indicator_type_mismatch", "Indicator Type", "finding"),
    }
    expected |= {(17, "value_not_expected_for_indicator_type", h, "finding")
                 for h in header if h and (h.startswith("Target: ") or h in (*AGD, TOTAL))}
    assert issues == expected
