"""The client of Hearth's REST API (``/api/v1``, docs/rest-api.md), standard library only."""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from .errors import HearthError
from .models import Json, Leaderboard, ModelSummary, SweepStatus
from .progress import ProgressCallback, SweepProgress

DEFAULT_ENDPOINT = "http://127.0.0.1:8780"
"""Where ``hearth up`` listens unless told otherwise."""

ENDPOINT_VARIABLES = ("HEARTH_ENDPOINT_URL", "HEARTH_ENDPOINT", "AWS_ENDPOINT_URL")
"""The environment variables an endpoint is taken from, in order, when none is given."""

Progress = Union[bool, None, ProgressCallback]


def endpoint_from_environment(environment: Optional[Mapping[str, str]] = None) -> str:
    """The first of HEARTH_ENDPOINT_URL, HEARTH_ENDPOINT (what ``bin/hearth`` reads) and AWS_ENDPOINT_URL (as
    ``eval "$(bin/hearth env)"`` sets it) that is set, else :data:`DEFAULT_ENDPOINT`."""
    variables = os.environ if environment is None else environment
    for name in ENDPOINT_VARIABLES:
        value = variables.get(name, "").strip()
        if value:
            return value
    return DEFAULT_ENDPOINT


class HearthClient:
    """Hearth's REST API for programs and notebooks: submit training jobs and sweeps, wait for them, read
    leaderboards and the model registry, resume what did not succeed.

    Example::

        hearth = HearthClient()                     # HEARTH_ENDPOINT_URL, AWS_ENDPOINT_URL or 127.0.0.1:8780
        sweep = hearth.submit_sweep(spec)           # a dict, as in docs/sweeps.md
        sweep = hearth.wait_sweep(sweep.sweep_id)   # a progress bar until it ends
        if sweep.unsuccessful():                    # fix the cause, then
            sweep = hearth.wait_sweep(hearth.resume_sweep(sweep.sweep_id).sweep_id)
        board = hearth.leaderboard(sweep.sweep_id)  # a pandas DataFrame when pandas is installed

    Every method raises :class:`HearthError` when Hearth refuses the request (its status, type and message,
    and the field the message names) or cannot be reached.
    """

    def __init__(self, endpoint_url: Optional[str] = None, timeout: float = 120.0) -> None:
        """``endpoint_url`` is Hearth's address (``http://127.0.0.1:8780``), by default from the environment
        (:func:`endpoint_from_environment`); ``timeout`` bounds each request, in seconds."""
        url = (endpoint_url or endpoint_from_environment()).strip()
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"The endpoint must be an http:// or https:// URL, not {url!r}")
        self._endpoint = url.rstrip("/")
        self._timeout = timeout

    @property
    def endpoint_url(self) -> str:
        return self._endpoint

    def __repr__(self) -> str:
        return f"HearthClient({self._endpoint!r})"

    # ------------------------------------------------------------------ training jobs

    def submit_training_job(self, spec: Mapping[str, Any], cluster_id: Optional[str] = None) -> SweepStatus:
        """Submits one training job (a training spec, docs/training.md) to run on ``cluster_id``, or on the only
        running cluster when None. A training job is a sweep of one task: its id is a sweep id."""
        sweep: Json = {"name": str(spec.get("name") or "training job"), "maxParallel": 1, "base": dict(spec)}
        return self.submit_sweep(sweep, cluster_id)

    def submit_jobs(
        self,
        base: Mapping[str, Any],
        variants: Sequence[Mapping[str, Any]],
        max_parallel: int,
        cluster_id: Optional[str] = None,
    ) -> SweepStatus:
        """Submits one training job per variant, each merged into ``base`` (objects field by field), at most
        ``max_parallel`` running at once, each its own Spark application (``isolation: process``)."""
        sweep: Json = {
            "name": str(base.get("name") or "training jobs"),
            "maxParallel": max_parallel,
            "isolation": "process",
            "base": dict(base),
            "variants": [dict(variant) for variant in variants],
        }
        return self.submit_sweep(sweep, cluster_id)

    def training_job_status(self, job_id: str) -> SweepStatus:
        """The training job with its one task (:meth:`sweep_status` of its id)."""
        return self.sweep_status(job_id)

    def wait_training_job(self, job_id: str, timeout: Optional[float] = None, progress: Progress = True) -> SweepStatus:
        """Waits until the training job has ended; see :meth:`wait_sweep`."""
        return self.wait_sweep(job_id, timeout=timeout, progress=progress)

    # ------------------------------------------------------------------ sweeps

    def submit_sweep(self, spec: Mapping[str, Any], cluster_id: Optional[str] = None) -> SweepStatus:
        """Submits a sweep spec (docs/sweeps.md) to run on ``cluster_id``, or on the only running cluster when None.
        A bad spec raises :class:`HearthError` with status 400 and ``field`` naming what is wrong."""
        body: Json = {"spec": dict(spec)}
        if cluster_id is not None:
            body["clusterId"] = cluster_id
        return SweepStatus.from_json(self._send("POST", "/api/v1/sweeps", body))

    def sweep_status(self, sweep_id: str) -> SweepStatus:
        """The sweep with every task."""
        return SweepStatus.from_json(self._send("GET", "/api/v1/sweeps/" + _segment(sweep_id)))

    def list_sweeps(self) -> List[SweepStatus]:
        """Every sweep, newest first, without their tasks."""
        sweeps = self._send("GET", "/api/v1/sweeps").get("sweeps")
        return [SweepStatus.from_json(s) for s in sweeps if isinstance(s, dict)] if isinstance(sweeps, list) else []

    def wait_sweep(
        self,
        sweep_id: str,
        timeout: Optional[float] = None,
        progress: Progress = True,
        poll_interval: float = 1.0,
    ) -> SweepStatus:
        """Waits until the sweep has ended and returns it with its tasks.

        ``progress``: True shows a progress bar (tqdm.auto, in terminals and Jupyter) or, without tqdm, a line on
        stderr whenever the counts change; False or None shows nothing; a callable is called with each status
        whose counts changed. ``timeout`` (seconds, None for no limit) raises :class:`HearthError` with code
        ``Timeout`` when the sweep is still running after it; the sweep goes on running.
        """
        callback: Optional[Callable[[SweepStatus], None]]
        display: Optional[SweepProgress] = None
        if progress is True:
            display = SweepProgress()
            callback = display.update
        elif callable(progress):
            callback = progress
        else:
            callback = None
        deadline = None if timeout is None else time.monotonic() + timeout
        last: Optional[str] = None
        try:
            while True:
                status = self.sweep_status(sweep_id)
                line = status.progress()
                if line != last and callback is not None:
                    callback(status)
                last = line
                if not status.is_running:
                    return status
                if deadline is not None and time.monotonic() >= deadline:
                    raise HearthError(0, "Timeout", f"Sweep {sweep_id} is still running after {timeout:g} s: {line}")
                time.sleep(poll_interval)
        finally:
            if display is not None:
                display.close()

    def resume_sweep(self, sweep_id: str, spec: Optional[Mapping[str, Any]] = None) -> SweepStatus:
        """Runs again only the tasks that did not succeed, with their specs from ``spec`` when given (the same sweep,
        a mistake fixed). The answer's ``tasks_resumed`` says how many; status 409 while tasks still run."""
        body: Json = {} if spec is None else {"spec": dict(spec)}
        return SweepStatus.from_json(self._send("POST", "/api/v1/sweeps/" + _segment(sweep_id) + "/resume", body))

    def cancel_sweep(self, sweep_id: str) -> SweepStatus:
        """Cancels the pending tasks and stops the running ones."""
        return SweepStatus.from_json(self._send("POST", "/api/v1/sweeps/" + _segment(sweep_id) + "/cancel", {}))

    def leaderboard_details(self, sweep_id: str, metric: Optional[str] = None) -> Leaderboard:
        """The leaderboard as a :class:`Leaderboard`, ranked by ``metric`` (``[validation.|test.]name``) or, when
        None, by the sweep's own metric."""
        query = "" if metric is None else "?" + urllib.parse.urlencode({"metric": metric})
        return Leaderboard.from_json(self._send("GET", "/api/v1/sweeps/" + _segment(sweep_id) + "/leaderboard" + query))

    def leaderboard(self, sweep_id: str, metric: Optional[str] = None, as_dataframe: Optional[bool] = None) -> Any:
        """The leaderboard, best first, one row per task, with the columns of its catalog table (``rank``,
        ``task_id``, ``model``, ``value``, ``test_accuracy``, ..., ``best``, ``model_id``; docs/sweeps.md).

        A pandas DataFrame when pandas can be imported (``attrs`` holds ``sweep_id``, ``metric`` and
        ``higher_is_better``), else a list of dicts. ``as_dataframe`` True asks for a DataFrame (ImportError
        without pandas), False for the list.
        """
        board = self.leaderboard_details(sweep_id, metric)
        rows = board.rows()
        if as_dataframe is False:
            return rows
        try:
            import pandas
        except ImportError:
            if as_dataframe:
                raise ImportError("leaderboard(as_dataframe=True) needs pandas: pip install 'hearth-client[pandas]'")
            return rows
        frame = pandas.DataFrame(rows, columns=list(rows[0]) if rows else _EMPTY_COLUMNS)
        frame.attrs.update(
            {"sweep_id": board.sweep_id, "metric": board.metric, "higher_is_better": board.higher_is_better}
        )
        return frame

    # ------------------------------------------------------------------ model registry

    def list_models(self) -> List[ModelSummary]:
        """Every registered model, newest first, without cards."""
        models = self._send("GET", "/api/v1/models").get("models")
        return [ModelSummary.from_json(m) for m in models if isinstance(m, dict)] if isinstance(models, list) else []

    def get_model(self, model_id: str) -> ModelSummary:
        """One model with its card and registry notes."""
        return ModelSummary.from_json(self._send("GET", "/api/v1/models/" + _segment(model_id)))

    # ------------------------------------------------------------------ HTTP

    def _send(self, method: str, path: str, body: Optional[Json] = None) -> Dict[str, Any]:
        url = self._endpoint + path
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as answer:
            status, content = answer.code, answer.read()
            answer.close()
        except urllib.error.URLError as failure:
            reason = failure.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise HearthError(0, "Timeout", f"{method} {url}: no answer within {self._timeout:g} s") from failure
            raise HearthError(
                0, "Unreachable", f"No Hearth answers at {self._endpoint} (start one with bin/hearth up): {reason}"
            ) from failure
        except (socket.timeout, TimeoutError) as failure:
            raise HearthError(0, "Timeout", f"{method} {url}: no answer within {self._timeout:g} s") from failure
        except OSError as failure:
            raise HearthError(0, "IOError", f"{method} {url} failed: {failure}") from failure
        document = self._parse(status, content, url)
        if status >= 400:
            raise HearthError.from_answer(status, document, f"HTTP {status} from {method} {path}")
        if not isinstance(document, dict):
            raise HearthError(
                status, "NotJson", f"The answer from {url} is not a JSON object (is {self._endpoint} a Hearth?)"
            )
        return document

    def _parse(self, status: int, content: bytes, url: str) -> Any:
        if not content:
            return {}
        try:
            return json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as failure:
            raise HearthError(
                status, "NotJson", f"The answer from {url} is not JSON (is {self._endpoint} a Hearth?): HTTP {status}"
            ) from failure


_EMPTY_COLUMNS = list(
    "rank task_id description label model state attempt value measured_on duration_seconds best model_id "
    "application_id log_location reason".split()
)


def _segment(identifier: str) -> str:
    if not identifier:
        raise ValueError("An id is required")
    return urllib.parse.quote(identifier, safe="")
