"""Glue GetTable and EMR DescribeCluster under the load of many concurrent boto3 clients.

Started by ``bench/catalog-load``. Starts Hearth (``bin/hearth up``) on a fresh data directory and
a free port, creates a Glue database with one table and an EMR cluster, then runs CLIENTS threads (spread over
--processes processes), each with its own boto3 session and clients, each making ROUNDS rounds of one GetTable and one
DescribeCluster (half the threads start with one, half with the other, so the two calls are
interleaved under the same load). Prints p50, p95, p99 and max per call, the CPU time Hearth's
processes spent per call, and the machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
HEARTH = ROOT / "hearth-dist" / "target" / "hearth" / "bin" / "hearth"
DATABASE = "bench_load"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_hearth(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [str(HEARTH), "up", "--data-dir", str(data_dir), "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while "Hearth is ready at" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"Hearth did not start; its output is in {log}")
        time.sleep(0.1)
    return process


def client(service: str, endpoint: str) -> Any:
    # One session per thread: boto3 sessions are not meant to be shared between threads.
    session = boto3.session.Session(aws_access_key_id="AKIABENCH", aws_secret_access_key="secret", region_name="us-east-1")
    config = Config(retries={"max_attempts": 1}, max_pool_connections=2)
    return session.client(service, endpoint_url=endpoint, config=config)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def timed_clients(endpoint: str, cluster_id: str, tables: int, first: int, count: int, rounds: int, ready: Any, results: Any) -> None:
    """One load process: COUNT threads, each with its own boto3 clients; puts (timings, errors) on RESULTS."""
    timings: dict[str, list[float]] = {"GetTable": [], "DescribeCluster": []}
    errors: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        glue = client("glue", endpoint)
        emr = client("emr", endpoint)
        table = table_name(index % tables)
        calls: list[tuple[str, Callable[[], Any]]] = [
            ("GetTable", lambda: glue.get_table(DatabaseName=DATABASE, Name=table)),
            ("DescribeCluster", lambda: emr.describe_cluster(ClusterId=cluster_id)),
        ]
        if index % 2:
            calls.reverse()
        # One untimed round opens the connections, so the figures are of calls, not of TCP set-up.
        for _, call in calls:
            call()
        ready.wait()
        mine: dict[str, list[float]] = {name: [] for name, _ in calls}
        failed: list[str] = []
        for _ in range(rounds):
            for name, call in calls:
                start = time.perf_counter()
                try:
                    call()
                except Exception as e:  # noqa: BLE001 - every failure is counted and reported
                    failed.append(f"{name}: {e}")
                    continue
                mine[name].append((time.perf_counter() - start) * 1000)
        with lock:
            for name, values in mine.items():
                timings[name].extend(values)
            errors.extend(failed)

    threads = [threading.Thread(target=worker, args=(first + i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((timings, errors))


def create_table(glue: Any, name: str) -> None:
    glue.create_table(DatabaseName=DATABASE, TableInput={
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "PartitionKeys": [{"Name": "dt", "Type": "string"}],
        "StorageDescriptor": {
            "Columns": [{"Name": f"c{i}", "Type": "double"} for i in range(20)] + [{"Name": "label", "Type": "string"}],
            "Location": f"s3://bench-load/{name}/",
            "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
        },
    })


def table_name(index: int) -> str:
    return f"events_{index}"


def run_load(endpoint: str, cluster_id: str, tables: int, clients: int, processes: int, rounds: int,
             server_pid: int) -> tuple[dict[str, list[float]], float, float]:
    """Runs the load; returns the timings, the wall time and the CPU seconds Hearth's processes used meanwhile."""
    # Several processes share the clients: one Python process of 50 threads spends its time waiting
    # for its own interpreter lock, and its queue would be measured instead of Hearth's.
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(clients + 1)
    results = context.Queue()
    shares = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    workers = []
    first = 0
    for share in shares:
        workers.append(context.Process(target=timed_clients, args=(endpoint, cluster_id, tables, first, share, rounds, ready, results)))
        first += share
    for worker in workers:
        worker.start()
    ready.wait()
    cpu_before = tree_cpu_seconds(server_pid)
    started = time.perf_counter()
    timings: dict[str, list[float]] = {"GetTable": [], "DescribeCluster": []}
    errors: list[str] = []
    for _ in workers:
        part, failed = results.get()
        for name, values in part.items():
            timings[name].extend(values)
        errors.extend(failed)
    elapsed = time.perf_counter() - started
    cpu = tree_cpu_seconds(server_pid) - cpu_before
    for worker in workers:
        worker.join()
    if errors:
        raise SystemExit(f"{len(errors)} calls failed, the first: {errors[0]}")
    return timings, elapsed, cpu


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user and system) of ROOT and every process under it: Hearth, its metastore, its Spark daemons."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks

    def under_root(pid: int) -> bool:
        while pid > 1:
            if pid == root:
                return True
            pid = parents.get(pid, 0)
        return False

    return sum(seconds for pid, seconds in cpu.items() if under_root(pid))


