"""The asset graph (asset keys, groups, deps, partitions, checks, jobs, schedules, sensors) is what
analysts and operators name in the UI, in saved run histories and in schedules: a rename must be
deliberate. The expected graph is committed in tests/sql/asset_graph.json."""

from __future__ import annotations

import json

from tests.sql.asset_graph import SNAPSHOT, current

HOW_TO_UPDATE = ("the asset graph differs from tests/sql/asset_graph.json. If the change is deliberate, "
                 "rewrite the file with `.venv/bin/python -m tests.sql.asset_graph --update` and commit it "
                 "(the diff shows reviewers what analysts and operators will see renamed).")


def test_the_asset_graph_matches_the_committed_snapshot():
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert current() == expected, HOW_TO_UPDATE

