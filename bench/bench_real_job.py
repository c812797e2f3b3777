"""The real job against R4V's own R script, as ratios measured in one run (README, Performance).

The job: the real 2021 5W export (data/raw/monitoring_5w/rmrp2021_5w_activities_jan-may.xlsx,
22,496 rows) with the reference lists it is resolved against (data/raw/reference), alone in a raw
folder. Cases, run in turns (R, rmrp run, own work, R, ...; medians of the turns), each in its own
process, wall and CPU (user + system of the process and its children):

  (r) R4V's consolidation in R (bench/r4v_consolidate_2021.R: readxl + dplyr, the 2021 script's
      reading, join, sums and cumulative sums, written as CSV), when ``Rscript`` with readxl and
      dplyr is installed (``apt-get install r-base-core r-cran-readxl r-cran-dplyr``);
  (p) ``rmrp run --quiet`` into a fresh warehouse: the command as a person runs it (process start,
      imports, Dagster instance and runs, the summary);
  (o) the pipeline's own work in a process whose imports are done before the clock starts:
      read, validate, load (``ingest.ingest_raw_folder`` and the warehouse writes of the ingest
      asset) and every table built (the registry's builders, every reporting cycle), without
      Dagster: ``build_warehouse`` below, which fills the same tables as ``rmrp run``.

  (d) Dagster's floor: a process that imports dagster, opens an instance beside a new warehouse
      as ``rmrp run`` does (``defs.instance.open_instance``) and runs two jobs of one asset that
      does nothing (``rmrp run`` makes two runs: the ingest, then the reporting cycles): what
      recording the runs for the UI costs before any of the pipeline's work; ``DAGSTER_FLOOR`` below.

Also measured once: the imports (``import rmrp_pipeline.cli``, then the Dagster definitions). Targets:
(p) within 1.5x of (r), wall and CPU; (o) at most half of (r).

    .venv/bin/python -m bench.bench_real_job [--turns 5] [--compare ../main/.venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "data" / "raw" / "monitoring_5w" / "rmrp2021_5w_activities_jan-may.xlsx"
REFERENCE = ROOT / "data" / "raw" / "reference"
R_SCRIPT = ROOT / "bench" / "r4v_consolidate_2021.R"

OWN_WORK = """
import json, sys, time
from pathlib import Path
from bench.bench_real_job import build_warehouse, import_pipeline
import_pipeline()
wall, cpu = time.perf_counter(), time.process_time()
build_warehouse(Path(sys.argv[1]), sys.argv[2])
print("OWN_WORK", json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""
DAGSTER_FLOOR = """
import sys
import dagster as dg
from rmrp_pipeline.defs.instance import open_instance

@dg.asset
def nothing() -> None:
    return None

job = dg.Definitions(assets=[nothing], jobs=[dg.define_asset_job("floor", selection=[nothing])]).resolve_job_def("floor")
with open_instance(sys.argv[1]) as instance:
    for _run in range(2):
        assert job.execute_in_process(instance=instance).success
"""
IMPORTS = """
import json, time
wall, cpu = time.perf_counter(), time.process_time()
import rmrp_pipeline.cli
cli = (time.perf_counter() - wall, time.process_time() - cpu)
import rmrp_pipeline.definitions
print("IMPORTS", json.dumps({"cli": cli, "cli + definitions": (time.perf_counter() - wall, time.process_time() - cpu)}))
"""


def import_pipeline() -> None:
    """Import what ``build_warehouse`` uses (so that a measurement of it leaves imports out)."""
    import duckdb  # noqa: F401

    import rmrp_pipeline.ingest  # noqa: F401
    from rmrp_pipeline.marts import builds, registry

    for table in registry.assets():
        if table.build not in (registry.INGEST, registry.SQL):
            builds.builder(table)   # imports the builder's module


def build_warehouse(raw_dir: Path, warehouse_path: str) -> list[str]:
    """Fill the warehouse at ``warehouse_path`` from ``raw_dir`` as ``rmrp run`` does, without
    Dagster: the ingest asset's writes, then every unpartitioned table, then the tables filled
    cycle by cycle for every reporting cycle. Returns the cycles built."""
    import duckdb

    from rmrp_pipeline.ingest import ingest_raw_folder
    from rmrp_pipeline.marts import builds, registry
    from rmrp_pipeline.warehouse import db

    result = ingest_raw_folder(raw_dir)
    with duckdb.connect(warehouse_path) as con:
        for name in registry.ingested():
            db.replace_table(con, name, result.for_warehouse(name))
            for seed in registry.built_with(name, "seed"):
                builds.load_seed(con, seed)
        del result
        cycles = builds.cycles_in_warehouse(con)
        builds.drop_cycles_without_data(con, cycles)
        builds.build_tables(con, cycles)
    return cycles


def _run(command: list[str], marker: str | None = None, cwd: Path = ROOT, env: dict[str, str] | None = None
         ) -> tuple[float, float, dict | None]:
    """(wall seconds, CPU seconds of the process and its children, the JSON the process printed
    after ``marker``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    printed = None
    if marker:
        line = [x for x in done.stdout.splitlines() if x.startswith(marker)][-1]
        printed = json.loads(line.split(" ", 1)[1])
    return wall, cpu, printed


def r_available() -> str | None:
    """Why the R case cannot run (None when it can)."""
    if shutil.which("Rscript") is None:
        return "Rscript is not installed"
    check = subprocess.run(["Rscript", "-e", "library(readxl); library(dplyr)"], capture_output=True, text=True)
    return None if check.returncode == 0 else "Rscript lacks readxl or dplyr"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--compare", metavar="PYTHON",
                        help="also (p0): rmrp run of another checkout, by its venv's python (e.g. ../main/.venv/bin/python)")
    args = parser.parse_args()
    no_r = r_available()
    if no_r:
        print(f"(r) left out: {no_r} (apt-get install -y r-base-core r-cran-readxl r-cran-dplyr)")
    samples: dict[str, list[tuple[float, float]]] = {}
    own_inside: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw"
        (raw / "monitoring_5w").mkdir(parents=True)
        shutil.copy2(EXPORT, raw / "monitoring_5w" / EXPORT.name)
        shutil.copytree(REFERENCE, raw / "reference")
        rmrp = str(Path(sys.executable).with_name("rmrp"))
        for turn in range(args.turns):
            if not no_r:
                samples.setdefault("(r) R4V's R script (readxl + dplyr)", []).append(_run(
                    ["Rscript", str(R_SCRIPT), str(EXPORT), str(REFERENCE / "rmrp_2021_ai_indicators.xlsx"),
                     str(Path(folder) / "r4v.csv")])[:2])
            if args.compare:
                before = Path(folder) / f"before_{turn}.duckdb"
                samples.setdefault("(p0) rmrp run, --compare checkout", []).append(_run(
                    [args.compare, "-m", "rmrp_pipeline.cli", "run", "--quiet", "--raw-dir", str(raw),
                     "--warehouse", str(before)], cwd=Path(args.compare).parents[2],
                    env={"PYTHONDONTWRITEBYTECODE": "1"})[:2])
                before.unlink()
            warehouse = Path(folder) / f"run_{turn}.duckdb"
            samples.setdefault("(p) rmrp run, the command", []).append(_run(
                [rmrp, "run", "--quiet", "--raw-dir", str(raw), "--warehouse", str(warehouse)])[:2])
            warehouse.unlink()
            own = Path(folder) / f"own_{turn}.duckdb"
            wall, cpu, inside = _run([sys.executable, "-c", OWN_WORK, str(raw), str(own)], "OWN_WORK")
            samples.setdefault("(o) own work, process", []).append((wall, cpu))
            own_inside.append((inside["wall"], inside["cpu"]))
            own.unlink()
            floor = Path(folder) / f"floor_{turn}" / "rmrp.duckdb"
            samples.setdefault("(d) Dagster's floor: import, 2 empty runs", []).append(_run(
                [sys.executable, "-c", DAGSTER_FLOOR, str(floor)])[:2])
            shutil.rmtree(floor.parent)
            print(f"turn {turn + 1}/{args.turns} done", flush=True)
        imports = _run([sys.executable, "-c", IMPORTS], "IMPORTS")[2]
    samples["(o) own work, no start-up, no imports"] = own_inside
    _report(samples, imports, no_r)


def _report(samples: dict[str, list[tuple[float, float]]], imports: dict, no_r: str | None) -> None:
    r_name = "(r) R4V's R script (readxl + dplyr)"
    base = samples.get(r_name)
    base_wall = statistics.median(w for w, _c in base) if base else None
    base_cpu = statistics.median(c for _w, c in base) if base else None
    print(f"\n22,496 rows, {len(next(iter(samples.values())))} turns; medians (min-max of the turns)")
    print(f"{'case':42} {'wall s':>17} {'CPU s':>17} {'wall / (r)':>10} {'CPU / (r)':>10}")
    results = {}
    for name, values in samples.items():
        walls, cpus = [w for w, _c in values], [c for _w, c in values]
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        ratio_wall = f"{wall / base_wall:10.2f}" if base_wall else f"{'-':>10}"
        ratio_cpu = f"{cpu / base_cpu:10.2f}" if base_cpu else f"{'-':>10}"
        print(f"{name:42} {wall:6.2f} ({min(walls):4.1f}-{max(walls):4.1f}) {cpu:6.2f} ({min(cpus):4.1f}-{max(cpus):4.1f})"
              f" {ratio_wall} {ratio_cpu}")
        results[name] = {"wall": walls, "cpu": cpus}
    print("imports (wall s, CPU s): " + ", ".join(f"{k} {v[0]:.2f}, {v[1]:.2f}" for k, v in imports.items()))
    if no_r:
        print(f"no ratios to R: {no_r}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "real_job.json").write_text(json.dumps({"samples": results, "imports": imports}, indent=2))


if __name__ == "__main__":
    main()
