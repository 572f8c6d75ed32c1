"""A tiny stand-in for Hearth's REST API on 127.0.0.1 and a free port: it answers what a test scripts."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple

Answer = Tuple[int, Any]


class FakeHearth:
    """Answers ``(method, path)`` with the scripted ``(status, body)``: a dict or list as JSON, bytes as they are.
    A list of answers is served one after the other, its last one again and again. Every request is recorded."""

    def __init__(self) -> None:
        self.answers: Dict[Tuple[str, str], List[Answer]] = {}
        self.requests: List[Dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                fake.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "body": json.loads(raw) if raw else None,
                        "headers": dict(self.headers),
                    }
                )
                status, body = fake._next(self.command, self.path)
                content = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, method: str, path: str, *answers: Answer) -> None:
        self.answers[(method, path)] = list(answers)

    def _next(self, method: str, path: str) -> Answer:
        queue = self.answers.get((method, path))
        if not queue:
            return 404, {"error": {"type": "NotFound", "message": f"No such path: {path}", "requestId": "r-404"}}
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def start(self) -> "FakeHearth":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def error(status: int, kind: str, message: str, request_id: Optional[str] = "3f2c") -> Answer:
    return status, {"error": {"type": kind, "message": message, "requestId": request_id}}
