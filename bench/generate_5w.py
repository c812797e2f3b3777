"""Seeded generator of realistic 5W workbooks for benchmarks (never committed: bench/data/).

Rows are drawn with replacement from the real RMRP 2021 export (so every column keeps the real
value distribution and the real combinations of country, admin1, organisation, sector and
indicator), spread over the twelve months of 2021; counts are scaled by a random factor per row
(breakdown cells scaled alike); free text is replaced by neutral text. Written with XlsxWriter,
one sheet per file, with the 2021 template's headers.

    .venv/bin/python bench/generate_5w.py --files 200 --rows 5000 --out bench/data/raw --seed 7
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import numpy as np
import xlsxwriter

from rmrp_pipeline.read.workbook import read_table

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "data" / "raw" / "monitoring_5w" / "rmrp2021_5w_activities_jan-may.xlsx"
COUNTS = [
    "Total.monthly.beneficiaries", "New.beneficiaries.of.the.month", "Refugees.and.Migrants.IN.DESTINATION",
    "Refugees.and.Migrants.IN.TRANSIT", "Host.Communities.Beneficiaries", "Refugees.and.Migrants.PENDULARS",
    "Colombian.Returnees", "Women.under.18", "Men.under.18", "Women.above.18", "Men.above.18",
]
FREE_TEXT = ["Activity.name", "Activity.description"]
#: Rows above which a workbook is written row by row (XlsxWriter's constant_memory: text as inline
#: strings, as in R4V's own export), so that generating a million-row workbook fits in memory.
LARGE = 100_000


def generate(files: int, rows: int, out: Path, seed: int) -> float:
    """Write ``files`` workbooks of ``rows`` rows each into ``out/monitoring_5w`` (and copy the
    reference lists next to them); returns seconds taken."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    source = read_table(EXPORT, "Sheet1").frame
    headers = list(source.columns)
    (out / "monitoring_5w").mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data" / "raw" / "reference", out / "reference", dirs_exist_ok=True)
    for number in range(files):
        sample = source.iloc[rng.integers(0, len(source), rows)].reset_index(drop=True)
        sample["Reporting.Month"] = [f"2021-{m:02d}" for m in rng.integers(1, 13, rows)]
        factor = rng.choice([0.5, 1.0, 1.0, 1.0, 2.0], rows)
        for column in COUNTS:
            sample[column] = np.round(sample[column].astype(float) * factor)
        for column in FREE_TEXT:
            sample[column] = [f"activity {i % 97}" for i in range(rows)]
        book = xlsxwriter.Workbook(str(out / "monitoring_5w" / f"5w_2021_partner_{number:03d}.xlsx"),
                                   {"nan_inf_to_errors": True, "constant_memory": rows > LARGE})
        sheet = book.add_worksheet("Sheet1")
        sheet.write_row(0, 0, headers)
        for index, record in enumerate(sample.itertuples(index=False, name=None), start=1):
            sheet.write_row(index, 0, [None if (isinstance(v, float) and np.isnan(v)) else v for v in record])
        book.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "data" / "raw")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    seconds = generate(args.files, args.rows, args.out, args.seed)
    print(f"wrote {args.files} files x {args.rows:,} rows to {args.out} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
