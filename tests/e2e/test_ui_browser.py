"""The Dagster UI as a person uses it: `rmrp run` on a small raw folder (a copy of the session's
``small_build``, tests/conftest.py), then `dagster dev` on the same instance (the README's command, on 127.0.0.1 and a free port), a cycle run launched through the
UI's GraphQL API, and the asset graph, an asset's partitions and checks, and the sensor's page loaded
in headless Chromium (Debian's `chromium`, installed by scripts/system-packages.sh). Screenshots go
to test-artifacts/screenshots/. The server is stopped with SIGINT, as Ctrl-C in its terminal does."""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import ROOT

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SMALL_5W = ("monitoring_5w/activities_5w_2022_southern_cone_aug.xlsx",   # August 2022: 2022-H2
            "monitoring_5w/activities_5w_2023_mexico_panama_jan.xlsx")   # January 2023: 2023-H1
BIN = Path(sys.executable).parent


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "chromium is not installed: run `bash scripts/system-packages.sh` (Debian package chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _default_signals() -> None:
    """In the server's process: a new process group, and SIGINT/SIGTERM handled even when the test
    runner was started with them ignored (a background job of a non-interactive shell is)."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _page_text(chromium: str, url: str, profile: Path, screenshot: Path | None = None) -> str:
    """The text a person reads on ``url`` once the page has loaded its data (the DOM, tags stripped);
    with ``screenshot``, also a 1600x1000 PNG of it."""
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--hide-scrollbars", "--window-size=1600,1000", "--virtual-time-budget=20000",
              f"--user-data-dir={profile}"]
    shot = [f"--screenshot={screenshot}"] if screenshot is not None else []   # the same load: one browser
    dom = subprocess.run([*common, "--dump-dom", *shot, url], capture_output=True, text=True, timeout=120,
                         check=bool(shot)).stdout
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", dom, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


def _read_until(chromium: str, url: str, profile: Path, expected: list[str], screenshot: Path) -> str:
    """The page's text once it shows every string of ``expected`` (a slow machine may need a second load)."""
    text = ""
    for _attempt in range(3):
        text = _page_text(chromium, url, profile, screenshot)
        if all(e in text for e in expected):
            return text
    missing = [e for e in expected if e not in text]
    raise AssertionError(f"{url} does not show {missing}; it shows: {text[:1500]}")


@pytest.fixture()
def ui_setup(small_build, tmp_path):
    """(environment, DAGSTER_HOME, warehouse) after `rmrp run` on the small raw folder (the reference
    lists, the two small 5W files, two key-figure workbooks): a copy of the folder of the session's
    run (the warehouse, its instance and ingest cache), the raw folder read where that run read it."""
    raw = small_build / "raw"
    assert all((raw / name).is_file() for name in SMALL_5W)
    shutil.copytree(small_build / "clean", tmp_path / "warehouse")
    warehouse = tmp_path / "warehouse" / "rmrp.duckdb"
    env = {name: value for name, value in os.environ.items() if name != "DAGSTER_HOME"}
    env.update(RMRP_RAW_DIR=str(raw), RMRP_WAREHOUSE=str(warehouse), RMRP_REPORTS_DIR=str(tmp_path / "reports"))
    # the README's DAGSTER_HOME for `dagster dev`: the instance `rmrp run` recorded in, beside the warehouse
    home = subprocess.run([sys.executable, "-m", "rmrp_pipeline.defs.instance"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True).stdout.strip()
    assert Path(home) == warehouse.parent / ".dagster" and (Path(home) / "dagster.yaml").exists()
    return {**env, "DAGSTER_HOME": home}, home, warehouse


def test_the_ui_shows_the_runs_partitions_and_checks_in_a_browser(ui_setup, tmp_path):
    from dagster_graphql import DagsterGraphQLClient

    chromium = _chromium()
    env, home, _warehouse = ui_setup
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = (tmp_path / "dagster_dev.log").open("w")
    server = subprocess.Popen([str(BIN / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_default_signals)
    try:
        _wait_until(lambda: _serving(port), 240, "dagster dev to serve")
        client = DagsterGraphQLClient("127.0.0.1", port_number=port, timeout=60)

        def launch():
            try:   # the code location may still be loading
                return client.submit_job_execution("cycle_job", repository_location_name="rmrp_pipeline",
                                                   tags={"dagster/partition": "2022-H2"})
            except Exception:   # DagsterGraphQLClientError while the location loads
                return None

        run_id = _wait_until(launch, 180, "the code location to accept a run")
        status = _wait_until(
            lambda: (s := client.get_run_status(run_id)) in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE,
                                                            dg.DagsterRunStatus.CANCELED) and s,
            300, "the cycle run to finish")
        assert status == dg.DagsterRunStatus.SUCCESS

        base, profile = f"http://127.0.0.1:{port}", tmp_path / "chromium"
        graph = _read_until(chromium, f"{base}/asset-groups~group%3A%22marts%22", profile,
                            ["cycle_people_reached", "people_reached_monthly", "fct_activities", "100% filled",
                             "2 partitions", "2 / 2 Passed"],
                            SCREENSHOTS / "asset_graph_marts.png")
        assert "Never materialized" not in graph
        overview = _read_until(chromium, f"{base}/assets/marts/cycle_people_reached", profile,
                               ["Latest materialization", "2022-H2", "Row count"],
                               SCREENSHOTS / "cycle_people_reached_overview.png")
        assert "Never materialized" not in overview
        _read_until(chromium, f"{base}/assets/marts/cycle_people_reached?view=partitions", profile,
                    ["2 Partitions", "Materialized (2)", "Missing (0)", "Failed (0)", "2022-H2", "2023-H1"],
                    SCREENSHOTS / "cycle_people_reached_partitions.png")
        _read_until(chromium, f"{base}/assets/marts/cycle_people_reached?view=checks", profile,
                    ["built_from_current_inputs", "every_column_documented", "Passed", "stale_cycles"],
                    SCREENSHOTS / "cycle_people_reached_checks.png")
        _read_until(chromium, f"{base}/locations/rmrp_pipeline/sensors/cycle_refresh_sensor", profile,
                    ["cycle_refresh_sensor", "After each finished ingest"], SCREENSHOTS / "cycle_refresh_sensor.png")
    finally:
        os.killpg(server.pid, signal.SIGINT)   # Ctrl-C in the terminal of `dagster dev`
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            raise AssertionError("dagster dev did not stop within 30 s of SIGINT") from None
        finally:
            log.close()
    shutdown = (tmp_path / "dagster_dev.log").read_text(encoding="utf-8", errors="replace")
    assert code == 0, shutdown[-2000:]   # Ctrl-C is a clean stop, not a failure
    assert "Dagster services shut down." in shutdown
    assert "did not terminate cleanly" not in shutdown and "shut down unexpectedly" not in shutdown
    left = _wait_until(lambda: _group_gone(server.pid), 15, "the code servers to exit")
    assert left, "processes of dagster dev outlived it"

    with dg.DagsterInstance.from_config(str(home)) as instance:   # the UI's run: in one process, a success
        run = instance.get_run_by_id(run_id)
        assert run.tags["dagster/partition"] == "2022-H2"
        messages = [e.message for e in instance.all_logs(run_id)]
        assert any("in process" in m.lower() for m in messages), messages[:20]
        assert not any("multiprocess" in m.lower() for m in messages)
        # rmrp run's two runs and the UI's one, in the instance the UI read
        assert sorted(r.job_name for r in instance.get_runs()) == ["cycle_job", "cycle_job", "ingest_job"]


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False
