"""The client against a fake REST API: requests sent, answers parsed, errors mapped."""

from __future__ import annotations

import io
import socket
from typing import List

import pytest
from fake_hearth import FakeHearth, error

from hearth_client import HearthClient, HearthError, SweepProgress, SweepStatus, endpoint_from_environment

TASK = {
    "taskId": "t-001",
    "description": "logistic_regression maxIter=50",
    "state": "SUCCEEDED",
    "attempt": 1,
    "modelId": "m-sw-1-t-001-a1",
    "stepId": "s-1",
    "applicationId": "local-1",
    "logLocation": "/logs/s-1",
    "reason": None,
    "metrics": {"validation": {}, "test": {"accuracy": 0.95, "f1": 0.94}},
    "startedAt": "2026-11-21T10:00:00Z",
    "endedAt": "2026-11-21T10:00:14Z",
    "durationSeconds": 14.2,
    "spec": {"a": 1},
}


def sweep(state: str = "RUNNING", succeeded: int = 0, running: int = 1, pending: int = 1, failed: int = 0) -> dict:
    total = succeeded + running + pending + failed
    return {
        "sweepId": "sw-1",
        "name": "iris grid",
        "clusterId": "j-1",
        "isolation": "shared",
        "maxParallel": 2,
        "onFailure": "continue",
        "metric": None,
        "state": state,
        "stateMessage": None,
        "createdAt": "2026-11-21T10:00:00Z",
        "endedAt": None,
        "taskCounts": {
            "PENDING": pending,
            "RUNNING": running,
            "SUCCEEDED": succeeded,
            "FAILED": failed,
            "CANCELLED": 0,
            "total": total,
        },
        "tasks": [TASK] * succeeded,
    }


LEADERBOARD = {
    "sweepId": "sw-1",
    "metric": "accuracy",
    "higherIsBetter": True,
    "entries": [
        {
            "rank": 1,
            "taskId": "t-002",
            "label": "species",
            "model": "random_forest",
            "state": "SUCCEEDED",
            "attempt": 1,
            "value": 0.97,
            "measuredOn": "test",
            "validation": {},
            "test": {"accuracy": 0.97, "f1": 0.96},
            "durationSeconds": 9.5,
            "modelId": "m-2",
            "best": True,
        },
        {
            "rank": None,
            "taskId": "t-003",
            "label": "species",
            "model": "random_forest",
            "state": "FAILED",
            "attempt": 1,
            "value": None,
            "validation": {},
            "test": {},
            "reason": "model.params.numTrees: 0 is not a valid value",
            "best": False,
        },
    ],
}


def test_submit_sweep_sends_the_spec_and_parses_the_sweep(fake: FakeHearth) -> None:
    fake.answer("POST", "/api/v1/sweeps", (201, sweep(succeeded=1)))
    status = HearthClient(fake.url).submit_sweep({"name": "iris grid", "base": {}}, cluster_id="j-1")
    assert fake.requests[0]["body"] == {"spec": {"name": "iris grid", "base": {}}, "clusterId": "j-1"}
    assert fake.requests[0]["headers"]["Content-Type"] == "application/json"
    assert isinstance(status, SweepStatus)
    assert (status.sweep_id, status.cluster_id, status.max_parallel, status.total) == ("sw-1", "j-1", 2, 3)
    assert status.is_running and status.count("PENDING") == 1 and status.finished == 1
    task = status.tasks[0]
    assert (task.task_id, task.attempt, task.duration_seconds, task.succeeded) == ("t-001", 1, 14.2, True)
    assert task.test_metric("accuracy") == 0.95 and task.test_metric("auc_roc") is None
    assert status.progress() == "sw-1 RUNNING 1/3 succeeded, 0 failed, 1 running, 1 pending"


def test_a_training_job_is_a_sweep_of_its_spec(fake: FakeHearth) -> None:
    fake.answer("POST", "/api/v1/sweeps", (201, sweep()))
    HearthClient(fake.url).submit_training_job({"name": "iris", "model": {"type": "random_forest"}})
    assert fake.requests[0]["body"] == {
        "spec": {"name": "iris", "maxParallel": 1, "base": {"name": "iris", "model": {"type": "random_forest"}}}
    }


def test_submit_jobs_runs_each_variant_in_its_own_application(fake: FakeHearth) -> None:
    fake.answer("POST", "/api/v1/sweeps", (201, sweep()))
    HearthClient(fake.url).submit_jobs({"model": {"type": "gbt"}}, [{"seed": 1}, {"seed": 2}], max_parallel=4)
    spec = fake.requests[0]["body"]["spec"]
    assert (spec["isolation"], spec["maxParallel"], spec["variants"]) == ("process", 4, [{"seed": 1}, {"seed": 2}])


