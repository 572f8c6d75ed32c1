"""Shared fixtures: the fake REST API for unit tests, and one real Hearth for every integration test of the session
(tests/test_integration.py, tests/test_examples.py), started on first use.

Without HEARTH_HOME the integration tests are skipped, unless HEARTH_REQUIRE_PYTHON_TESTS=true (as in ``mvn verify``):
then they fail.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator, Tuple

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_hearth import FakeHearth  # noqa: E402
from hearth_process import HearthProcess  # noqa: E402

from hearth_client import HearthClient  # noqa: E402


@pytest.fixture
def fake() -> Iterator[FakeHearth]:
    server = FakeHearth().start()
    try:
        yield server
    finally:
        server.stop()


def hearth_home() -> Path:
    home = os.environ.get("HEARTH_HOME", "").strip()
    if not home:
        if os.environ.get("HEARTH_REQUIRE_PYTHON_TESTS", "").strip().lower() == "true":
            pytest.fail(
                "HEARTH_REQUIRE_PYTHON_TESTS=true but HEARTH_HOME is not set: point it at the built distribution"
            )
        pytest.skip("HEARTH_HOME is not set (the built distribution, hearth-dist/target/hearth)")
    path = Path(home)
    if not (path / "bin" / "hearth").is_file():
        pytest.fail(f"HEARTH_HOME={home} has no bin/hearth: build the distribution with mvn package")
    return path


@pytest.fixture(scope="session")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[HearthProcess, str]]:
    """A Hearth and its one-instance cluster (WAITING), shared by the session's integration tests."""
    hearth = HearthProcess(hearth_home(), tmp_path_factory.mktemp("hearth"))
    try:
        yield hearth, hearth.create_cluster("python client", step_concurrency=2)
    finally:
        code = hearth.stop()
        assert code is not None, "Hearth did not stop"


@pytest.fixture(scope="session")
def client(running: Tuple[HearthProcess, str]) -> HearthClient:
    return HearthClient(running[0].endpoint)
