"""The search of step_controller.py as one Hearth sweep, with the Python client (hearth_client):
the same 20 logistic regressions on the Iris data (regParam x elasticNetParam), at most 4 at once.

Usage: python3 sweep_with_client.py --cluster-id j-XXXXXXXXXXXXX [--data PATH] [--max-parallel 4]
           [--isolation shared|process] [--summary FILE]

What the controller does by hand, Hearth does here: it runs the tasks at most --max-parallel at a
time, keeps each task's state and metrics, and ranks them; resume_sweep runs again only the tasks
that did not succeed. The client reads Hearth's address from HEARTH_ENDPOINT_URL or AWS_ENDPOINT_URL
(eval "$(bin/hearth env)"). The data path must be readable by the cluster: a local path or s3://.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from hearth_client import HearthClient

REG_PARAMS = [0.0, 0.01, 0.03, 0.1, 0.3]
ELASTIC_NET_PARAMS = [0.0, 0.25, 0.5, 1.0]


def sweep_spec(data: str, max_parallel: int, isolation: str) -> Dict[str, Any]:
    return {
        "name": "iris regularization",
        "isolation": isolation,
        "maxParallel": max_parallel,
        "metric": "accuracy",
        "base": {
            "name": "iris",
            "input": {"path": data, "format": "csv", "options": {"header": "true", "inferSchema": "true"}},
            "label": {"column": "species"},
            "split": {"train": 0.7, "validation": 0.0, "test": 0.3, "seed": 42},
            "model": {"type": "logistic_regression", "params": {"maxIter": 100}},
        },
        "grid": [
            {"model": "logistic_regression", "params": {"regParam": REG_PARAMS, "elasticNetParam": ELASTIC_NET_PARAMS}}
        ],
    }


def main(argv: Optional[List[str]] = None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description="Train 20 logistic regressions on Iris as one Hearth sweep.")
    parser.add_argument("--cluster-id", help="the cluster that runs the sweep (default: the only running one)")
    parser.add_argument(
        "--data", default=str(here.parent / "data" / "iris.csv"), help="iris.csv, a local path or s3://"
    )
    parser.add_argument("--max-parallel", type=int, default=4, help="tasks at once (default: 4)")
    parser.add_argument(
        "--isolation",
        choices=["shared", "process"],
        default="shared",
        help="shared: one Spark application for all tasks (default); process: one step per task",
    )
    parser.add_argument("--summary", type=Path, help="also write the sweep's state and leaderboard to this JSON file")
    args = parser.parse_args(argv)

    hearth = HearthClient()
    sweep = hearth.submit_sweep(sweep_spec(args.data, args.max_parallel, args.isolation), cluster_id=args.cluster_id)
    print(f"sweep {sweep.sweep_id}: {sweep.total} tasks on {sweep.cluster_id}")
    sweep = hearth.wait_sweep(sweep.sweep_id)  # a progress bar in a terminal or in Jupyter
    if sweep.unsuccessful():  # only the tasks that did not succeed run again
        print(f"{len(sweep.unsuccessful())} task(s) did not succeed; resuming them")
        sweep = hearth.wait_sweep(hearth.resume_sweep(sweep.sweep_id).sweep_id)

    board = hearth.leaderboard_details(sweep.sweep_id)
    print(f"\n{'rank':>4} {'task':<10} {board.metric:>9}  what")
    for entry in board.entries:
        value = "" if entry.value is None else f"{entry.value:.4f}"
        print(f"{entry.rank or '':>4} {entry.task_id:<10} {value:>9}  {entry.description or entry.reason or ''}")
    if args.summary:
        args.summary.write_text(
            json.dumps(
                {
                    "sweepId": sweep.sweep_id,
                    "state": sweep.state,
                    "tasks": sweep.total,
                    "leaderboard": [
                        {"rank": e.rank, "taskId": e.task_id, "description": e.description, "value": e.value}
                        for e in board.entries
                    ],
                },
                indent=2,
            )
        )
    return 0 if sweep.state == "COMPLETED" else 1


if __name__ == "__main__":
    sys.exit(main())
