"""A fixed-seed sample of `make fuzz` (bench/fuzz.py): schemathesis over every operation of the api's
own OpenAPI document, without credentials, with every check on. The full run (>= 1,000 requests,
with a team owner's token too) is `make fuzz`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.fuzz import CONFIG

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_a_fixed_seed_sample_finds_no_failure(api_url: str, tmp_path: Path) -> None:
    report = tmp_path / "run.json"
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(CONFIG),
        "run",
        f"{api_url}/api/openapi.json",
        "--checks",
        "all",
        "--phases",
        "fuzzing",
        "--max-examples",
        "3",
        "--seed",
        "19",
        "--workers",
        "1",
        "--warnings",
        "off",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False)
    result = json.loads(report.read_text())
    assert result["failures"] == [], finished.stdout[-4000:]
    assert result["operations"]["tested"] == result["operations"]["total"] >= 25
    assert finished.returncode == 0, finished.stdout[-4000:]