def test_a_bad_spec_raises_hearth_error_naming_the_field(fake: FakeHearth) -> None:
    fake.answer(
        "POST", "/api/v1/sweeps", error(400, "InvalidArgument", "metric: unknown metric 'auc'; known: accuracy")
    )
    with pytest.raises(HearthError) as raised:
        HearthClient(fake.url).submit_sweep({"metric": "auc"})
    e = raised.value
    assert (e.status, e.code, e.field, e.request_id) == (400, "InvalidArgument", "metric", "3f2c")
    assert str(e) == e.message == "metric: unknown metric 'auc'; known: accuracy"


@pytest.mark.parametrize(
    "message, field",
    [
        ("model.params.numTrees: 0 is not a valid value (1..1000)", "model.params.numTrees"),
        ("grid[1].params.maxIter: must be a list", "grid[1].params.maxIter"),
        ("Cluster id 'j-X' is not valid.", None),
        ("Hearth failed to process this request (request id 3f): boom", None),
    ],
)
def test_the_field_is_what_the_message_names_first(fake: FakeHearth, message: str, field: str) -> None:
    fake.answer("GET", "/api/v1/sweeps/sw-1", error(400, "InvalidArgument", message))
    with pytest.raises(HearthError) as raised:
        HearthClient(fake.url).sweep_status("sw-1")
    assert raised.value.field == field


@pytest.mark.parametrize("status, kind", [(404, "NotFound"), (409, "InvalidState"), (500, "InternalError")])
def test_every_status_keeps_its_type(fake: FakeHearth, status: int, kind: str) -> None:
    fake.answer("POST", "/api/v1/sweeps/sw-1/resume", error(status, kind, "no"))
    with pytest.raises(HearthError) as raised:
        HearthClient(fake.url).resume_sweep("sw-1")
    assert (raised.value.status, raised.value.code) == (status, kind)


def test_an_error_without_hearths_body_still_says_what_failed(fake: FakeHearth) -> None:
    fake.answer("GET", "/api/v1/models", (502, b""))
    with pytest.raises(HearthError) as raised:
        HearthClient(fake.url).list_models()
    assert (raised.value.status, raised.value.code, raised.value.message) == (
        502,
        "HttpError",
        "HTTP 502 from GET /api/v1/models",
    )


def test_an_answer_that_is_not_json_is_named(fake: FakeHearth) -> None:
    fake.answer("GET", "/api/v1/sweeps", (200, b"<html>a proxy</html>"))
    with pytest.raises(HearthError) as raised:
        HearthClient(fake.url).list_sweeps()
    assert raised.value.code == "NotJson" and fake.url in raised.value.message


def test_no_hearth_at_the_url_says_which_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(HearthError) as raised:
        HearthClient(url).list_sweeps()
    assert (raised.value.status, raised.value.code) == (0, "Unreachable")
    assert raised.value.message.startswith(f"No Hearth answers at {url} ")


def test_ids_are_one_path_segment(fake: FakeHearth) -> None:
    fake.answer("GET", "/api/v1/models/..%2Fetc", error(400, "InvalidArgument", "modelId: not a model id"))
    with pytest.raises(HearthError) as raised:
        HearthClient(fake.url).get_model("../etc")
    assert raised.value.field == "modelId"


def test_models_are_listed_and_one_comes_with_its_card(fake: FakeHearth) -> None:
    model = {
        "modelId": "m-1",
        "name": "iris",
        "modelType": "random_forest",
        "task": "multiclass",
        "label": "species",
        "createdAt": "2026-11-21T10:00:00Z",
        "testMetrics": {"accuracy": 0.97},
        "sweepId": "sw-1",
        "best": True,
    }
    fake.answer("GET", "/api/v1/models", (200, {"models": [model]}))
    fake.answer("GET", "/api/v1/models/m-1", (200, {**model, "card": {"metrics": {}}, "registry": {"rank": 1}}))
    client = HearthClient(fake.url)
    [listed] = client.list_models()
    assert (listed.model_id, listed.best, listed.test_metrics, listed.card) == ("m-1", True, {"accuracy": 0.97}, None)
    one = client.get_model("m-1")
    assert one.card == {"metrics": {}} and one.registry == {"rank": 1}


