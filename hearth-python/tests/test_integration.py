"""The client against a real Hearth (``$HEARTH_HOME/bin/hearth up``) running real Spark on a one-instance cluster:
a training job, the smallest sweep and its leaderboard, the registry, and refusals naming the field.

Without HEARTH_HOME these tests are skipped, unless HEARTH_REQUIRE_PYTHON_TESTS=true (as in ``mvn verify``): then
they fail.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest
from hearth_process import HearthProcess

from hearth_client import HearthClient, HearthError

pytestmark = pytest.mark.integration

TIMEOUT = 600.0


def training_spec(home: Path, model: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "name": "iris",
        "input": {
            "path": str(home / "examples" / "data" / "iris.csv"),
            "format": "csv",
            "options": {"header": "true", "inferSchema": "true"},
        },
        "label": {"column": "species"},
        "split": {"train": 0.6, "validation": 0.0, "test": 0.4},
        "model": model,
    }


def test_a_training_job_ends_with_a_registered_model(running: Tuple[HearthProcess, str], client: HearthClient) -> None:
    hearth, cluster_id = running
    job = client.submit_training_job(
        training_spec(hearth.home, {"type": "logistic_regression", "params": {"maxIter": 20}})
    )
    assert job.total == 1 and job.cluster_id == cluster_id, "the only running cluster is chosen"
    ended = client.wait_training_job(job.sweep_id, timeout=TIMEOUT, progress=False)
    task = ended.tasks[0]
    assert ended.state == "COMPLETED", f"{ended.state_message} {task.reason} (log: {task.log_location})"
    assert (task.test_metric("accuracy") or 0) > 0.8
    model = client.get_model(task.model_id or "")
    assert model.model_type == "logistic_regression" and model.label == "species"
    assert model.card is not None and "metrics" in model.card
    assert task.model_id in [m.model_id for m in client.list_models()]
    assert client.training_job_status(job.sweep_id).state == "COMPLETED"


def test_a_sweep_waited_for_with_progress_and_its_leaderboard(
    running: Tuple[HearthProcess, str], client: HearthClient
) -> None:
    pandas = pytest.importorskip("pandas")
    hearth, cluster_id = running
    spec = {
        "name": "iris grid",
        "maxParallel": 2,
        "isolation": "shared",
        "base": training_spec(hearth.home, {"type": "logistic_regression"}),
        "grid": [{"model": "logistic_regression", "params": {"maxIter": [5, 30]}}],
    }
    submitted = client.submit_sweep(spec, cluster_id=cluster_id)
    assert submitted.total == 2
    assert submitted.sweep_id in [s.sweep_id for s in client.list_sweeps()]

    seen = []
    ended = client.wait_sweep(submitted.sweep_id, timeout=TIMEOUT, progress=seen.append)
    assert ended.state == "COMPLETED", [(t.task_id, t.reason) for t in ended.tasks]
    assert seen[-1].progress() == f"{submitted.sweep_id} COMPLETED 2/2 succeeded, 0 failed, 0 running, 0 pending"
    assert ended.unsuccessful() == []

    board = client.leaderboard(submitted.sweep_id)
    assert isinstance(board, pandas.DataFrame)
    assert list(board["rank"]) == [1, 2] and board["best"].sum() == 1
    assert board.attrs["metric"] == "accuracy" and board.attrs["higher_is_better"] is True
    assert board.loc[0, "value"] >= board.loc[1, "value"] and board.loc[0, "test_accuracy"] > 0.8
    assert set(board["task_id"]) == {t.task_id for t in ended.tasks}
    assert client.leaderboard(submitted.sweep_id, metric="test.f1").attrs["metric"] == "test.f1"

    with pytest.raises(HearthError) as raised:
        client.leaderboard(submitted.sweep_id, metric="auc")
    assert (raised.value.status, raised.value.field) == (400, "metric")
    assert raised.value.message.startswith("metric: unknown metric 'auc'")

    # The same wait again, with the default progress display, on a sweep that has ended.
    stream = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", stream)
        assert client.wait_sweep(submitted.sweep_id, timeout=TIMEOUT).state == "COMPLETED"


@pytest.mark.parametrize("change, field", [({"metric": "auc"}, "metric"), ({"maxParallel": 0}, "maxParallel")])
def test_a_bad_sweep_spec_is_refused_naming_the_field(
    running: Tuple[HearthProcess, str], client: HearthClient, change: Dict[str, Any], field: str
) -> None:
    hearth, _ = running
    spec = {"name": "bad", "base": training_spec(hearth.home, {"type": "logistic_regression"}), **change}
    with pytest.raises(HearthError) as raised:
        client.submit_sweep(spec)
    assert (raised.value.status, raised.value.code, raised.value.field) == (400, "InvalidArgument", field)


def test_unknown_ids_are_not_found(client: HearthClient) -> None:
    with pytest.raises(HearthError) as raised:
        client.sweep_status("sw-DOESNOTEXIST")
    assert (raised.value.status, raised.value.code) == (404, "NotFound")
    with pytest.raises(HearthError) as raised:
        client.cancel_sweep("sw-DOESNOTEXIST")
    assert raised.value.status == 404
