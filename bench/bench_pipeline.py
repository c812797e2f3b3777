"""End-to-end benchmark of the 5W path, as ratios in one run (README, Performance).

Cases, each in its own process (peak memory = that process's maximum resident set size):
  (a) the fast reader alone: fastexcel parses every generated workbook to Arrow;
  (b) pandas.read_excel with openpyxl on the same files (the usual default);
  (c) the pipeline: `rmrp run` on those files plus the reference lists, into a fresh warehouse.
Prints seconds (wall; CPU of the process, its threads and children) and peak MiB for each, and
(c) as a ratio to (a) and to (b); with ``--turns N`` the cases run in turns and the medians are
shown with the spread of the turns (the machine is shared: the ratio of one turn is the fair
figure). Target: (c) within 1.5x of (a), peak at most 1 GB. Files come from bench/generate_5w.py
(generated if missing).

``--single``: one workbook of ``--files`` x ``--rows`` rows instead (a million rows: far over the
default read limits, raised for this case), read by (a) and by (d) the pipeline's reader
(``read.workbook.read_table`` with the 5W staging's head start, ``prepare_sheet``). Target:
(d) within 2 GB.

    .venv/bin/python -m bench.bench_pipeline --files 200 --rows 5000 --skip-pandas [--turns 3]
    .venv/bin/python -m bench.bench_pipeline --files 1 --rows 1000000 --single --skip-pandas
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

READ_FAST = """
import sys, glob, fastexcel
for path in sorted(glob.glob(sys.argv[1] + '/monitoring_5w/*.xlsx')):
    fastexcel.read_excel(path).load_sheet(0, schema_sample_rows=None).to_arrow()
"""
READ_PANDAS = """
import sys, glob, pandas
for path in sorted(glob.glob(sys.argv[1] + '/monitoring_5w/*.xlsx')):
    pandas.read_excel(path, engine='openpyxl')
"""
PIPELINE = """
import sys
from rmrp_pipeline.cli import main
code = main(['run', '--raw-dir', sys.argv[1], '--warehouse', sys.argv[2], '--quiet'])
assert code == 0, code
"""
READ_OURS = """
import sys, glob
from pathlib import Path
from rmrp_pipeline.read.recognise import read_and_recognise
from rmrp_pipeline.sources.five_w.stage import prepare_sheet
for path in sorted(glob.glob(sys.argv[1] + '/monitoring_5w/*.xlsx')):
    sheet, recognition = read_and_recognise(Path(path), 'Sheet1', Path(path).name)
    prepare_sheet(sheet, recognition)
    print('ROWS', sheet.rows_read)
"""
FOOTER = "\nimport resource; print('PEAK_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
#: Read limits for the single-workbook case (the defaults refuse a sheet of 28 million cells).
RAISED_LIMITS = {"RMRP_MAX_CELLS": "100000000", "RMRP_MAX_PART_MB": "4096", "RMRP_MAX_WORKBOOK_MB": "8192"}


def measure(code: str, *args: str, env: dict[str, str] | None = None, python: str = sys.executable
            ) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of running ``code`` in a fresh Python process
    (``python``: the interpreter, by default this one)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([python, "-c", code + FOOTER, *args], capture_output=True, text=True,
                          cwd=ROOT if python == sys.executable else Path(python).parents[2],
                          env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    peak = [line for line in done.stdout.splitlines() if line.startswith("PEAK_KIB")][-1]
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return seconds, cpu, int(peak.split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--skip-pandas", action="store_true", help="leave out (b), the slowest case")
    parser.add_argument("--single", action="store_true", help="one workbook of files x rows rows: (a) and (d)")
    parser.add_argument("--turns", type=int, default=1)
    parser.add_argument("--compare", metavar="PYTHON",
                        help="also (c0): rmrp run of another checkout, by its venv's python (e.g. ../main/.venv/bin/python)")
    args = parser.parse_args()
    files, rows = (1, args.files * args.rows) if args.single else (args.files, args.rows)
    raw = ROOT / "bench" / "data" / f"raw_{files}x{rows}"
    if not (raw / "monitoring_5w").exists() or len(list((raw / "monitoring_5w").glob("*.xlsx"))) < files:
        from bench.generate_5w import generate

        print(f"generating {files} files x {rows:,} rows into {raw.relative_to(ROOT)} (kept for the next runs) ...",
              flush=True)
        generate(files, rows, raw, seed=7)
    else:
        print(f"reading the files generated earlier in {raw.relative_to(ROOT)}", flush=True)
    samples: dict[str, list[tuple[float, float, float]]] = {}
    for turn in range(args.turns):
        samples.setdefault("(a) fastexcel alone", []).append(measure(READ_FAST, str(raw)))
        if not args.skip_pandas:
            samples.setdefault("(b) pandas.read_excel(openpyxl)", []).append(measure(READ_PANDAS, str(raw)))
        if args.single:
            samples.setdefault("(d) the pipeline's reader", []).append(measure(READ_OURS, str(raw), env=RAISED_LIMITS))
        else:
            with tempfile.TemporaryDirectory() as folder:
                if args.compare:
                    samples.setdefault("(c0) rmrp run, --compare checkout", []).append(
                        measure(PIPELINE, str(raw), str(Path(folder) / "before.duckdb"), python=args.compare,
                                env={"PYTHONDONTWRITEBYTECODE": "1"}))   # nothing written into that checkout
                samples.setdefault("(c) rmrp run, end to end", []).append(
                    measure(PIPELINE, str(raw), str(Path(folder) / "bench.duckdb")))
        if args.turns > 1:
            print(f"turn {turn + 1}/{args.turns} done", flush=True)
    _report(samples, files, rows, args)


def _report(samples: dict[str, list[tuple[float, float, float]]], files: int, rows: int, args) -> None:
    medians = {name: tuple(statistics.median(v[i] for v in values) for i in range(3)) for name, values in samples.items()}
    fast = medians["(a) fastexcel alone"]
    pandas = medians.get("(b) pandas.read_excel(openpyxl)")
    print(f"\n{files * rows:,} rows in {files} file(s); medians of {args.turns} turn(s)")
    print("(peak MiB: the largest resident memory of the case's process; CPU: its user and system time, threads "
          "and children included)")
    print(f"{'case':36} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'wall / (a)':>11} {'CPU / (a)':>10}"
          + (f" {'wall / (b)':>11}" if pandas else ""))
    for name, (seconds, cpu, peak) in medians.items():
        to_b = f" {seconds / pandas[0]:11.2f}" if pandas else ""
        print(f"{name:36} {seconds:8.1f} {cpu:8.1f} {peak:9.0f} {seconds / fast[0]:11.2f} {cpu / fast[1]:10.2f}{to_b}")
    if args.turns > 1:
        ratios = [c[0] / a[0] for a, c in zip(samples["(a) fastexcel alone"], list(samples.values())[-1])]
        print(f"wall ratio of the last case to (a), turn by turn: {', '.join(f'{r:.2f}' for r in ratios)}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"pipeline_{files}x{rows}.json"
    print(f"every turn's figures: {target.relative_to(ROOT)}")
    target.write_text(json.dumps(
        {name: [{"seconds": s, "cpu": c, "peak_mib": p} for s, c, p in values] for name, values in samples.items()},
        indent=2))


if __name__ == "__main__":
    main()
