"""Helpers for the local Gemini emulator's tests: sample prompts, an in-process server, a subprocess.

Nothing here needs the rest of the local stack; everything binds to 127.0.0.1 on free ports.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from devstack.gemini_emulator.server import RunningServer, start
from interview_core.domain.prompts import SKILL_EXTRACTION_SYSTEM, skill_extraction_user_prompt

REPO_ROOT = Path(__file__).resolve().parents[2]

DATA_ENGINEER_JD = """\
We are looking for a Senior Data Engineer to join our analytics platform team.

Responsibilities:
- Design, build and operate scalable batch and streaming data pipelines (Airflow, dbt, Kafka)
- Model data in our BigQuery data warehouse for analysts and data scientists
- Own data quality checks and monitoring

Requirements:
- 5+ years of strong SQL and Python
- Experience with ETL/ELT tooling and orchestration (Airflow)
- Solid understanding of data modelling
- Experience with Docker and a cloud platform (GCP preferred)
- Good communication skills in English

Nice to have:
- Spark, Terraform
"""


def extraction_request(
    role: str = "Senior Data Engineer",
    language: str = "en",
    duration: int = 20,
    job_description: str = DATA_ENGINEER_JD,
    schema: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A generateContent body shaped exactly like google-genai 3.6.1 sends it for skill extraction
    (the schema the product sends: structured_output.wire_schema)."""
    from interview_core.domain.models import SkillPlan
    from interview_core.domain.structured_output import wire_schema

    return {
        "contents": [
            {
                "role": "user",
                "parts": [{"text": skill_extraction_user_prompt(role, language, duration, job_description)}],
            }
        ],
        "systemInstruction": {"role": "user", "parts": [{"text": SKILL_EXTRACTION_SYSTEM}]},
        "generationConfig": {
            "responseMimeType": "application/json",
            "responseJsonSchema": schema or wire_schema(SkillPlan),
        },
    }


@asynccontextmanager
async def serving(app: web.Application, **kwargs: Any) -> AsyncIterator[RunningServer]:
    """Run an emulator app in this event loop on free loopback ports for the duration of a test."""
    running = await start(app, "127.0.0.1", 0, **kwargs)
    try:
        yield running
    finally:
        await running.stop()


@dataclass
class EmulatorProcess:
    """A `python -m devstack.gemini_emulator` subprocess and what its ready line announced."""

    process: subprocess.Popen[str]
    http: str
    https: str
    ca: str
    startup_seconds: float

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """Call an admin endpoint on the HTTP port; returns (status, JSON body)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.http + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


def launch(state_dir: Path, *extra: str) -> EmulatorProcess:
    """Start the emulator on free ports and wait for its ready line."""
    began = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devstack.gemini_emulator",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--tls-port",
            "0",
            "--state-dir",
            str(state_dir),
            "--log-level",
            "WARNING",
            *extra,
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=5)
        pytest.fail(f"the emulator exited before it was ready (exit code {process.returncode})")
    ready = json.loads(line)
    assert ready["event"] == "ready"
    return EmulatorProcess(process, ready["http"], ready["https"], ready["ca"], time.monotonic() - began)


def stop(emulator: EmulatorProcess) -> int:
    """SIGTERM and wait; returns the exit code."""
    emulator.process.send_signal(signal.SIGTERM)
    try:
        return emulator.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        emulator.process.kill()
        return emulator.process.wait(timeout=5)
