"""`make fuzz`: schemathesis against the running local stack, from the api's own OpenAPI document.

Two runs over every operation: with the token of a fresh team's owner (bench.common.sign_up), and
with no credentials at all. Every check schemathesis has is on (no 5xx, status codes, content types
and bodies as declared, invalid input refused, valid input accepted). The summary prints the test
cases sent and the count of each failure kind; the exit status is non-zero on any failure.

FUZZ_EXAMPLES (per operation and phase, default 40) and FUZZ_SEED tune a run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")


def run(
    api_url: str, label: str, headers: list[str], examples: int, seed: int, report: Path
) -> dict[str, Any]:
    """One schemathesis run; its JSON report."""
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(CONFIG),
        "run",
        f"{api_url}/api/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(examples),
        "--seed",
        str(seed),
        "--workers",
        "2",
        "--continue-on-failure",
        "--request-timeout",
        "60",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--warnings",
        "off",
    ]
    for header in headers:
        command += ["--header", header]
    print(f"[fuzz] {label}: {examples} examples per operation, seed {seed}", flush=True)
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL if os.environ.get("FUZZ_QUIET") else None)
    return json.loads(report.read_text())


def failure_kinds(report: dict[str, Any]) -> Counter[str]:
    """Failures by kind (the check that failed, or an error's type)."""
    kinds: Counter[str] = Counter()
    for failure in report.get("failures") or []:
        kinds[str(failure.get("check") or failure.get("title") or failure.get("name") or "failure")] += 1
    for error in report.get("errors") or []:
        kinds[f"error: {error.get('title') or error.get('type') or 'error'}"] += 1
    return kinds


def main() -> int:
    from bench.common import sign_up

    api_url = os.environ["API_URL"].rstrip("/")
    examples = int(os.environ.get("FUZZ_EXAMPLES", "40"))
    seed = int(os.environ.get("FUZZ_SEED", "19"))
    token = sign_up()
    total_cases = 0
    kinds: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("owner token", [f"Authorization: Bearer {token}"]), ("no credentials", [])]
        for n, (label, headers) in enumerate(runs):
            report = run(api_url, label, headers, examples, seed + n, Path(tmp) / f"run{n}.json")
            cases = int(report["test_cases"]["generated"])
            total_cases += cases
            found = failure_kinds(report)
            kinds += found
            print(f"[fuzz] {label}: {cases} test cases, {sum(found.values())} failures", flush=True)
    print(f"\nfuzz summary: {total_cases} test cases (requests) sent")
    if not kinds:
        print("failures: none")
    for kind, count in kinds.most_common():
        print(f"  {count:6d}  {kind}")
    return 1 if kinds else 0


if __name__ == "__main__":
    raise SystemExit(main())
