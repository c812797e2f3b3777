"""Measure the personal-data screen (``text/personal_data.py``) on the real 2021 5W export.

Screens every distinct activity name and description of the export (with the phone formats of its
row's country and Venezuela's), then writes, for review by hand, into OUT (outside the repository:
the files hold the texts as written, personal data included):

* ``flagged.txt``: every text the screen changes, as written and as masked (false positives);
* ``sample.txt``: a seeded random sample of the texts it leaves alone (false negatives);
* ``suspicious.txt``: every text it leaves alone that holds ``@``, a run of seven digits or more, or a
  title word (Sr., Dra., Don, mayor, ...), the likeliest misses.

    .venv/bin/python scripts/measure_personal_data.py /tmp/personal_data_review [--sample 300] [--seed 2021]

Prints the counts only. The figures and the review are in docs/data-protection.md.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

import ftfy
import pycountry

from rmrp_pipeline.read.workbook import read_table
from rmrp_pipeline.text.cells import cell_text, clean_text
from rmrp_pipeline.text.personal_data import regions_for, screen_text

EXPORT = Path(__file__).resolve().parents[1] / "data" / "raw" / "monitoring_5w" / "rmrp2021_5w_activities_jan-may.xlsx"
TEXT_COLUMNS = ("Activity.name", "Activity.description")
DIGITS = re.compile(r"\d{7,}")
TITLE = re.compile(r"(?i)\b(?:sr|sra|srta|señor|señora|señorita|don|doña|dr|dra|lic|mr|mrs|ms|miss|senhor|senhora|dona|mayor|mayora)\b")
_ALIASES = {"Curacao": "CUW", "Bolivia": "BOL", "Venezuela": "VEN"}


def _iso3(country: object) -> str | None:
    if not isinstance(country, str):
        return None
    if country in _ALIASES:
        return _ALIASES[country]
    try:
        return pycountry.countries.lookup(country).alpha_3
    except LookupError:
        return None


def _text(cell: object) -> str | None:
    """The cell as the 5W staging cleans it (broken accents repaired)."""
    text = cell_text(cell)
    return clean_text(ftfy.fix_encoding(text)) if isinstance(text, str) and ftfy.badness.is_bad(text) else text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    frame = read_table(EXPORT, "Sheet1").frame
    pairs = {(_text(cell), _iso3(country)) for column in TEXT_COLUMNS for cell, country in zip(frame[column], frame["Country"])}
    pairs = {(text, iso3) for text, iso3 in pairs if isinstance(text, str)}
    screened = {(text, iso3): screen_text(text, regions_for(iso3)) for text, iso3 in pairs}
    flagged = sorted({text for (text, _c), (_m, kinds) in screened.items() if kinds})
    texts = sorted({text for text, _c in pairs})
    unflagged = [text for text in texts if text not in set(flagged)]
    suspicious = [t for t in unflagged if "@" in t or DIGITS.search(t) or TITLE.search(t)]
    sample = random.Random(args.seed).sample(unflagged, min(args.sample, len(unflagged)))
    args.out.mkdir(parents=True, exist_ok=True)
    masked = {text: masked for (text, _c), (masked, kinds) in screened.items() if kinds}
    (args.out / "flagged.txt").write_text("".join(f"{t}\n  => {masked[t]}\n" for t in flagged), encoding="utf-8")
    for name, chosen in (("sample.txt", sample), ("suspicious.txt", suspicious)):
        (args.out / name).write_text("".join(f"{n}\t{t}\n" for n, t in enumerate(chosen)), encoding="utf-8")
    print(f"distinct (text, country) pairs: {len(pairs):,}; distinct texts: {len(texts):,}")
    print(f"flagged texts: {len(flagged)}; left alone: {len(unflagged):,}")
    print(f"suspicious texts left alone: {len(suspicious)} (@: {sum('@' in t for t in suspicious)}, 7+ digits: "
          f"{sum(bool(DIGITS.search(t)) for t in suspicious)}, title word: {sum(bool(TITLE.search(t)) for t in suspicious)})")
    print(f"random sample of texts left alone: {len(sample)} (seed {args.seed}); review files in {args.out}")


if __name__ == "__main__":
    main()
