"""What Hearth answers, as dataclasses: sweeps and their tasks, leaderboards, registered models.

Each has ``from_json`` (the REST API's camelCase document) and keeps that document as ``raw``, so a field added
to the API later is still at hand before the client names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

Json = Dict[str, Any]


def _text(document: Mapping[str, Any], key: str) -> Optional[str]:
    value = document.get(key)
    return None if value is None else str(value)


def _number(document: Mapping[str, Any], key: str) -> Optional[float]:
    value = document.get(key)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _integer(document: Mapping[str, Any], key: str, default: int = 0) -> int:
    value = document.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _metrics(value: Any) -> Dict[str, float]:
    if not isinstance(value, dict):
        return {}
    return {str(k): float(v) for k, v in value.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


@dataclass(frozen=True)
class TaskStatus:
    """One task of a sweep: its state (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED), what ran it, why it failed,
    its metrics (``{"validation": {...}, "test": {...}}``) and its training spec."""

    task_id: str
    description: Optional[str]
    state: str
    attempt: int
    model_id: Optional[str]
    step_id: Optional[str]
    application_id: Optional[str]
    log_location: Optional[str]
    reason: Optional[str]
    metrics: Optional[Json]
    started_at: Optional[str]
    ended_at: Optional[str]
    duration_seconds: Optional[float]
    spec: Optional[Json]
    raw: Json = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "TaskStatus":
        metrics = document.get("metrics")
        spec = document.get("spec")
        return cls(
            task_id=str(document.get("taskId")),
            description=_text(document, "description"),
            state=str(document.get("state")),
            attempt=_integer(document, "attempt"),
            model_id=_text(document, "modelId"),
            step_id=_text(document, "stepId"),
            application_id=_text(document, "applicationId"),
            log_location=_text(document, "logLocation"),
            reason=_text(document, "reason"),
            metrics=metrics if isinstance(metrics, dict) else None,
            started_at=_text(document, "startedAt"),
            ended_at=_text(document, "endedAt"),
            duration_seconds=_number(document, "durationSeconds"),
            spec=spec if isinstance(spec, dict) else None,
            raw=dict(document),
        )

    @property
    def succeeded(self) -> bool:
        return self.state == "SUCCEEDED"

    def test_metric(self, name: str) -> Optional[float]:
        """A test metric by name (``accuracy``, ``auc_roc``, ``rmse``, ...), or None."""
        return _metrics((self.metrics or {}).get("test")).get(name)


@dataclass(frozen=True)
class SweepStatus:
    """A sweep (or a training job, a sweep of one task) as Hearth reports it: RUNNING until every task has ended,
    then COMPLETED (all succeeded), FAILED (some failed) or CANCELLED. ``tasks`` is empty in lists;
    ``tasks_resumed`` is set only in the answer to a resume."""

    sweep_id: str
    name: Optional[str]
    cluster_id: Optional[str]
    isolation: Optional[str]
    max_parallel: int
    on_failure: Optional[str]
    metric: Optional[str]
    state: str
    state_message: Optional[str]
    created_at: Optional[str]
    ended_at: Optional[str]
    task_counts: Dict[str, int]
    tasks: List[TaskStatus]
    tasks_resumed: Optional[int] = None
    raw: Json = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "SweepStatus":
        counts = document.get("taskCounts")
        tasks = document.get("tasks")
        resumed = document.get("tasksResumed")
        return cls(
            sweep_id=str(document.get("sweepId")),
            name=_text(document, "name"),
            cluster_id=_text(document, "clusterId"),
            isolation=_text(document, "isolation"),
            max_parallel=_integer(document, "maxParallel"),
            on_failure=_text(document, "onFailure"),
            metric=_text(document, "metric"),
            state=str(document.get("state")),
            state_message=_text(document, "stateMessage"),
            created_at=_text(document, "createdAt"),
            ended_at=_text(document, "endedAt"),
            task_counts={str(k): int(v) for k, v in counts.items()} if isinstance(counts, dict) else {},
            tasks=(
                [TaskStatus.from_json(task) for task in tasks if isinstance(task, dict)]
                if isinstance(tasks, list)
                else []
            ),
            tasks_resumed=resumed if isinstance(resumed, int) else None,
            raw=dict(document),
        )

    @property
    def is_running(self) -> bool:
        return self.state == "RUNNING"

    def count(self, task_state: str) -> int:
        """How many tasks are in ``task_state`` (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED)."""
        return self.task_counts.get(task_state, 0)

    @property
    def total(self) -> int:
        return self.task_counts.get("total", len(self.tasks))

    @property
    def finished(self) -> int:
        """How many tasks have ended, whichever way."""
        return self.count("SUCCEEDED") + self.count("FAILED") + self.count("CANCELLED")

    def unsuccessful(self) -> List[TaskStatus]:
        """The tasks that did not succeed: what a resume runs again."""
        return [task for task in self.tasks if not task.succeeded]

    def progress(self) -> str:
        """One line for people: ``sw-... RUNNING 3/10 succeeded, 1 failed, 2 running, 4 pending``."""
        cancelled = self.count("CANCELLED")
        return (
            f"{self.sweep_id} {self.state} {self.count('SUCCEEDED')}/{self.total} succeeded, {self.count('FAILED')} failed, "
            f"{self.count('RUNNING')} running, {self.count('PENDING')} pending"
            + (f", {cancelled} cancelled" if cancelled else "")
        )


@dataclass(frozen=True)
class LeaderboardEntry:
    """One task's line of a leaderboard; ``best`` marks the best model of its label (the one the registry marks)."""

    rank: Optional[int]
    task_id: str
    description: Optional[str]
    label: Optional[str]
    model: Optional[str]
    state: Optional[str]
    attempt: int
    value: Optional[float]
    measured_on: Optional[str]
    validation: Dict[str, float]
    test: Dict[str, float]
    duration_seconds: Optional[float]
    model_id: Optional[str]
    application_id: Optional[str]
    log_location: Optional[str]
    reason: Optional[str]
    best: bool
    raw: Json = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "LeaderboardEntry":
        rank = document.get("rank")
        return cls(
            rank=rank if isinstance(rank, int) and not isinstance(rank, bool) else None,
            task_id=str(document.get("taskId")),
            description=_text(document, "description"),
            label=_text(document, "label"),
            model=_text(document, "model"),
            state=_text(document, "state"),
            attempt=_integer(document, "attempt"),
            value=_number(document, "value"),
            measured_on=_text(document, "measuredOn"),
            validation=_metrics(document.get("validation")),
            test=_metrics(document.get("test")),
            duration_seconds=_number(document, "durationSeconds"),
            model_id=_text(document, "modelId"),
            application_id=_text(document, "applicationId"),
            log_location=_text(document, "logLocation"),
            reason=_text(document, "reason"),
            best=document.get("best") is True,
            raw=dict(document),
        )

    def as_row(self) -> Dict[str, Any]:
        """A flat row, named as the leaderboard's catalog table names its columns (``task_id``, ``test_accuracy``)."""
        row: Dict[str, Any] = {
            "rank": self.rank,
            "task_id": self.task_id,
            "description": self.description,
            "label": self.label,
            "model": self.model,
            "state": self.state,
            "attempt": self.attempt,
            "value": self.value,
            "measured_on": self.measured_on,
        }
        row.update({f"validation_{name}": value for name, value in self.validation.items()})
        row.update({f"test_{name}": value for name, value in self.test.items()})
        row.update(
            {
                "duration_seconds": self.duration_seconds,
                "best": self.best,
                "model_id": self.model_id,
                "application_id": self.application_id,
                "log_location": self.log_location,
                "reason": self.reason,
            }
        )
        return row


