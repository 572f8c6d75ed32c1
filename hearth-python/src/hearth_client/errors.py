"""The one exception the client raises: Hearth refused a request, or could not be reached."""

from __future__ import annotations

import re
from typing import Optional

# Hearth's messages name the bad field first: "metric: unknown metric 'auc'; ...", "model.params.numTrees: 0 is not ...".
_FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_.\[\]-]*): ")


class HearthError(Exception):
    """Hearth refused a request or could not be reached.

    Attributes:
        status: the HTTP status, or 0 when no answer came (Hearth unreachable, a timeout).
        code: Hearth's error type (``InvalidArgument``, ``NotFound``, ``InvalidState``, ...; see docs/rest-api.md),
            or the client's own (``Unreachable``, ``Timeout``, ``NotJson``, ``IOError``).
        message: the message, which for a bad spec names the field: ``metric: unknown metric 'auc'; ...``.
        field: the field the message names (``metric``, ``model.params.numTrees``), or None.
        request_id: the id Hearth's log shows the request under, when it answered.
    """

    def __init__(
        self, status: int, code: str, message: str, field: Optional[str] = None, request_id: Optional[str] = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.request_id = request_id

    @classmethod
    def from_answer(cls, status: int, document: object, fallback: str) -> "HearthError":
        """The error of an answer ``{"error": {"type", "message", "requestId"}}``; ``fallback`` when it has no message."""
        error = document.get("error") if isinstance(document, dict) else None
        if not isinstance(error, dict):
            error = {}
        message = error.get("message")
        if not isinstance(message, str) or not message:
            message = fallback
        kind = error.get("type")
        code = kind if isinstance(kind, str) and kind else "HttpError"
        identifier = error.get("requestId")
        request_id = identifier if isinstance(identifier, str) else None
        return cls(status, code, message, field_of(message), request_id)

    def __repr__(self) -> str:
        return f"HearthError(status={self.status}, code={self.code!r}, message={self.message!r}, field={self.field!r})"


def field_of(message: str) -> Optional[str]:
    """The field a message of Hearth's names before its first ``: ``, or None (``Cluster id 'j-X' is not valid.``)."""
    match = _FIELD.match(message)
    return match.group(1) if match else None
