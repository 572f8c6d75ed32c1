"""Python client of Hearth's REST API: training jobs, sweeps, leaderboards and the model registry.

Example::

    from hearth_client import HearthClient

    hearth = HearthClient("http://127.0.0.1:8780")
    job = hearth.submit_training_job(spec)  # a training spec (docs/training.md) as a dict
    hearth.wait_training_job(job.sweep_id).tasks[0].test_metric("accuracy")
"""

from .client import DEFAULT_ENDPOINT, HearthClient, endpoint_from_environment
from .errors import HearthError
from .models import Leaderboard, LeaderboardEntry, ModelSummary, SweepStatus, TaskStatus
from .progress import SweepProgress

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_ENDPOINT",
    "HearthClient",
    "HearthError",
    "Leaderboard",
    "LeaderboardEntry",
    "ModelSummary",
    "SweepProgress",
    "SweepStatus",
    "TaskStatus",
    "endpoint_from_environment",
]
