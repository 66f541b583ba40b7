"""The project's local Gemini emulator: what answers google-genai when no GEMINI_API_KEY is set.

Part of the offline developer experience (see DESIGN.md, "Running it locally, offline"), not a test
mock. Modules, one per concern:

- `server`: the aiohttp application, served on an HTTP and a TLS port.
- `gemini_api`: the REST wire format (requests, responses, errors).
- `registry`: which handler answers a call, recognised by the response schema's properties.
- `extractor` (+ `lexicon`, `question_templates`): the deterministic skill extractor.
- `evaluator`: the report evaluator (a separate piece of work; the server answers 501 until it exists).
- `faults`: fault injection and call statistics for tests and benchmarks.
- `tls`: the local CA (kept in the state directory) and server certificate, from trustme.
- `live`: the Live API WebSocket (setup handshake for now).

Run it with `python -m devstack.gemini_emulator --help`.
"""

from .gemini_api import MODEL_VERSION

__all__ = ["MODEL_VERSION"]
