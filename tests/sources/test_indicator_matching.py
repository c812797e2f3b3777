"""Indicators matched by (sector, indicator text) through the sector aliases (docs/domain.md §1.2).

The sector of a 5W row and of a registry entry both go through ``reference_data/sectors.csv``
(2021 names, Spanish names), the indicator text matches the registry's English text or, where
the registry has it, its Spanish text (``indicator_es``, 2023-2024 registry).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from rmrp_pipeline.sources.reference import ReferenceData
from tests.conftest import INDICATORS_2021, RAW_DIR
from tests.messy.helpers import PARTNER_FILE, ingest, row, staged, write_rows

SUBMISSION_TEMPLATE = RAW_DIR / "planning" / "rmrp2023-2024_submission_template_en.xlsx"
FIVE_W_2022 = RAW_DIR / "monitoring_5w" / "activities_5w_2022_southern_cone_aug.xlsx"

MPC_2021 = "# of individuals benefitting from multipurpose cash transfers (MPC)"  # RE-MC1, Pin
HT_2021 = ("# of refugees and migrants from Venezuela who received assistance and protection services for victims "
           "or at risk of human trafficking and persons subject to smuggling")  # RE-PRHT1, Pin
HT_2324_ES = ("# de personas refugiadas y migrantes de Venezuela que recibieron servicios de asistencia y protección "
              "dirigidos a víctimas o en riesgo de trata y personas objeto de tráfico ilícito")  # RE-PRHT3, Direct Assistance
SH1_2324_ES = "# de refugiados y migrantes alojados en soluciones de alojamiento colectivo temporal apoyados"  # RE-SH1, Direct Assistance
SH11_2324_ES = "# de kits del artículos domésticos esenciales distribuidos"  # RE-SH11, Other


@pytest.fixture(scope="module")
def registries() -> ReferenceData:
    """The real 2021 registry and the 2023-2024 one (sheet Indicators2324, with its Spanish texts)."""
    r21 = pd.read_excel(INDICATORS_2021, dtype=str)
    r23 = pd.read_excel(SUBMISSION_TEMPLATE, sheet_name="Indicators2324", dtype=str)
    frames = [
        pd.DataFrame({"cycle_year": 2021, "code": r21["CODE"], "subsector": r21["Sector...Subsector...WG"],
                      "indicator": r21["Indicator"], "indicator_type": r21["Indicator_Type"]}),
        pd.DataFrame({"cycle_year": 2023, "code": r23["CODE"], "subsector": r23["Sector/Subsector/WG"],
                      "indicator": r23["Indicator"], "indicator_type": r23["Indicator Type"],
                      "indicator_es": r23["Indicador (SP)"]}),
    ]
    return ReferenceData(indicators=pd.concat(frames, ignore_index=True))


def resolve(reference: ReferenceData, pairs: list[tuple[str | None, str | None]], year: int) -> pd.DataFrame:
    index = pd.Index([10 + i for i in range(len(pairs))])  # not a default index: results stay aligned
    sectors = pd.Series([p[0] for p in pairs], index=index, dtype=object)
    indicators = pd.Series([p[1] for p in pairs], index=index, dtype=object)
    return reference.resolve_indicator(sectors, indicators, year)


def test_2022_sector_names_match_the_2021_registry(registries):
    got = resolve(registries, [
        ("Multipurpose Cash Assistance (MPC)", MPC_2021),
        ("Protection (Human Trafficking and Smuggling)", HT_2021),
        ("Multipurpose CBI", MPC_2021),                       # the registry's own spelling
        ("Transferencias Monetarias Multipropósito (MPC)", f"  {MPC_2021.upper()}  "),
    ], 2021)
    assert got["indicator_code"].tolist() == ["RE-MC1", "RE-PRHT1", "RE-MC1", "RE-MC1"]
    assert got["indicator_type"].tolist() == ["Pin"] * 4
    assert got["counts_as_reached"].tolist() == [True] * 4
    assert got.index.tolist() == [10, 11, 12, 13]


def test_2021_and_spanish_names_match_the_2324_registry(registries):
    r23 = pd.read_excel(SUBMISSION_TEMPLATE, sheet_name="Indicators2324", dtype=str)
    english = dict(zip(r23["CODE"].str.strip(), r23["Indicator"]))
    got = resolve(registries, [
        ("Multipurpose CBI", english["RE-MC1"]),
        ("Protection (Human Trafficking & Smuggling)", english["RE-PRHT3"]),
        ("Protección (Trata y Tráfico de Personas)", HT_2324_ES),
        ("Protection (Human Trafficking and Smuggling)", HT_2324_ES.upper()),   # English sector, Spanish text
        ("Alojamiento", SH1_2324_ES),
        ("Alojamiento ", SH11_2324_ES.replace("é", "e")),
        ("Alojamiento", english["RE-SH1"]),                                  # Spanish sector, English text
    ], 2023)
    assert got["indicator_code"].tolist() == ["RE-MC1", "RE-PRHT3", "RE-PRHT3", "RE-PRHT3", "RE-SH1", "RE-SH11", "RE-SH1"]
    assert got["counts_as_reached"].tolist() == [
        got["indicator_type"].iloc[0] == "Direct Assistance", True, True, True, True, False, True]


def test_unknown_pairs_and_wrong_sector_do_not_match(registries):
    got = resolve(registries, [
        ("Alojamiento", HT_2324_ES),                  # text of another sector
        ("Shelter", "# of teachers trained"),
        (None, SH1_2324_ES),
        ("Shelter", None),
        ("Not a sector", SH1_2324_ES),
    ], 2023)
    assert got["indicator_code"].isna().all()
    assert got["indicator_type"].isna().all()
    assert not got["counts_as_reached"].any()


def test_tiny_registry_without_spanish_texts():
    reference = ReferenceData(indicators=pd.DataFrame({
        "cycle_year": [2023, 2023], "code": ["RE-MC1 ", "X-1"],
        "subsector": ["Multipurpose Cash Assistance (MPC)", "Nonstandard WG"],
        "indicator": ["# of people with MPC", "# of things"], "indicator_type": ["Direct Assistance", "Other"],
    }))
    got = resolve(reference, [("Multipurpose CBI", "# of people with MPC "), ("CBI Multiproposito", "# OF PEOPLE WITH MPC"),
                              ("nonstandard wg", "# of things")], 2023)
    assert got["indicator_code"].tolist() == ["RE-MC1", "RE-MC1", "X-1"]   # codes stripped
    assert got["counts_as_reached"].tolist() == [True, True, False]


def test_staged_5w_rows_with_2022_sector_names_resolve_in_the_2021_registry(reference_only):
    write_rows(reference_only / PARTNER_FILE, [
        row(**{"Sector...Subsector...WG": "Multipurpose Cash Assistance (MPC)", "Indicator": MPC_2021, "CVA": "Yes",
               "Value.of.Transfer.in.USD": 100, "Delivery.Mechanism": "Cash"}),
        row(**{"Sector...Subsector...WG": "Protection (Human Trafficking and Smuggling)", "Indicator": HT_2021}),
        row(**{"Sector...Subsector...WG": "Alojamiento"}),   # the helper's Shelter Pin indicator
    ])
    result, _rejects, findings, _log = ingest(reference_only)
    rows = staged(result).sort_values("source_row")
    assert rows["indicator_code"].tolist() == ["RE-MC1", "RE-PRHT1", rows["indicator_code"].iloc[2]]
    assert isinstance(rows["indicator_code"].iloc[2], str) and rows["indicator_code"].iloc[2].startswith("RE-SH")
    assert rows["counts_as_reached"].tolist() == [True, True, True]
    assert not (findings["rule"] == "indicator_not_in_registry").any()


def test_2022_southern_cone_mpc_rows_match_the_2021_registry(tmp_path):
    """Without R4V's 2022 registry (its 5W template left out), the 2022 rows fall back to the
    newest older registry, 2021's (tests/sources/test_registries.py: with it)."""
    shutil.copytree(RAW_DIR / "reference", tmp_path / "reference",
                    ignore=shutil.ignore_patterns("rmrp2022_5w_template_with_indicators.xlsx"))
    (tmp_path / "monitoring_5w").mkdir()
    shutil.copy(FIVE_W_2022, tmp_path / "monitoring_5w")
    from rmrp_pipeline.ingest import ingest_raw_folder

    result = ingest_raw_folder(tmp_path)
    rows = result.tables["staging.stg_5w__activities"]
    mpc = rows[rows["subsector"] == "Multipurpose Cash Assistance (MPC)"]
    assert len(mpc) == 4 and set(mpc["indicator_code"]) == {"RE-MC1"}
    unmatched = result.tables["meta.quality_findings"]["rule"].eq("indicator_not_in_registry").sum()
    assert unmatched == 85   # 2022 indicator texts absent from the 2021 registry; rows under a sector alias match


