"""The distribution's controller examples (examples/pyspark) run as a user runs them, against the session's real
Hearth and its one-instance cluster: step_controller.py with boto3 and the machine's python3 (the way EMR users
script), then the same search as a sweep with sweep_with_client.py and the client.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from hearth_process import HearthProcess

pytestmark = pytest.mark.integration

TIMEOUT = 1200.0
# 6 of the controller's 20 runs keep CI short: every run is a PySpark application of its own (all 20 with 3
# simulated failures took 365 s on two cores, the sweep of all 20 46 s). The sweep test trains all 20.
RUNS = 6
SIMULATED_FAILURES = 2


def boto3_python() -> str:
    """The python3 on the PATH, which must have boto3 (CI requires it: HEARTH_REQUIRE_AWS_CLIENTS=true)."""
    python = shutil.which("python3")
    if python and subprocess.run([python, "-c", "import boto3"], capture_output=True).returncode == 0:
        return python
    if os.environ.get("HEARTH_REQUIRE_AWS_CLIENTS", "").strip().lower() == "true":
        pytest.fail(f"HEARTH_REQUIRE_AWS_CLIENTS=true but python3 on the PATH ({python}) cannot import boto3")
    pytest.skip("no python3 with boto3 on the PATH")


def example(hearth: HearthProcess, name: str) -> str:
    return str(hearth.home / "examples" / "pyspark" / name)


def run_example(command: List[str], environment: Dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command, env={**os.environ, **environment}, cwd=str(cwd), capture_output=True, text=True, timeout=TIMEOUT
    )
    assert (
        result.returncode == 0
    ), f"{command[1]} exited {result.returncode}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def list_steps(hearth: HearthProcess, cluster_id: str) -> List[Dict[str, Any]]:
    steps: List[Dict[str, Any]] = []
    body: Dict[str, Any] = {"ClusterId": cluster_id}
    while True:
        page = hearth.emr("ListSteps", body)
        steps += page.get("Steps", [])
        if not page.get("Marker"):
            return steps
        body["Marker"] = page["Marker"]


def seconds(timestamp: Any) -> float:
    """An EMR timestamp as the JSON protocol sends it: epoch seconds, or ISO 8601."""
    if isinstance(timestamp, (int, float)):
        return float(timestamp)
    return datetime.fromisoformat(str(timestamp).replace("Z", "+00:00")).timestamp()


def most_at_once(intervals: List[Tuple[float, float]]) -> int:
    """The largest number of intervals that hold one instant (an interval ending when another starts does not count)."""
    return max(sum(1 for start, end in intervals if start <= instant < end) for instant, _ in intervals)


def test_the_boto3_controller_trains_at_most_4_at_once_and_resubmits_only_the_failures(
    running: Tuple[HearthProcess, str], tmp_path: Path
) -> None:
    hearth, cluster_id = running
    summary_file = tmp_path / "controller.json"
    aws = {
        "AWS_ENDPOINT_URL": hearth.endpoint,
        "AWS_ACCESS_KEY_ID": "hearth",
        "AWS_SECRET_ACCESS_KEY": "hearth",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    command = [
        boto3_python(),
        example(hearth, "step_controller.py"),
        "--cluster-id",
        cluster_id,
        "--bucket",
        "controller",
        "--runs",
        str(RUNS),
        "--simulate-failures",
        str(SIMULATED_FAILURES),
        "--summary",
        str(summary_file),
    ]
    result = run_example(command, aws, tmp_path)
    assert "re-submitted: " in result.stdout

    runs = json.loads(summary_file.read_text())["runs"]
    assert len(runs) == RUNS and all(run["metrics"] is not None for run in runs)
    simulated = sorted(run["name"] for run in runs if run["fail_first_attempt"])
    assert len(simulated) == SIMULATED_FAILURES
    assert sorted(run["name"] for run in runs if len(run["step_ids"]) > 1) == simulated, "only the failures run again"
    for run in runs:
        assert len(run["step_ids"]) == (2 if run["fail_first_attempt"] else 1)
        if run["fail_first_attempt"]:
            assert run["failures"] and "simulated transient failure in run " + run["name"] in run["failures"][0]
        assert 0.0 <= run["metrics"]["accuracy"] <= 1.0 and run["metrics"]["testRows"] > 0
        assert (run["metrics"]["regParam"], run["metrics"]["run"]) == (run["reg_param"], run["name"])
    assert max(run["metrics"]["accuracy"] for run in runs) >= 0.9

    # The cluster's own record of those steps: one per attempt, and never more than 4 running at once.
    steps = [step for step in list_steps(hearth, cluster_id) if step["Name"].startswith("train r")]
    assert len(steps) == RUNS + SIMULATED_FAILURES
    states = sorted(step["Status"]["State"] for step in steps)
    assert states == ["COMPLETED"] * RUNS + ["FAILED"] * SIMULATED_FAILURES
    intervals = [
        (seconds(step["Status"]["Timeline"]["StartDateTime"]), seconds(step["Status"]["Timeline"]["EndDateTime"]))
        for step in steps
    ]
    assert 2 <= most_at_once(intervals) <= 4, intervals


def test_the_same_search_as_one_sweep_with_the_client(running: Tuple[HearthProcess, str], tmp_path: Path) -> None:
    hearth, cluster_id = running
    summary_file = tmp_path / "sweep.json"
    command = [
        sys.executable,
        example(hearth, "sweep_with_client.py"),
        "--cluster-id",
        cluster_id,
        "--summary",
        str(summary_file),
    ]
    result = run_example(command, {"HEARTH_ENDPOINT_URL": hearth.endpoint}, tmp_path)

    summary = json.loads(summary_file.read_text())
    assert (summary["state"], summary["tasks"]) == ("COMPLETED", 20), result.stdout
    board = summary["leaderboard"]
    assert [entry["rank"] for entry in board] == list(range(1, 21))
    values = [entry["value"] for entry in board]
    assert values == sorted(values, reverse=True) and values[0] >= 0.9
    assert summary["sweepId"] in result.stdout and board[0]["taskId"] in result.stdout
