"""A hyperparameter search written the way many EMR users write it: boto3 only, one PySpark step
per model. It uploads train_iris.py and the Iris data to S3, submits one step per combination of
regParam and elasticNetParam with at most --max-running steps on the cluster at once, waits, reads
each run's metric from S3, re-submits only the runs that failed, and prints the runs best first.

Usage: python3 step_controller.py --cluster-id j-XXXXXXXXXXXXX --bucket BUCKET [--runs 20]
           [--max-running 4] [--max-attempts 2] [--simulate-failures 3] [--summary FILE]

It needs nothing but boto3 and the standard library: AWS_ENDPOINT_URL and the credentials come from
the environment (eval "$(bin/hearth env)"), exactly as against EMR. --simulate-failures makes that
many runs fail on their first attempt (train_iris.py --simulate-failure), to show the re-submission.
It exits 1 when a run still failed after --max-attempts. sweep_with_client.py does the same search
as one Hearth sweep.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import boto3

REG_PARAMS = [0.0, 0.01, 0.03, 0.1, 0.3]
ELASTIC_NET_PARAMS = [0.0, 0.25, 0.5, 1.0]
ENDED = {"COMPLETED", "FAILED", "CANCELLED", "INTERRUPTED"}


@dataclass
class Run:
    """One model to train; every attempt is a step of its own."""

    name: str
    reg_param: float
    elastic_net_param: float
    fail_first_attempt: bool = False
    step_ids: List[str] = field(default_factory=list)
    failures: List[str] = field(default_factory=list)
    metrics: Optional[Dict[str, Any]] = None


def parse_arguments(argv: Optional[List[str]] = None) -> argparse.Namespace:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(
        description="Train one PySpark step per hyperparameter combination, at most N at once."
    )
    parser.add_argument("--cluster-id", required=True, help="the cluster that runs the steps (j-...)")
    parser.add_argument(
        "--bucket", required=True, help="S3 bucket for the script, the data and the metrics (created if missing)"
    )
    parser.add_argument(
        "--prefix", default="step-controller", help="key prefix inside the bucket (default: step-controller)"
    )
    parser.add_argument("--runs", type=int, default=20, help="how many combinations to train, at most 20 (default: 20)")
    parser.add_argument("--max-running", type=int, default=4, help="steps on the cluster at once (default: 4)")
    parser.add_argument("--max-attempts", type=int, default=2, help="attempts per run, the first included (default: 2)")
    parser.add_argument(
        "--simulate-failures", type=int, default=0, help="runs whose first attempt fails on purpose (default: 0)"
    )
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between status checks (default: 2)")
    parser.add_argument("--script", type=Path, default=here / "train_iris.py", help="the training script")
    parser.add_argument("--data", type=Path, default=here.parent / "data" / "iris.csv", help="the training data")
    parser.add_argument("--summary", type=Path, help="also write the runs and their steps to this JSON file")
    args = parser.parse_args(argv)
    combinations = len(REG_PARAMS) * len(ELASTIC_NET_PARAMS)
    if not 1 <= args.runs <= combinations:
        parser.error(f"--runs must be between 1 and {combinations}, not {args.runs}")
    if args.max_running < 1 or args.max_attempts < 1:
        parser.error("--max-running and --max-attempts must be at least 1")
    if not 0 <= args.simulate_failures <= args.runs:
        parser.error(f"--simulate-failures must be between 0 and --runs ({args.runs}), not {args.simulate_failures}")
    return args


def plan_runs(count: int, simulated_failures: int) -> List[Run]:
    """The first ``count`` combinations; the simulated failures spread evenly over them."""
    grid = list(itertools.product(REG_PARAMS, ELASTIC_NET_PARAMS))[:count]
    failing = (
        {round(i * count / simulated_failures) for i in range(simulated_failures)} if simulated_failures else set()
    )
    return [Run(f"r{i:02d}", reg, mix, i in failing) for i, (reg, mix) in enumerate(grid)]


class StepController:
    """Keeps at most ``max_running`` steps in flight on one cluster until every run has a metric or no attempts left."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.emr = boto3.client("emr")
        self.s3 = boto3.client("s3")
        self.base = f"s3://{args.bucket}/{args.prefix}"

    def upload_inputs(self) -> None:
        try:
            self.s3.head_bucket(Bucket=self.args.bucket)
        except self.s3.exceptions.ClientError:
            self.s3.create_bucket(Bucket=self.args.bucket)
        self.s3.upload_file(str(self.args.script), self.args.bucket, f"{self.args.prefix}/code/{self.args.script.name}")
        self.s3.upload_file(str(self.args.data), self.args.bucket, f"{self.args.prefix}/data/{self.args.data.name}")

    def allow_concurrent_steps(self) -> None:
        """The cluster runs steps one at a time unless its StepConcurrencyLevel says otherwise."""
        level = self.emr.describe_cluster(ClusterId=self.args.cluster_id)["Cluster"].get("StepConcurrencyLevel", 1)
        if level < self.args.max_running:
            self.emr.modify_cluster(ClusterId=self.args.cluster_id, StepConcurrencyLevel=self.args.max_running)
            print(f"StepConcurrencyLevel of {self.args.cluster_id}: {level} -> {self.args.max_running}")

    def submit(self, run: Run) -> str:
        attempt = len(run.step_ids) + 1
        arguments = [
            "spark-submit",
            f"{self.base}/code/{self.args.script.name}",
            f"{self.base}/data/{self.args.data.name}",
            f"{self.base}/metrics/{run.name}",
            "--reg-param",
            str(run.reg_param),
            "--elastic-net-param",
            str(run.elastic_net_param),
            "--run",
            run.name,
        ]
        if run.fail_first_attempt and attempt == 1:
            arguments.append("--simulate-failure")
        step = {
            "Name": f"train {run.name} attempt {attempt}",
            "ActionOnFailure": "CONTINUE",
            "HadoopJarStep": {"Jar": "command-runner.jar", "Args": arguments},
        }
        step_id: str = self.emr.add_job_flow_steps(JobFlowId=self.args.cluster_id, Steps=[step])["StepIds"][0]
        run.step_ids.append(step_id)
        params = f"regParam={run.reg_param}, elasticNetParam={run.elastic_net_param}"
        print(f"{run.name} attempt {attempt}: submitted {step_id} ({params})")
        return step_id

    def read_metrics(self, run: Run) -> Dict[str, Any]:
        prefix = f"{self.args.prefix}/metrics/{run.name}/"
        listing = self.s3.list_objects_v2(Bucket=self.args.bucket, Prefix=prefix)
        parts = [o["Key"] for o in listing.get("Contents", []) if o["Key"].rsplit("/", 1)[-1].startswith("part-")]
        if not parts:
            raise RuntimeError(
                f"{run.name}: its step succeeded but wrote no metrics under s3://{self.args.bucket}/{prefix}"
            )
        body = self.s3.get_object(Bucket=self.args.bucket, Key=parts[0])["Body"].read().decode()
        metrics: Dict[str, Any] = json.loads(body.splitlines()[0])
        return metrics

    def step_states(self, step_ids: List[str]) -> Dict[str, Dict[str, Any]]:
        states: Dict[str, Dict[str, Any]] = {}
        for page in self.emr.get_paginator("list_steps").paginate(ClusterId=self.args.cluster_id, StepIds=step_ids):
            for step in page["Steps"]:
                states[step["Id"]] = step["Status"]
        return states

    def run_all(self, runs: List[Run]) -> None:
        waiting = list(runs)
        in_flight: Dict[str, Run] = {}
        while waiting or in_flight:
            while waiting and len(in_flight) < self.args.max_running:
                run = waiting.pop(0)
                in_flight[self.submit(run)] = run
            time.sleep(self.args.poll)
            for step_id, status in self.step_states(list(in_flight)).items():
                if status["State"] not in ENDED:
                    continue
                run = in_flight.pop(step_id)
                if status["State"] == "COMPLETED":
                    run.metrics = self.read_metrics(run)
                    print(f"{run.name}: accuracy {run.metrics['accuracy']:.4f} ({step_id})")
                    continue
                reason = (status.get("FailureDetails") or {}).get("Message") or status["State"]
                run.failures.append(reason)
                retry = len(run.step_ids) < self.args.max_attempts
                print(
                    f"{run.name}: {status['State']} ({step_id}): {reason}"
                    + ("; re-submitting" if retry else "; no attempts left")
                )
                if retry:
                    waiting.append(run)
            done = sum(1 for r in runs if r.metrics is not None)
            print(f"  {len(in_flight)} running, {len(waiting)} waiting, {done}/{len(runs)} done", flush=True)