@pytest.mark.parametrize(("name", "sector"), [
    # Portuguese headings of the RMRP and RMNA (docs/domain.md §1.2)
    ("Programas de Transferência Monetária (CBI)", "Multipurpose Cash Assistance (MPC)"),
    ("Assistência em Dinheiro e Voucher (CVA)", "Multipurpose Cash Assistance (MPC)"),
    ("Distribuição Alimentar", "Food Security"),
    ("Abrigo", "Shelter"),
    ("Abrigamento", "Shelter"),
    # the 2021 Spanish names
    ("Protección de la niñez", "Protection (Child Protection)"),
    ("Agua, Saneamiento e Higiene", "WASH"),
    ("CBI Multiproposito", "Multipurpose Cash Assistance (MPC)"),
    # GIFMM Colombia's own 2020 list
    ("Trata_de_Personas", "Protection (Human Trafficking and Smuggling)"),
    ("VBG", "Protection (GBV)"),
    ("Albergue", "Shelter"),
    ("Transporte_Humanitario", "Humanitarian Transportation"),
])
def test_sector_names_of_other_cycles_and_languages(name, sector):
    from rmrp_pipeline.domain import resolve_sectors

    assert resolve_sectors(pd.Series([name, name.upper()]))[0].tolist() == [sector, sector]
