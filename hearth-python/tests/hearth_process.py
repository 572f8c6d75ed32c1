"""A real Hearth for the integration tests: ``<HEARTH_HOME>/bin/hearth up --port 0`` on a fresh data directory."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Optional


class HearthProcess:
    """Starts ``bin/hearth up``, reads its address from ``<data-dir>/run/endpoint``, creates a cluster through the
    EMR API, and stops Hearth with SIGTERM (then SIGKILL) when closed."""

    def __init__(self, home: Path, work: Path) -> None:
        self.home = home
        self.data_dir = work / "hearth-data"
        self.log = work / "hearth.log"
        self._log_file = open(self.log, "wb")
        self.process = subprocess.Popen(
            [str(home / "bin" / "hearth"), "up", "--port", "0", "--data-dir", str(self.data_dir)],
            cwd=str(work),
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        self.endpoint = self._await_endpoint(timeout=180)

    def _await_endpoint(self, timeout: float) -> str:
        endpoint_file = self.data_dir / "run" / "endpoint"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bin/hearth up exited with {self.process.returncode}:\n{self.log_tail()}")
            if endpoint_file.is_file() and endpoint_file.read_text().strip():
                return endpoint_file.read_text().strip().rstrip("/")
            time.sleep(0.2)
        raise RuntimeError(f"Hearth wrote no {endpoint_file} within {timeout:g} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        self._log_file.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def emr(self, operation: str, body: Dict[str, Any]) -> Dict[str, Any]:
        """One EMR API call. Hearth checks that a SigV4 header is there, not its signature (docs/emr-api.md)."""
        request = urllib.request.Request(
            self.endpoint + "/",
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": f"ElasticMapReduce.{operation}",
                "Authorization": "AWS4-HMAC-SHA256 Credential=hearth/20260101/us-east-1/elasticmapreduce/aws4_request, "
                "SignedHeaders=host;x-amz-target, Signature=" + "0" * 64,
            },
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read() or b"{}")

    def create_cluster(self, name: str, step_concurrency: int = 2, timeout: float = 240) -> str:
        """A one-instance cluster that stays up; returns its id once it is WAITING."""
        cluster_id = self.emr(
            "RunJobFlow",
            {
                "Name": name,
                "ReleaseLabel": "emr-7.1.0",
                "Applications": [{"Name": "Spark"}],
                "StepConcurrencyLevel": step_concurrency,
                "Instances": {
                    "KeepJobFlowAliveWhenNoSteps": True,
                    "InstanceGroups": [
                        {"Name": "Primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1}
                    ],
                },
            },
        )["JobFlowId"]
        deadline = time.monotonic() + timeout
        state: Optional[str] = None
        while time.monotonic() < deadline:
            state = self.emr("DescribeCluster", {"ClusterId": cluster_id})["Cluster"]["Status"]["State"]
            if state == "WAITING":
                return cluster_id
            if state.startswith("TERMINAT"):
                break
            time.sleep(1)
        raise RuntimeError(f"Cluster {cluster_id} is {state}, not WAITING:\n{self.log_tail()}")

    def stop(self, timeout: float = 120) -> Optional[int]:
        """SIGTERM, as Ctrl-C would; SIGKILL when Hearth has not stopped within ``timeout``. Returns the exit code."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=30)
            return self.process.returncode
        finally:
            self._log_file.close()
