"""``rmrp explain people-reached``: a figure traced to the partner rows of the raw file."""

from __future__ import annotations

import openpyxl
import pytest

from rmrp_pipeline.cli import main
from rmrp_pipeline.reports.explain import ExplainError, explain_people_reached
from tests.conftest import INDICATORS_2021

TRAFFICKING = "Protection (Human Trafficking & Smuggling)"   # the 2021 export's name of the subsector


def test_peru_trafficking_2021_h1_traces_to_row_4128(built_warehouse, export_2021_rows, capsys):
    assert main(["explain", "people-reached", "--cycle", "2021-H1", "--country", "Peru", "--subsector", TRAFFICKING,
                 "--warehouse", str(built_warehouse[0])]) == 0
    out = capsys.readouterr().out
    header, source = export_2021_rows[0], export_2021_rows
    excel_row = source[4128 - 1]
    new = excel_row[header.index("New.beneficiaries.of.the.month")]
    figure_line, *rest = out.splitlines()
    assert figure_line.endswith(f": {new:,}") and "Peru" in figure_line
    partner_rows = out.split("Partner rows")[1].splitlines()[2:]
    first = partner_rows[0].split()
    # the largest row: the 2021 export, its Excel row 4128, the organisation and the value in the raw file
    assert first[0] == "monitoring_5w/rmrp2021_5w_activities_jan-may.xlsx" and first[2] == "4128"
    assert excel_row[header.index("Appealing.Organization.Name")] in partner_rows[0]
    assert f"{new:,}" in partner_rows[0] and "outlier_organisation_history" in partner_rows[0]
    assert "the rows add up to" in out and "= the figure" in out
    assert "model:" in out and "months: 2021-01 to 2021-05" in out and "indicator types counted: Pin" in out
    for column in ("Activity.name", "Activity.description"):   # free text is never printed
        text = excel_row[header.index(column)]
        assert not text or len(str(text)) < 4 or str(text) not in out


def test_every_counted_row_of_the_figure_is_listed(wh, export_2021_rows):
    explanation = explain_people_reached(wh, "2021-H1", "PER", "Trafficking", admin1="Tacna")
    header, source = export_2021_rows[0], export_2021_rows
    registry = list(openpyxl.load_workbook(INDICATORS_2021, read_only=True).worksheets[0].iter_rows(values_only=True))
    people_reached = {(r[1], r[2]) for r in registry[1:] if str(r[7]).strip().lower() == "pin"}
    country, sector = header.index("Country"), header.index("Sector...Subsector...WG")
    admin1, indicator = header.index("Admin1"), header.index("Indicator")
    expected = sorted(number for number, r in enumerate(source[1:], start=2)
                      if r[country] == "Peru" and r[admin1] == "Tacna" and r[sector] == TRAFFICKING
                      and (r[sector], r[indicator]) in people_reached)
    assert sorted(explanation.rows["row"]) == expected
    assert explanation.rows["new_beneficiaries"].sum() == explanation.figure["consolidated_total"]


def test_a_month_gives_the_figure_up_to_that_month(wh):
    january = explain_people_reached(wh, "2021-H1", "Peru", TRAFFICKING, month="2021-01")
    assert {m.month for m in january.rows["month"]} == {1}
    assert january.figure["consolidated_total"] == january.rows["new_beneficiaries"].sum()


@pytest.mark.parametrize("args, message", [
    (("2021-H1", "Narnia", "Shelter"), "countries with figures"),
    (("2021-H1", "Peru", "Shelterz"), "did you mean Shelter"),
    (("2021-H3", "Peru", "Shelter"), "2021-H1 or 2021-H2"),
    (("2031-H1", "Peru", "Shelter"), r"^no people reached in 2031-H1: the warehouse has no 5W data of its months "
                                     r"\(its cycles: 2021-H1, 2022-H2, 2023-H1\)$"),
])
def test_unknown_places_and_subsectors_are_one_line(wh, args, message):
    with pytest.raises(ExplainError, match=message):
        explain_people_reached(wh, *args)


def test_explain_errors_on_the_command_line(built_warehouse, capsys):
    base = ["explain", "people-reached", "--cycle", "2021-H1", "--country", "Peru", "--warehouse", str(built_warehouse[0])]
    assert main([*base, "--subsector", "Shelter", "--admin1", "Limaa"]) == 1
    assert main([*base, "--subsector", "Shelter", "--month", "2021-08"]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[0].startswith("rmrp explain: ") and "did you mean Lima" in errors[0]
    assert "not a month of 2021-H1" in errors[1] and len(errors) == 2


def test_a_country_and_a_subsector_are_taken_as_people_write_them(wh):
    """The same figure from the English, Spanish and ISO names of the country and from any name of
    the subsector, or words of it; a word of several subsectors names them."""
    from rmrp_pipeline.reports.sector_page import resolve_sector

    def figure(country: str, subsector: str) -> dict:
        found = explain_people_reached(wh, "2021-H1", country, subsector).figure
        return {k: v for k, v in found.items() if v == v}   # NaN (no target) is not equal to itself

    peru = figure("Peru", TRAFFICKING)
    assert peru["country_iso3"] == "PER" and peru["consolidated_total"] > 0
    for country, subsector in (("Perú", "Trafficking"), ("per", "Trata y Tráfico de Personas"),
                               ("PERU", "human trafficking and smuggling")):
        assert figure(country, subsector) == peru
    with pytest.raises(ExplainError, match=r"^'Protection' names several subsectors: Protection \(Child Protection\), "
                                           r"Protection \(GBV\), Protection \(General\), "):
        explain_people_reached(wh, "2021-H1", "Peru", "Protection")
    assert resolve_sector(wh, "Trafficking") == resolve_sector(wh, "RE-PRHT") == \
        "Protection (Human Trafficking and Smuggling)"
    assert resolve_sector(wh, "GBV") == resolve_sector(wh, "VBG") == "Protection (GBV)"
    with pytest.raises(ValueError, match="names several sectors"):
        resolve_sector(wh, "Protección")


def test_a_word_of_several_subsectors_is_a_wrong_argument_for_explain_as_for_the_sector_page(built_warehouse, capsys):
    assert main(["explain", "people-reached", "--cycle", "2021-H1", "--country", "Peru", "--subsector", "Protection",
                 "--warehouse", str(built_warehouse[0])]) == 2
    assert capsys.readouterr().err.startswith("rmrp explain: 'Protection' names several subsectors: ")
