"""`make smoke-real`: one short interview against a deployment, with its real LiveKit and Gemini.

    python -m infra.tools.smoke_real [--dry-run] [--answers N] [--keep] [--report-timeout SECONDS]

Run from the repository root (it reuses bench/candidate.py's synthetic candidate). As a recruiter it
signs in, creates an interview through the deployed api; as the candidate it takes a token from the
api, joins the LiveKit room, waits for the interviewer's greeting, answers N questions and asks to stop;
then, as the recruiter again, it waits for the report and deletes the interview (unless --keep). Each
step's time is printed; the exit status is 0 only when every step passed.

The candidate answers by voice: espeak-ng speech published as the microphone track, like the local
tests. The agent takes no text input (its room input is audio only) and the candidate's token may
publish nothing but the microphone (no data, no chat), so a typed answer could not reach it.

Configuration (environment):

  SMOKE_BASE_URL           the deployed web app's origin, e.g. https://PROJECT.web.app (Firebase
                           Hosting sends /api/** to the api function); http only for localhost
  SMOKE_ID_TOKEN           a recruiter's Firebase ID token, or else the three below:
  SMOKE_EMAIL, SMOKE_PASSWORD
                           a test recruiter account (email/password sign-in enabled)
  SMOKE_FIREBASE_API_KEY   the web API key (VITE_FIREBASE_API_KEY is read when this is unset)
  SMOKE_AUTH_URL           optional: Identity Toolkit's base URL (default Google's; the local Auth
                           emulator's is http://127.0.0.1:9099/identitytoolkit.googleapis.com)

`--dry-run` needs none of it: it checks what is set, prints the plan and exits 0 (2 when a value that is
set is invalid). Without --dry-run, missing or invalid configuration exits 2 with the list of what to set.
Not part of `make test`: it costs real Gemini and LiveKit minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

GOOGLE_AUTH_URL = "https://identitytoolkit.googleapis.com"
ENV_NAMES = (
    "SMOKE_BASE_URL",
    "SMOKE_ID_TOKEN",
    "SMOKE_EMAIL",
    "SMOKE_PASSWORD",
    "SMOKE_FIREBASE_API_KEY",
    "VITE_FIREBASE_API_KEY",
    "SMOKE_AUTH_URL",
)
STOP_ANSWER = "Thank you, I would like to stop the interview now, please."
ANSWERS = (
    "In my last role I built the reporting warehouse for the sales team, with the models written in SQL "
    "and every change reviewed with the analysts before it went live.",
    "I keep pipelines reliable with small tests for each transformation, alerts on late or empty loads, "
    "and a full run against a copy of production data before each release.",
    "I schedule daily batch jobs with Airflow, with retries, service level alerts, and a dashboard of "
    "the last runs that the team checks every morning.",
)
JOB_DESCRIPTION = (
    "Data engineer for a small analytics team: build and run batch pipelines in Python and SQL, "
    "schedule them with Airflow on Google Cloud, and keep the reporting warehouse reliable."
)

T = TypeVar("T")


@dataclass(frozen=True)
class Config:
    base_url: str
    id_token: str | None
    email: str | None
    password: str | None
    api_key: str | None
    auth_url: str
    answers: int
    keep: bool
    report_timeout: float


@dataclass
class Checked:
    """The configuration, what is missing for a real run, and what is set but invalid."""

    config: Config
    missing: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m infra.tools.smoke_real",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dry-run", action="store_true", help="check the configuration, print the plan")
    parser.add_argument("--answers", type=int, default=2, help="questions to answer before asking to stop")
    parser.add_argument("--keep", action="store_true", help="keep the interview (default: delete it)")
    parser.add_argument("--report-timeout", type=float, default=900.0, help="seconds to wait for the report")
    return parser.parse_args(argv)


def valid_base_url(url: str) -> bool:
    parts = urlsplit(url)
    local = parts.hostname in {"localhost", "127.0.0.1", "::1"}
    return bool(parts.netloc) and (parts.scheme == "https" or (parts.scheme == "http" and local))


def check(env: Mapping[str, str], args: argparse.Namespace) -> Checked:
    """Read the configuration from `env` and the options, without using any of it."""
    value = {name: (env.get(name) or "").strip() or None for name in ENV_NAMES}
    config = Config(
        base_url=(value["SMOKE_BASE_URL"] or "").rstrip("/"),
        id_token=value["SMOKE_ID_TOKEN"],
        email=value["SMOKE_EMAIL"],
        password=value["SMOKE_PASSWORD"],
        api_key=value["SMOKE_FIREBASE_API_KEY"] or value["VITE_FIREBASE_API_KEY"],
        auth_url=(value["SMOKE_AUTH_URL"] or GOOGLE_AUTH_URL).rstrip("/"),
        answers=args.answers,
        keep=args.keep,
        report_timeout=args.report_timeout,
    )
    checked = Checked(config)
    if not config.base_url:
        checked.missing.append("SMOKE_BASE_URL (the deployed web app, e.g. https://PROJECT.web.app)")
    elif not valid_base_url(config.base_url):
        checked.invalid.append(
            f"SMOKE_BASE_URL={config.base_url!r} is not an https URL (http: localhost only)"
        )
    if config.id_token is None:
        needed = {"SMOKE_EMAIL": config.email, "SMOKE_PASSWORD": config.password}
        needed["SMOKE_FIREBASE_API_KEY"] = config.api_key
        absent = [name for name, set_value in needed.items() if not set_value]
        if absent:
            checked.missing.append(f"SMOKE_ID_TOKEN, or {', '.join(absent)} (a test recruiter's sign-in)")
    if not valid_base_url(config.auth_url):
        checked.invalid.append(
            f"SMOKE_AUTH_URL={config.auth_url!r} is not an https URL (http: localhost only)"
        )
    if not 1 <= config.answers <= len(ANSWERS):
        checked.invalid.append(f"--answers must be 1 to {len(ANSWERS)}")
    if config.report_timeout <= 0:
        checked.invalid.append("--report-timeout must be positive")
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            checked.missing.append(f"{tool} on PATH (the candidate's synthetic voice)")
    return checked


def plan(config: Config) -> list[str]:
    auth = "SMOKE_ID_TOKEN" if config.id_token else f"email/password at {config.auth_url}"
    base = config.base_url or "$SMOKE_BASE_URL"
    steps = [
        f"sign in as the recruiter ({auth})",
        f"create an interview: POST {base}/api/interviews (5 minutes; Gemini writes the plan)",
        "open the invite: POST /api/interviews/{id}/invite with the link's secret",
        "take the candidate's token: POST /api/interviews/{id}/token",
        "join the LiveKit room as the candidate and publish a microphone (espeak-ng speech)",
        "wait for the deployed agent's greeting (its first audio)",
        *(f"answer question {n} and wait for the interviewer's reply" for n in range(1, config.answers + 1)),
        f'ask to stop ("{STOP_ANSWER}") and wait for the agent to end the call (else leave)',
        f"wait for the report: GET /api/reports/{{id}} (at most {config.report_timeout:.0f} s)",
        "keep the interview" if config.keep else "delete the interview: DELETE /api/interviews/{id}",
    ]
    return [f"{n:2}. {step}" for n, step in enumerate(steps, start=1)]


# -- the run ------------------------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    seconds: float
    ok: bool
    detail: str = ""


class Smoke:
    """The steps, each timed; the first failure stops the run (cleanup still happens)."""

    def __init__(self, config: Config) -> None:
        import requests

        self.config = config
        self.http = requests.Session()
        self.steps: list[Step] = []
        self.id_token = config.id_token or ""
        self.interview_id: str | None = None

    def api(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.id_token}"} if auth else {}
        response = self.http.request(
            method, f"{self.config.base_url}{path}", headers=headers, timeout=60, **kwargs
        )
        return response

    async def step(self, name: str, action: Callable[[], Awaitable[T]], describe: Callable[[T], str]) -> T:
        started = time.monotonic()
        try:
            result = await action()
        except Exception as error:
            self.steps.append(
                Step(name, time.monotonic() - started, False, f"{type(error).__name__}: {error}")
            )
            print_step(self.steps[-1])
            raise
        self.steps.append(Step(name, time.monotonic() - started, True, describe(result)))
        print_step(self.steps[-1])
        return result

    async def run(self) -> bool:
        from bench.candidate import SyntheticCandidate, synthesize

        config = self.config
        speech = [synthesize(text) for text in (*ANSWERS[: config.answers], STOP_ANSWER)]
        candidate: SyntheticCandidate | None = None
        try:
            if not config.id_token:
                await self.step("sign in", self.sign_in, lambda _: "recruiter ID token")
            created = await self.step("create interview", self.create, describe_created)
            secret = created["invite_url"].partition("#")[2]
            await self.step("open invite", lambda: self.invite(secret), lambda body: f"{body.get('role')}")
            token = await self.step("candidate token", lambda: self.token(secret), lambda t: t["livekit_url"])
            candidate = SyntheticCandidate(token["livekit_url"], token["token"])
            joined = candidate
            await self.step("join room", joined.join, lambda _: f"room {token.get('room')}")
            await self.step(
                "greeting",
                lambda: joined.wait_for_agent(timeout=60),
                lambda first: f"first audio {first - (joined.joined_at or first):.2f} s after joining",
            )
            for number, pcm in enumerate(speech[:-1], start=1):

                async def answer(pcm: bytes = pcm) -> float:
                    ended = await joined.say(pcm)
                    return await joined.wait_for_reply(after=ended, timeout=60) - ended

                await self.step(f"answer {number}", answer, lambda delay: f"reply after {delay:.2f} s")

            async def stop() -> str:
                await joined.say(speech[-1])
                try:
                    await asyncio.wait_for(joined.disconnected.wait(), 60)
                except TimeoutError:
                    return "the agent did not end the call within 60 s; left the room"
                return "the agent ended the call"

            await self.step("ask to stop", stop, lambda outcome: outcome)
            await joined.leave()
            candidate = None
            await self.step(
                "report",
                self.report,
                lambda r: f"overall score {r.get('overall_score')}, {r.get('recommendation')}",
            )
            return True
        except Exception:
            return False
        finally:
            if candidate is not None:
                await candidate.leave()
            if self.interview_id and not config.keep:
                await self.step("delete interview", self.delete, lambda _: self.interview_id or "")

    async def sign_in(self) -> str:
        url = f"{self.config.auth_url}/v1/accounts:signInWithPassword?key={self.config.api_key}"
        body = {"email": self.config.email, "password": self.config.password, "returnSecureToken": True}
        response = await asyncio.to_thread(self.http.post, url, json=body, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"sign-in refused ({response.status_code}): {error_text(response)}")
        self.id_token = str(response.json()["idToken"])
        return self.id_token

    async def create(self) -> dict[str, Any]:
        body = {
            "candidate": {"name": "Smoke Test", "email": "smoke-test@example.com"},
            "role": "Data Engineer (smoke test)",
            "job_description": JOB_DESCRIPTION,
            "language": "en",
            "duration_minutes": 5,
        }
        response = await asyncio.to_thread(self.api, "POST", "/api/interviews", json=body)
        if response.status_code != 201:
            raise RuntimeError(f"create refused ({response.status_code}): {error_text(response)}")
        created: dict[str, Any] = response.json()
        self.interview_id = str(created["id"])
        return created

    async def invite(self, secret: str) -> dict[str, Any]:
        path = f"/api/interviews/{self.interview_id}/invite"
        response = await asyncio.to_thread(self.api, "POST", path, auth=False, json={"invite": secret})
        if response.status_code != 200:
            raise RuntimeError(f"invite refused ({response.status_code}): {error_text(response)}")
        return dict(response.json())

    async def token(self, secret: str) -> dict[str, Any]:
        path = f"/api/interviews/{self.interview_id}/token"
        response = await asyncio.to_thread(self.api, "POST", path, auth=False, json={"invite": secret})
        if response.status_code != 200:
            raise RuntimeError(f"token refused ({response.status_code}): {error_text(response)}")
        return dict(response.json())

    async def report(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.config.report_timeout
        while True:
            response = await asyncio.to_thread(self.api, "GET", f"/api/reports/{self.interview_id}")
            if response.status_code == 200:
                return dict(response.json())
            if response.status_code != 202:
                raise RuntimeError(f"report refused ({response.status_code}): {error_text(response)}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"no report after {self.config.report_timeout:.0f} s: {response.json()}")
            await asyncio.sleep(float(response.headers.get("Retry-After", "5")))

    async def delete(self) -> None:
        response = await asyncio.to_thread(self.api, "DELETE", f"/api/interviews/{self.interview_id}")
        if response.status_code not in (200, 202, 204):
            raise RuntimeError(f"delete refused ({response.status_code}): {error_text(response)}")


def describe_created(created: dict[str, Any]) -> str:
    return f"id {created['id']}, {len(created['question_plan'])} planned questions"


def error_text(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return str(response.text)[:200]
    error = body.get("error") if isinstance(body, dict) else None
    return str(error or body)[:300]


def print_step(step: Step) -> None:
    mark = "ok  " if step.ok else "FAIL"
    print(f"  {mark} {step.name:<18} {step.seconds:7.2f} s  {step.detail}", flush=True)


def main(argv: list[str], env: Mapping[str, str] = os.environ) -> int:
    args = parse_args(argv)
    checked = check(env, args)
    if args.dry_run:
        print("smoke-real, dry run: the plan")
        print("\n".join(plan(checked.config)))
        for problem in checked.missing:
            print(f"  not set, needed for a real run: {problem}")
        for problem in checked.invalid:
            print(f"  invalid: {problem}", file=sys.stderr)
        return 2 if checked.invalid else 0
    if checked.missing or checked.invalid:
        print("smoke-real cannot run; set or fix:", file=sys.stderr)
        for problem in [*checked.missing, *checked.invalid]:
            print(f"  - {problem}", file=sys.stderr)
        print("(see `python -m infra.tools.smoke_real --help`; --dry-run prints the plan)", file=sys.stderr)
        return 2
    print(f"smoke-real against {checked.config.base_url}")
    smoke = Smoke(checked.config)
    started = time.monotonic()
    ok = asyncio.run(smoke.run())
    total = time.monotonic() - started
    print(f"smoke-real {'passed' if ok and all(s.ok for s in smoke.steps) else 'FAILED'} in {total:.1f} s")
    return 0 if ok and all(s.ok for s in smoke.steps) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
