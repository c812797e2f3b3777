"""The asset graph (asset keys, groups, deps, partitions, checks, jobs, schedules, sensors) is what
analysts and operators name in the UI, in saved run histories and in schedules: a rename must be
deliberate. The expected graph is committed in tests/sql/asset_graph.json."""

from __future__ import annotations

import difflib

from tests.sql.asset_graph import SNAPSHOT, current, render

HOW_TO_UPDATE = ("the asset graph differs from tests/sql/asset_graph.json (diff below: - committed, + now). If the "
                 "change is deliberate, rewrite the file with `.venv/bin/python -m tests.sql.asset_graph --update` "
                 "and commit it, so that reviewers see what analysts and operators will find renamed.\n")


def test_the_asset_graph_matches_the_committed_snapshot():
    expected, now = SNAPSHOT.read_text(encoding="utf-8"), render(current())
    diff = "".join(difflib.unified_diff(expected.splitlines(True), now.splitlines(True), "committed", "now"))
    assert not diff, HOW_TO_UPDATE + diff
