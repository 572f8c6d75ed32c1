"""Progress of a sweep while it is waited for: a tqdm bar when tqdm is installed, else a line on stderr."""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Optional, TextIO

from .models import SweepStatus

ProgressCallback = Callable[[SweepStatus], None]


def tqdm_available() -> bool:
    """Whether ``tqdm.auto`` can be imported (it picks the terminal bar or the Jupyter widget)."""
    try:
        import tqdm.auto  # noqa: F401
    except ImportError:
        return False
    return True


class SweepProgress:
    """Shows a sweep's progress; call :meth:`update` with each status that changed and :meth:`close` at the end.

    With ``tqdm.auto`` importable (and ``use_tqdm`` not False) it is a bar of the tasks that have ended, with the
    counts as its postfix; otherwise one line per change on ``stream``: ``[10:02:11] sw-... RUNNING 1/3 succeeded, ...``.
    """

    def __init__(self, stream: Optional[TextIO] = None, use_tqdm: Optional[bool] = None) -> None:
        self._stream = stream
        self._use_tqdm = tqdm_available() if use_tqdm is None else use_tqdm
        self._bar: Any = None

    def update(self, status: SweepStatus) -> None:
        if self._use_tqdm:
            self._update_bar(status)
        else:
            stream = self._stream if self._stream is not None else sys.stderr
            print(f"[{time.strftime('%H:%M:%S')}] {status.progress()}", file=stream, flush=True)

    def _update_bar(self, status: SweepStatus) -> None:
        from tqdm.auto import tqdm

        if self._bar is None:
            self._bar = tqdm(total=status.total, desc=status.sweep_id, unit="task", file=self._stream)
        if self._bar.total != status.total:  # a resume can run tasks again
            self._bar.total = status.total
        self._bar.n = status.finished
        postfix = {
            "state": status.state,
            "succeeded": status.count("SUCCEEDED"),
            "failed": status.count("FAILED"),
            "running": status.count("RUNNING"),
            "pending": status.count("PENDING"),
        }
        if status.count("CANCELLED"):
            postfix["cancelled"] = status.count("CANCELLED")
        self._bar.set_postfix(postfix, refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
