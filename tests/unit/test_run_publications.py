"""defs.run_publications.publish_waiting_runs: of the Dagster runs' builds beside the published
warehouse, only those of runs of this instance that succeeded are published, oldest build first; a
build that cannot be published is said in one line and the others still go."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import dagster as dg

from rmrp_pipeline.defs import run_publications
from rmrp_pipeline.warehouse import publish


def test_only_the_succeeded_runs_of_this_instance_are_published_oldest_first(tmp_path, monkeypatch):
    published = tmp_path / "rmrp.duckdb"
    statuses = {"ok-old": dg.DagsterRunStatus.SUCCESS, "going-on": dg.DagsterRunStatus.STARTED,
                "failed": dg.DagsterRunStatus.FAILURE, "refused": dg.DagsterRunStatus.SUCCESS,
                "ok-new": dg.DagsterRunStatus.SUCCESS, "other-instance": None}
    for age, run_id in enumerate(reversed(list(statuses))):   # ok-old written to last the longest ago
        build = publish.build_path(published, run_id)
        build.write_bytes(b"")
        os.utime(build, ns=(1_000_000_000 * (100 - age),) * 2)
    runs = {run_id: SimpleNamespace(run_id=run_id, status=status, tags={"dagster/partition": "2021-H1"})
            for run_id, status in statuses.items() if status is not None}
    instance = SimpleNamespace(get_run_by_id=runs.get)
    monkeypatch.setattr(run_publications, "check_counts", lambda _instance, _run_id: (6, 0))
    tried: list[str] = []

    def publish_run(target, publication):
        tried.append(publication.run_id)
        assert Path(target) == published and publication.cycles == ("2021-H1",) and publication.raw_folder == "raw"
        if publication.run_id == "refused":
            raise publish.PublishError("published by another run while this one was building")
        return len(tried)

    monkeypatch.setattr(publish, "publish_run", publish_run)
    said: list[str] = []
    numbers = run_publications.publish_waiting_runs(instance, str(published), "raw", said.append)
    assert tried == ["ok-old", "refused", "ok-new"]
    assert numbers == [1, 3]
    assert said == ["run refused not published: published by another run while this one was building"]
