"""Write the RMRP 2022 regional key figures, as printed, to a published key-figures workbook.

Source: the RMRP 2022 box of OCHA's Global Humanitarian Overview 2022,
https://2022.gho.unocha.org/venezuela-regional/ ("People in need 8.4 million", "People targeted
3.8 million", "Requirements (US$) 1.79 billion"), and the number of appealing partners announced at
the plan's launch on 9 December 2021 ("192 partner organizations", UNHCR/IOM; reported by Devex,
https://www.devex.com/news/1-79b-needed-for-venezuelan-refugees-and-migrants-in-2022-102258, and
Euronews, "192 entidades"). The same figures are in docs/domain.md §2.4. They are the whole plan's
figures: platform ``Regional``, sector ``Intersector`` (people counted once across sectors, as in
R4V's 2022 PiN/target tables).

The layout is the one of ``scripts/transcribe_seed_key_figures.py`` (``docs/data_dictionary.md``,
"Published key figures"): every figure is a TEXT cell holding the text as printed; the GHO prints no
% target of PiN, so that cell says ``not published``. The requirements are printed ``1.79 billion``
under the label ``Requirements (US$)``: the ``$`` of the label is written before the number, as the
launch wrote it (``$1.79 billion``), so that the pipeline reads them as US dollars.

Usage (re-runnable; it overwrites the workbook)::

    python scripts/transcribe_gho_2022_key_figures.py [--out PATH]
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from transcribe_seed_key_figures import write_text_sheet  # noqa: E402 - the sibling script

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "raw" / "planning" / "rmrp2022_regional_key_figures.xlsx"
TRANSCRIBED_ON = "2026-11-29"

KEY_FIGURES_HEADER = ["plan_year", "platform", "platform_as_printed", "sector", "people_in_need",
                      "people_targeted", "target_share_of_pin", "requirements_usd", "partners"]
KEY_FIGURES = [
    ["2022", "Regional", "Venezuela Regional Refugee and Migrant Response Plan (RMRP 2022)", "Intersector",
     "8.4 million", "3.8 million", "not published", "$1.79 billion", "192"],
]
OTHER_FIGURES_HEADER = ["plan_year", "platform", "sector", "measure", "age_gender", "published_text"]
SOURCE_ROWS = [
    ("document", "Global Humanitarian Overview 2022 (OCHA), Venezuela Regional Refugee and Migrant Response Plan (RMRP 2022)"),
    ("page", "https://2022.gho.unocha.org/venezuela-regional/"),
    ("sector", "Intersector (the whole plan)"),
    ("language", "en"),
    ("source_text", "People in need 8.4 million | People targeted 3.8 million | Requirements (US$) 1.79 billion; "
                    "partners: '192 partner organizations' at the launch of the RMRP 2022 (UNHCR/IOM, 9 December 2021; "
                    "Devex https://www.devex.com/news/1-79b-needed-for-venezuelan-refugees-and-migrants-in-2022-102258)"),
    ("transcribed_by", "rmrp-pipeline, scripts/transcribe_gho_2022_key_figures.py"),
    ("transcribed_on", TRANSCRIBED_ON),
    ("notes", "Figures as printed (English: decimal point, words million/billion). The GHO prints no % target of "
              "PiN: 'not published'. '$' added before the requirements from the label 'Requirements (US$)'. "
              "Partners are from the launch announcement, not from the GHO box. See docs/data_dictionary.md."),
]


def write_workbook(out: Path) -> Path:
    """Write the workbook to ``out`` (same bytes on every run) and return its path."""
    wb = Workbook()
    wb.remove(wb.active)
    write_text_sheet(wb, "key_figures", KEY_FIGURES_HEADER, KEY_FIGURES)
    write_text_sheet(wb, "other_figures", OTHER_FIGURES_HEADER, [])
    write_text_sheet(wb, "source", ["key", "value"], [list(r) for r in SOURCE_ROWS])
    out.parent.mkdir(parents=True, exist_ok=True)
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
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    print(f"wrote {write_workbook(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
