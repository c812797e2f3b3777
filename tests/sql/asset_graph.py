"""The asset graph that analysts and operators rely on, as plain JSON: asset keys with their group,
deps, partitions, kinds, pool and checks; jobs with the assets they select and their executor;
schedules and sensors with the description the UI shows.

``tests/sql/test_asset_graph.py`` compares it with the committed ``tests/sql/asset_graph.json``.
After a deliberate change (a new asset, a renamed job), rewrite the file and commit it:

    .venv/bin/python -m tests.sql.asset_graph --update
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import dagster as dg

SNAPSHOT = Path(__file__).with_name("asset_graph.json")


def _key(key: dg.AssetKey) -> str:
    return "/".join(key.path)


def _partitions(partitions_def) -> str | None:
    if partitions_def is None:
        return None
    return f"{type(partitions_def).__name__}:{getattr(partitions_def, 'name', None)}"


def describe(defs: dg.Definitions) -> dict:
    """The graph of ``defs`` as a JSON-ready dict (sorted, stable between runs)."""
    graph = defs.resolve_asset_graph()
    assets = {}
    for spec in defs.resolve_all_asset_specs():
        node = graph.get(spec.key)
        assets[_key(spec.key)] = {
            "group": spec.group_name,
            "deps": sorted(_key(dep.asset_key) for dep in spec.deps),
            "partitions": _partitions(spec.partitions_def),
            "kinds": sorted(k.removeprefix("dagster/kind/") for k in spec.tags if k.startswith("dagster/kind/")),
            "pools": sorted(node.pools or []),
            "checks": {c.name: {"blocking": graph.get_check_spec(c).blocking}
                       for c in sorted(graph.get_check_keys_for_assets({spec.key}), key=lambda c: c.name)},
        }
    jobs = {}
    for job in defs.resolve_all_job_defs():
        if job.name.startswith("__ASSET_JOB"):
            continue
        jobs[job.name] = {
            "assets": sorted(_key(k) for k in job.asset_layer.executable_asset_keys),
            "checks": sorted(f"{_key(c.asset_key)}:{c.name}" for c in job.asset_layer.asset_graph.asset_check_keys),
            "partitions": _partitions(job.partitions_def),
            "executor": job.executor_def.name,
        }
    repository = defs.get_repository_def()
    schedules = {s.name: {"job": s.job_name, "cron": s.cron_schedule, "timezone": s.execution_timezone,
                          "default_status": s.default_status.value, "description": s.description}
                 for s in repository.schedule_defs}
    sensors = {s.name: {"jobs": sorted(j.name for j in s.jobs) if s.has_jobs else [],
                        "minimum_interval_seconds": s.minimum_interval_seconds,
                        "default_status": s.default_status.value, "description": s.description}
               for s in repository.sensor_defs}
    return {"assets": dict(sorted(assets.items())), "jobs": dict(sorted(jobs.items())),
            "schedules": dict(sorted(schedules.items())), "sensors": dict(sorted(sensors.items())),
            "resources": sorted(repository.get_top_level_resources())}


def current() -> dict:
    """The graph of the project's definitions (resources pointed at a scratch folder)."""
    from rmrp_pipeline.definitions import build_definitions

    scratch = Path(tempfile.mkdtemp(prefix="rmrp_graph_"))
    return describe(build_definitions(str(scratch), str(scratch / "w.duckdb")))


def render(graph: dict) -> str:
    return json.dumps(graph, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print(__doc__)
        return 2
    SNAPSHOT.write_text(render(current()), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
