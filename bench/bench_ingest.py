"""Benchmark: reading and validating the 2021 5W export, as ratios to a baseline in one run.

Baseline: pandas.read_excel with openpyxl (the usual default). Measured: our reader
(fastexcel, types from every cell) and reader + staging + pandera rules. Prints seconds
(median of N runs) and the ratio to the baseline; peak memory via tracemalloc is not used
because Rust allocations are invisible to it — use `/usr/bin/time -v` around this script.

    .venv/bin/python bench/bench_ingest.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

from rmrp_pipeline.ingest import ingest_raw_folder
from rmrp_pipeline.read.workbook import read_table

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "data" / "raw" / "monitoring_5w" / "rmrp2021_5w_activities_jan-may.xlsx"


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    baseline = timed(lambda: pd.read_excel(EXPORT, engine="openpyxl"), args.runs)
    cases = {
        "reader (fastexcel, strict types)": lambda: read_table(EXPORT, "Sheet1"),
        "whole raw folder: read + stage + rules": lambda: ingest_raw_folder(ROOT / "data" / "raw"),
    }
    print(f"{'case':45} {'seconds':>8} {'ratio':>7}")
    print(f"{'baseline pandas.read_excel(openpyxl)':45} {baseline:8.2f} {1.0:7.2f}")
    for name, fn in cases.items():
        seconds = timed(fn, args.runs)
        print(f"{name:45} {seconds:8.2f} {seconds / baseline:7.2f}")


if __name__ == "__main__":
    main()
