"""The one error type the API turns into `{"error": {"code", "message", "field"?}}`."""

from __future__ import annotations


class ApiError(Exception):
    """An error with an HTTP status, a stable machine code and a human message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}

    def body(self) -> dict[str, object]:
        error: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


class UpstreamUnavailable(Exception):
    """A dependency (Gemini, Cloud Tasks) failed after its bounded retries; the API answers 503."""