def report(runs: List[Run]) -> None:
    print()
    print(f"{'run':<5} {'regParam':>9} {'elasticNet':>10} {'accuracy':>9} {'f1':>7} {'attempts':>8}")
    for run in sorted(runs, key=lambda r: -(r.metrics or {}).get("accuracy", -1.0)):
        accuracy = f"{run.metrics['accuracy']:.4f}" if run.metrics else "FAILED"
        f1 = f"{run.metrics['f1']:.4f}" if run.metrics else ""
        print(
            f"{run.name:<5} {run.reg_param:>9} {run.elastic_net_param:>10} {accuracy:>9} {f1:>7} {len(run.step_ids):>8}"
        )
    resubmitted = [r.name for r in runs if len(r.step_ids) > 1]
    print(f"\nre-submitted: {', '.join(resubmitted) or 'none'}")


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_arguments(argv)
    runs = plan_runs(args.runs, args.simulate_failures)
    controller = StepController(args)
    started = time.monotonic()
    controller.upload_inputs()
    controller.allow_concurrent_steps()
    controller.run_all(runs)
    report(runs)
    failed = [r for r in runs if r.metrics is None]
    if args.summary:
        args.summary.write_text(
            json.dumps(
                {
                    "clusterId": args.cluster_id,
                    "maxRunning": args.max_running,
                    "seconds": round(time.monotonic() - started, 1),
                    "runs": [vars(r) for r in runs],
                },
                indent=2,
            )
        )
    if failed:
        print(
            f"{len(failed)} run(s) failed after {args.max_attempts} attempt(s): {', '.join(r.name for r in failed)}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
