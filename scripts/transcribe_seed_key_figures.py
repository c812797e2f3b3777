"""Write the RMRP 2023-2024 Trafficking & Smuggling key figures, as printed, to a workbook.

The figures come from the Spanish page "Trata y Tráfico de Personas" of the RMRP 2023-2024
(the seed page, ``shared/data/seed/000_e121ab474548bc98.txt``). They are kept here as a
transcription, the way a regional IM officer would keep them: every figure is a TEXT cell holding
the text exactly as printed (``1,56 M``, ``27,9K``, ``$216,5 K``, ``0,7%``), so that the pipeline,
not Excel, decides what the text means. The layout is described in ``docs/data_dictionary.md``
(section "Published key figures (planning)").

Usage (re-runnable; it overwrites the workbook)::

    python scripts/transcribe_seed_key_figures.py [--out PATH] [--seed PATH]

``--seed`` points at the seed page text; when given, the script first checks that every
transcribed figure text occurs in it, and stops if one does not.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "raw" / "planning" / "rmrp2023-2024_trafficking_smuggling_key_figures.xlsx"
SEED_NAME = "000_e121ab474548bc98.txt"

SECTOR = "Protection (Human Trafficking and Smuggling)"
TRANSCRIBED_ON = "2026-11-29"

KEY_FIGURES_HEADER = [
    "plan_year",
    "platform",
    "platform_as_printed",
    "sector",
    "people_in_need",
    "people_targeted",
    "target_share_of_pin",
    "requirements_usd",
    "partners",
]

# Regional key-figures block (top of the page): (PiN, target, % target of PiN, requirements).
# Partners ("SOCIOS DEL RMRP: 31") are printed once for the two-year plan.
REGIONAL_AS_PRINTED = "TRATA Y TRÁFICO DE PERSONAS"
REGIONAL = {
    2023: ("1,56 M", "33,3 K", "2,1%", "$22,08 M"),
    2024: ("1,66 M", "32,7 K", "2,8%", "$19,11 M"),
}
REGIONAL_PARTNERS = "31"

# "CIFRAS CLAVE POR PLATAFORMA": platform (EN), as printed, 2023 (PiN, target, % target of PiN,
# requirements), 2024 (same), partners (one column, after the 2024 block).
PLATFORMS = [
    ("Brazil", "BRASIL", ("11,5 K", "85", "0,7%", "$216,5 K"), ("12,2 K", "85", "0,7%", "$132,6 K"), "4"),
    ("Chile", "CHILE", ("79,7 K", "200", "0,3%", "$295,0 K"), ("86,3 K", "200", "0,2%", "$369,0 K"), "1"),
    ("Colombia", "COLOMBIA", ("948,2 K", "29,0 K", "3,1%", "$6,75 M"), ("1,02 M", "27,9K", "2,8%", "$5,54 M"), "8"),
    ("Ecuador", "ECUADOR", ("58,3 K", "920", "1,6%", "$2,55 M"), ("57,0 K", "1,0K", "1,8%", "$2,53 M"), "5"),
    ("Peru", "PERÚ", ("623,0 K", "8,0K", "1,3%", "$7,38 M"), ("660,8K", "8,3K", "1,3%", "$6,84 M"), "8"),
    ("Caribbean", "CARIBE", ("24,3 K", "644", "2,6%", "$2,17 M"), ("24,6 K", "668", "2,7%", "$2,00 M"), "6"),
    (
        "Central America and Mexico",
        "CENTROAMÉRICA Y MÉXICO",
        ("108,1 K", "1,5 K", "1,4%", "$283,0 K"),
        ("110,8 K", "1,5K", "1,4%", "$282,0 K"),
        "3",
    ),
    ("Southern Cone", "CONO SUR", ("9,5 K", "46", "0,5%", "$938,2 K"), ("10,2 K", "36", "0,4%", "$736,0 K"), "6"),
]

OTHER_FIGURES_HEADER = ["plan_year", "platform", "sector", "measure", "age_gender", "published_text"]

# Age/gender shares: printed once per block, for the two-year plan, with their sex symbols lost in
# the text extraction ("↑ 34,6% ↓ 36,3%"). ↑ = men/boys (the arrow of ♂), ↓ = women/girls (the
# cross of ♀); first line adults, second line under 18. plan_year is left empty: the 2023-2024 plan.
AGE_GENDER_SHARES = {
    # measure: ((women, men), (girls, boys)) as printed
    "people_in_need_share": (("36,3%", "34,6%"), ("14,3%", "14,9%")),
    "people_targeted_share": (("37,7%", "32,9%"), ("14,6%", "14,9%")),
}
SHARE_OF_TOTAL_PIN = {2023: "11,2%", 2024: "11,2%"}  # "PORCENTAJE DE PIN"
SECTOR_LEADS = "OIM, ONU MUJERES"  # "LÍDERES DEL SECTOR"

SOURCE_ROWS = [
    ("document", "RMRP 2023-2024 (Plan de Respuesta Regional para Refugiados y Migrantes de Venezuela)"),
    ("page", "Trata y Tráfico de Personas"),
    ("sector", SECTOR),
    ("language", "es"),
    ("source_text", f"shared/data/seed/{SEED_NAME} (text extracted from the published plan)"),
    ("transcribed_by", "rmrp-pipeline, scripts/transcribe_seed_key_figures.py"),
    ("transcribed_on", TRANSCRIBED_ON),
    (
        "notes",
        "Every figure cell holds the text exactly as printed (Spanish number format: decimal comma). "
        "Partners are printed once for the two-year plan and are repeated on both plan years. "
        "Age/gender shares lost their sex symbols in the extracted text: up-arrow = men/boys, "
        "down-arrow = women/girls, first line adults, second line under 18; they are printed once "
        "for the plan, so their plan_year is empty. 'PORCENTAJE DE PIN' is kept as measure "
        "share_of_total_pin; its denominator is not stated on the page. "
        "See docs/data_dictionary.md.",
    ),
]


def key_figures_rows() -> list[list[str]]:
    rows = []
    for year in (2023, 2024):
        rows.append([str(year), "Regional", REGIONAL_AS_PRINTED, SECTOR, *REGIONAL[year], REGIONAL_PARTNERS])
        for platform, printed, y2023, y2024, partners in PLATFORMS:
            figures = y2023 if year == 2023 else y2024
            rows.append([str(year), platform, printed, SECTOR, *figures, partners])
    return rows


def other_figures_rows() -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for year, text in SHARE_OF_TOTAL_PIN.items():
        rows.append([str(year), "Regional", SECTOR, "share_of_total_pin", None, text])
    for measure, ((women, men), (girls, boys)) in AGE_GENDER_SHARES.items():
        for age_gender, text in (("women", women), ("men", men), ("girls", girls), ("boys", boys)):
            rows.append([None, "Regional", SECTOR, measure, age_gender, text])
    rows.append([None, "Regional", SECTOR, "sector_leads", None, SECTOR_LEADS])
    return rows


def expected_seed_fragments() -> list[str]:
    """Fragments of the seed page that the transcription must reproduce exactly.

    Each per-platform table row is checked as one whole tab-separated line, so that a figure cannot be
    found "somewhere else" on the page; the regional block is checked figure by figure in page order.
    """
    fragments = []
    for _platform, printed, y2023, y2024, partners in PLATFORMS:
        fragments.append("\t".join([printed, *y2023, *y2024, partners]))
    (pin23, tgt23, share23, req23), (pin24, tgt24, share24, req24) = REGIONAL[2023], REGIONAL[2024]
    (pw, pm), (pg, pb) = AGE_GENDER_SHARES["people_in_need_share"]
    (tw, tm), (tg, tb) = AGE_GENDER_SHARES["people_targeted_share"]
    fragments += [
        f"PERSONAS CON NECESIDADES\n\n{pin23}\n\n{pin24}\n\n\u2191 {pm} \u2193 {pw}\n\n\u2191 {pb} \u2193 {pg}\n",
        f"POBLACI\u00d3N META\n\n{tgt23}\n\n{tgt24}\n\n\u2191 {tm} \u2193 {tw}\n\n\u2191 {tb} \u2193 {tg}\n",
        f"PORCENTAJE DE PIN\n\n{SHARE_OF_TOTAL_PIN[2023]}\n\n{SHARE_OF_TOTAL_PIN[2024]}\n",
        f"PORCENTAJE DE META SOBRE PIN\n\n{share23}\n\n{share24}\n",
        f"REQUERIMIENTOS TOTALES\n\n{req23}\n\n{req24}\n",
        f"SOCIOS DEL RMRP: {REGIONAL_PARTNERS}\n",
        f"L\u00cdDERES DEL SECTOR: {SECTOR_LEADS}\n",
    ]
    return fragments


def check_against_seed(seed: Path) -> list[str]:
    """Expected fragments that do not occur in the seed page (the page escapes '$' as '\\$')."""
    page = seed.read_text(encoding="utf-8").replace("\\$", "$")
    return [fragment for fragment in expected_seed_fragments() if fragment not in page]


def write_text_sheet(wb: Workbook, title: str, header: list[str], rows: list[list[str | None]]) -> None:
    """A sheet of text cells (formatted as Text), header frozen, columns sized: how the published
    figures are kept, exactly as printed. Also used by transcribe_gho_2022_key_figures.py."""
    ws = wb.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"  # Text: what is typed stays text in Excel too
    for i, name in enumerate(header, start=1):
        width = max(len(str(v)) for v in [name, *(r[i - 1] or "" for r in rows)])
        ws.column_dimensions[get_column_letter(i)].width = min(max(10, width + 2), 60)
    ws.freeze_panes = "A2"


def write_workbook(out: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    write_text_sheet(wb, "key_figures", KEY_FIGURES_HEADER, key_figures_rows())
    write_text_sheet(wb, "other_figures", OTHER_FIGURES_HEADER, other_figures_rows())
    write_text_sheet(wb, "source", ["key", "value"], [list(r) for r in SOURCE_ROWS])
    out.parent.mkdir(parents=True, exist_ok=True)
    _save_reproducibly(wb, out)
    return out


def _save_reproducibly(wb: Workbook, out: Path) -> None:
    """Save so that a re-run gives the same bytes: openpyxl stamps the save time into the document
    properties and the zip entries; both are set to TRANSCRIBED_ON instead."""
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = f"{TRANSCRIBED_ON}T00:00:00Z"
    date_time = (*map(int, TRANSCRIBED_ON.split("-")), 0, 0, 0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=date_time), data, zipfile.ZIP_DEFLATED)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=Path, help=f"the seed page text ({SEED_NAME}) to check the transcription against")
    args = parser.parse_args(argv)
    if args.seed is not None:
        missing = check_against_seed(args.seed)
        if missing:
            print(f"not found in {args.seed}: {missing}", file=sys.stderr)
            return 1
        print(f"all {len(expected_seed_fragments())} transcribed fragments found in {args.seed}")
    print(f"wrote {write_workbook(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