def test_wait_polls_until_the_sweep_ends_and_reports_each_change(fake: FakeHearth) -> None:
    fake.answer(
        "GET",
        "/api/v1/sweeps/sw-1",
        (200, sweep()),
        (200, sweep()),
        (200, sweep(succeeded=1, running=1, pending=0)),
        (200, sweep("COMPLETED", succeeded=2, running=0, pending=0)),
    )
    seen: List[str] = []
    ended = HearthClient(fake.url).wait_sweep("sw-1", progress=lambda s: seen.append(s.progress()), poll_interval=0.01)
    assert ended.state == "COMPLETED" and len(fake.requests) == 4
    assert seen == [
        "sw-1 RUNNING 0/2 succeeded, 0 failed, 1 running, 1 pending",
        "sw-1 RUNNING 1/2 succeeded, 0 failed, 1 running, 0 pending",
        "sw-1 COMPLETED 2/2 succeeded, 0 failed, 0 running, 0 pending",
    ]


def test_wait_gives_up_after_its_timeout(fake: FakeHearth) -> None:
    fake.answer("GET", "/api/v1/sweeps/sw-1", (200, sweep()))
    with pytest.raises(HearthError) as raised:
        HearthClient(fake.url).wait_sweep("sw-1", timeout=0.05, progress=False, poll_interval=0.01)
    assert raised.value.code == "Timeout" and "sw-1 RUNNING" in raised.value.message


def test_progress_without_tqdm_is_a_line_per_change() -> None:
    stream = io.StringIO()
    display = SweepProgress(stream=stream, use_tqdm=False)
    display.update(SweepStatus.from_json(sweep()))
    display.close()
    assert stream.getvalue().endswith("] sw-1 RUNNING 0/2 succeeded, 0 failed, 1 running, 1 pending\n")


def test_progress_with_tqdm_is_a_bar_of_ended_tasks() -> None:
    pytest.importorskip("tqdm")
    stream = io.StringIO()
    display = SweepProgress(stream=stream, use_tqdm=True)
    display.update(SweepStatus.from_json(sweep(succeeded=1, running=1, pending=0)))
    display.update(SweepStatus.from_json(sweep("COMPLETED", succeeded=2, running=0, pending=0)))
    display.close()
    assert "2/2" in stream.getvalue() and "COMPLETED" in stream.getvalue()


def test_the_leaderboard_is_a_dataframe_with_the_catalog_tables_columns(fake: FakeHearth) -> None:
    pandas = pytest.importorskip("pandas")
    fake.answer("GET", "/api/v1/sweeps/sw-1/leaderboard?metric=test.f1", (200, LEADERBOARD))
    frame = HearthClient(fake.url).leaderboard("sw-1", metric="test.f1")
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["task_id"]) == ["t-002", "t-003"]
    assert frame.loc[0, "test_accuracy"] == 0.97 and bool(frame.loc[0, "best"])
    assert pandas.isna(frame.loc[1, "rank"]) and frame.loc[1, "reason"].startswith("model.params.numTrees")
    assert frame.attrs == {"sweep_id": "sw-1", "metric": "accuracy", "higher_is_better": True}


def test_the_leaderboard_as_rows_and_as_a_dataclass(fake: FakeHearth) -> None:
    fake.answer("GET", "/api/v1/sweeps/sw-1/leaderboard", (200, LEADERBOARD))
    client = HearthClient(fake.url)
    rows = client.leaderboard("sw-1", as_dataframe=False)
    assert [row["rank"] for row in rows] == [1, None]
    assert set(rows[0]) == set(rows[1]), "every row has every column"
    board = client.leaderboard_details("sw-1")
    assert board.metric == "accuracy" and board.higher_is_better
    assert [entry.task_id for entry in board.best()] == ["t-002"]


def test_the_endpoint_comes_from_the_environment_in_order() -> None:
    assert endpoint_from_environment({}) == "http://127.0.0.1:8780"
    assert endpoint_from_environment({"AWS_ENDPOINT_URL": "http://a:1"}) == "http://a:1"
    assert (
        endpoint_from_environment({"AWS_ENDPOINT_URL": "http://a:1", "HEARTH_ENDPOINT": "http://b:2"}) == "http://b:2"
    )
    both = {"HEARTH_ENDPOINT_URL": " http://c:3 ", "HEARTH_ENDPOINT": "http://b:2"}
    assert endpoint_from_environment(both) == "http://c:3"


def test_the_endpoint_loses_a_trailing_slash_and_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTH_ENDPOINT_URL", "http://127.0.0.1:9999/")
    assert HearthClient().endpoint_url == "http://127.0.0.1:9999"
    with pytest.raises(ValueError):
        HearthClient("127.0.0.1:8780")