@dataclass(frozen=True)
class Leaderboard:
    """A sweep's tasks best first by ``metric`` (``[validation.|test.]name``); tasks that did not succeed come last,
    unranked."""

    sweep_id: str
    metric: Optional[str]
    higher_is_better: bool
    entries: List[LeaderboardEntry]
    raw: Json = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "Leaderboard":
        entries = document.get("entries")
        return cls(
            sweep_id=str(document.get("sweepId")),
            metric=_text(document, "metric"),
            higher_is_better=document.get("higherIsBetter") is True,
            entries=(
                [LeaderboardEntry.from_json(e) for e in entries if isinstance(e, dict)]
                if isinstance(entries, list)
                else []
            ),
            raw=dict(document),
        )

    def best(self) -> List[LeaderboardEntry]:
        """The best entry of each label, in rank order."""
        return [entry for entry in self.entries if entry.best]

    def rows(self) -> List[Dict[str, Any]]:
        """Every entry as a flat row (:meth:`LeaderboardEntry.as_row`); the metric columns are those of any entry."""
        rows = [entry.as_row() for entry in self.entries]
        columns: List[str] = []
        for row in rows:
            columns.extend(name for name in row if name not in columns)
        return [{name: row.get(name) for name in columns} for row in rows]


@dataclass(frozen=True)
class ModelSummary:
    """A model in the registry. ``card`` (the model card: spec, data fingerprint, metrics, timings, Spark version)
    and ``registry`` (what a sweep noted: rank, best) come with a single model only."""

    model_id: str
    name: Optional[str]
    model_type: Optional[str]
    task: Optional[str]
    label: Optional[str]
    created_at: Optional[str]
    test_metrics: Dict[str, float]
    sweep_id: Optional[str]
    best: bool
    card: Optional[Json] = None
    registry: Optional[Json] = None
    raw: Json = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "ModelSummary":
        card = document.get("card")
        registry = document.get("registry")
        return cls(
            model_id=str(document.get("modelId")),
            name=_text(document, "name"),
            model_type=_text(document, "modelType"),
            task=_text(document, "task"),
            label=_text(document, "label"),
            created_at=_text(document, "createdAt"),
            test_metrics=_metrics(document.get("testMetrics")),
            sweep_id=_text(document, "sweepId"),
            best=document.get("best") is True,
            card=card if isinstance(card, dict) else None,
            registry=registry if isinstance(registry, dict) else None,
            raw=dict(document),
        )
