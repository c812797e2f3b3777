"""Re-run benchmark of the ingest cache (README, Performance): a full `rmrp run`, then one 5W file
changed (one count edited with openpyxl), then `rmrp run` again into the same warehouse, whose
cache folder (``ingest_cache/`` beside it) holds every other file's staged rows.

Each case runs in its own process (bench_pipeline.measure). Printed: wall and CPU seconds of (1) the full run,
(2) the re-run with nothing changed, (3) the re-run after one file changed, (3) / (1) as the
ratio (target 5%), and, for (3), the time of the ingest alone (``ingest_raw_folder`` on a copy of
the cache as (3) found it, in its own process) against the whole run: the rest is writing the tables to DuckDB and the marts.
Also (d), Dagster's floor (``bench_real_job.DAGSTER_FLOOR``: import dagster, open an instance, two
runs of an empty asset), against (1): what any ``rmrp run`` costs before the pipeline's work.
Then the warehouse of (3) is compared with a clean run over the same files
(scripts/compare_warehouses.py: must print ``identical``).

    .venv/bin/python -m bench.bench_rerun --files 200 --rows 5000
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from bench.bench_pipeline import PIPELINE, ROOT, measure
from bench.bench_real_job import DAGSTER_FLOOR

INGEST_ONLY = """
import sys, time
from pathlib import Path
from rmrp_pipeline.ingest import ingest_raw_folder
started = time.perf_counter()
result = ingest_raw_folder(Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
print('INGEST_SECONDS', time.perf_counter() - started)
"""


def change_one_file(folder: Path) -> Path:
    """Raise the first count of the last 5W workbook of ``folder`` by one (a new SHA-256)."""
    path = sorted((folder / "monitoring_5w").glob("*.xlsx"))[-1]
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    for cell in sheet[2]:
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            cell.value += 1
            break
    book.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    source = ROOT / "bench" / "data" / f"raw_{args.files}x{args.rows}"
    if not (source / "monitoring_5w").exists() or len(list((source / "monitoring_5w").glob("*.xlsx"))) < args.files:
        from bench.generate_5w import generate

        print(f"generating {args.files} files x {args.rows:,} rows ...", flush=True)
        generate(args.files, args.rows, source, seed=7)
    with tempfile.TemporaryDirectory() as work:
        raw, warehouse = Path(work) / "raw", Path(work) / "wh" / "bench.duckdb"
        shutil.copytree(source, raw)
        warehouse.parent.mkdir()
        results = {"(1) full run, empty cache": measure(PIPELINE, str(raw), str(warehouse))}
        results["(2) re-run, nothing changed"] = measure(PIPELINE, str(raw), str(warehouse))
        changed = change_one_file(raw)
        cache_before = Path(work) / "cache_before"
        shutil.copytree(warehouse.parent / "ingest_cache", cache_before)
        results["(3) re-run, one file changed"] = measure(PIPELINE, str(raw), str(warehouse))
        results["(d) Dagster's floor, 2 empty runs"] = measure(DAGSTER_FLOOR, str(Path(work) / "floor" / "f.duckdb"))
        # the ingest alone, on the cache as it was before (3): one file to read, the others cached
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", INGEST_ONLY, str(raw), str(cache_before)],
                              capture_output=True, text=True, cwd=ROOT, check=True)
        ingest = float([line for line in done.stdout.splitlines() if line.startswith("INGEST_SECONDS")][-1].split()[1])
        process = time.perf_counter() - started
        clean = Path(work) / "clean" / "bench.duckdb"
        clean.parent.mkdir()
        subprocess.run([sys.executable, "-c", PIPELINE, str(raw), str(clean)], cwd=ROOT, check=True,
                       capture_output=True, env={**os.environ, "RMRP_INGEST_CACHE": "off"})
        compare = subprocess.run([sys.executable, "scripts/compare_warehouses.py", str(clean), str(warehouse)],
                                 capture_output=True, text=True, cwd=ROOT)
    full_wall, full_cpu, _peak = results["(1) full run, empty cache"]
    print(f"\n{args.files * args.rows:,} rows in {args.files} files; changed: {changed.name}")
    print(f"{'case':34} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'wall / (1)':>11} {'CPU / (1)':>10}")
    for name, (wall, cpu, peak) in results.items():
        print(f"{name:34} {wall:8.1f} {cpu:8.1f} {peak:9.0f} {wall / full_wall:11.1%} {cpu / full_cpu:10.1%}")
    print(f"ingest alone, one file to read, the others from the cache: {ingest:.1f} s "
          f"(its process {process:.1f} s, with imports)")
    print(f"warehouse of (3) against a clean run without cache: {compare.stdout.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
