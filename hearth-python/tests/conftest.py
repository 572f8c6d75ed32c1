"""Shared fixtures: the fake REST API for unit tests; a real Hearth (tests/test_integration.py) is started there."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_hearth import FakeHearth  # noqa: E402


@pytest.fixture
def fake() -> Iterator[FakeHearth]:
    server = FakeHearth().start()
    try:
        yield server
    finally:
        server.stop()