def print_machine() -> None:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    print(f"Machine: {os.cpu_count()} cores, {memory:.1f} GiB RAM, {platform.system()} {platform.release()}; {java}; "
          f"boto3 {boto3.__version__}, Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("clients", nargs="?", type=int, default=50)
    parser.add_argument("rounds", nargs="?", type=int, default=40)
    parser.add_argument("--tables", type=int, default=1, help="tables the clients read, client i table i %% TABLES (default 1)")
    parser.add_argument("--processes", type=int, default=10, help="load processes the clients are spread over (default 10)")
    args = parser.parse_args()
    print_machine()
    with tempfile.TemporaryDirectory(prefix="hearth-bench-load-") as work:
        port = free_port()
        log = Path(work) / "hearth.log"
        process = start_hearth(Path(work) / "data", port, log)
        endpoint = f"http://127.0.0.1:{port}"
        try:
            glue = client("glue", endpoint)
            glue.create_database(DatabaseInput={"Name": DATABASE})
            for index in range(args.tables):
                create_table(glue, table_name(index))

            emr = client("emr", endpoint)
            cluster_id = emr.run_job_flow(Name="bench-load", ReleaseLabel="emr-7.1.0", Applications=[{"Name": "Spark"}],
                                          Instances={"InstanceGroups": [{"InstanceRole": "MASTER", "InstanceType": "m5.xlarge",
                                                                         "InstanceCount": 1}],
                                                     "KeepJobFlowAliveWhenNoSteps": True},
                                          JobFlowRole="EMR_EC2_DefaultRole", ServiceRole="EMR_DefaultRole")["JobFlowId"]
            emr.get_waiter("cluster_running").wait(ClusterId=cluster_id, WaiterConfig={"Delay": 1, "MaxAttempts": 300})
            print(f"{args.clients} threads in {args.processes} processes, each thread with its own boto3 clients, {args.rounds} rounds of GetTable and DescribeCluster "
                  f"(interleaved) over {args.tables} table(s); Hearth at {endpoint}, catalog on embedded Derby.")
            timings, elapsed, server_cpu = run_load(endpoint, cluster_id, args.tables, args.clients, args.processes, args.rounds, process.pid)
            print(f"{'call':<16}{'calls':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}{'mean ms':>10}")
            for name, values in timings.items():
                print(f"{name:<16}{len(values):>7}{percentile(values, 50):>10.1f}{percentile(values, 95):>10.1f}"
                      f"{percentile(values, 99):>10.1f}{max(values):>10.1f}{statistics.fmean(values):>10.1f}")
            total = sum(len(values) for values in timings.values())
            print(f"{total} calls in {elapsed:.1f} s: {total / elapsed:.0f} calls/s; Hearth's processes used {server_cpu:.1f} CPU s, "
                  f"{server_cpu * 1000 / total:.2f} ms a call")
            emr.terminate_job_flows(JobFlowIds=[cluster_id])
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                print("Hearth did not stop within 2 minutes of SIGTERM", file=sys.stderr)


if __name__ == "__main__":
    main()
