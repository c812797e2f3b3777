"""End-to-end benchmark of the 5W path, as ratios in one run (README, Performance).

Cases, each in its own process (peak memory = that process's maximum resident set size):
  (a) the fast reader alone: fastexcel parses every generated workbook to Arrow;
  (b) pandas.read_excel with openpyxl on the same files (the usual default);
  (c) the pipeline: `rmrp run` on those files plus the reference lists, into a fresh warehouse.
Prints seconds and peak MiB for each, and (c) as a ratio to (a) and to (b). Target: (c)
within 3x of (a). Files come from bench/generate_5w.py (generated if missing).

    .venv/bin/python bench/bench_pipeline.py --files 200 --rows 5000
"""

from __future__ import annotations

import argparse
import json
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
FOOTER = "\nimport resource; print('PEAK_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"


def measure(code: str, *args: str) -> tuple[float, float]:
    """(seconds, peak MiB) of running ``code`` in a fresh Python process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code + FOOTER, *args], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    peak = [line for line in done.stdout.splitlines() if line.startswith("PEAK_KIB")][-1]
    return seconds, int(peak.split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--skip-pandas", action="store_true", help="leave out (b), the slowest case")
    args = parser.parse_args()
    raw = ROOT / "bench" / "data" / f"raw_{args.files}x{args.rows}"
    if not (raw / "monitoring_5w").exists() or len(list((raw / "monitoring_5w").glob("*.xlsx"))) < args.files:
        from bench.generate_5w import generate

        print(f"generating {args.files} files x {args.rows:,} rows ...", flush=True)
        generate(args.files, args.rows, raw, seed=7)
    results = {}
    results["(a) fastexcel alone"] = measure(READ_FAST, str(raw))
    if not args.skip_pandas:
        results["(b) pandas.read_excel(openpyxl)"] = measure(READ_PANDAS, str(raw))
    with tempfile.TemporaryDirectory() as folder:
        results["(c) rmrp run, end to end"] = measure(PIPELINE, str(raw), str(Path(folder) / "bench.duckdb"))
    fast = results["(a) fastexcel alone"]
    pandas = results.get("(b) pandas.read_excel(openpyxl)")
    rows = args.files * args.rows
    print(f"\n{rows:,} rows in {args.files} files")
    print(f"{'case':36} {'seconds':>8} {'peak MiB':>9} {'time / (a)':>11} {'time / (b)':>11}")
    for name, (seconds, peak) in results.items():
        to_b = f"{seconds / pandas[0]:11.2f}" if pandas else f"{'-':>11}"
        print(f"{name:36} {seconds:8.1f} {peak:9.0f} {seconds / fast[0]:11.2f} {to_b}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"pipeline_{args.files}x{args.rows}.json").write_text(json.dumps(
        {name: {"seconds": s, "peak_mib": p} for name, (s, p) in results.items()}, indent=2))


if __name__ == "__main__":
    main()
