"""Benchmark of the interviewer agent on one worker.

    python -m devstack run -- .venv/bin/python -m bench.agent [--levels 1,5,10]

Synthetic candidates (bench/candidate.py) join real LiveKit rooms with tokens from the real api, are
greeted by the stack's agent worker, answer every question by voice and wait for the next one. The
local Gemini emulator runs with no artificial delay and without its speech recognition (Gemini's does
not run on the agent's cores; answers are transcribed as placeholders), so what is measured is the
agent and the stack:

- Start -> greeting heard (issue 24), per start mode (`--starts`): "warm", the page joins with a warm
  token during a device check of DEVICE_CHECK_SECONDS and publishes its microphone muted, and Start
  unmutes it (the agent has prepared the greeting meanwhile); "cold", Start asks for the token, joins
  and publishes, as before the warm start. From the moment Start is pressed to the first agent audio
  the candidate hears. A greeting the model voiced before Start is counted as prepared, and Start ->
  the agent's first frame out is printed for it; otherwise Start -> greeting is cut where the model's
  own time begins and ends;
- join -> greeting: candidate connected -> first agent audio it hears;
- answer end -> reply heard: the candidate's last voiced sample -> the first agent audio it hears
  (includes the emulator's ~600 ms end-of-turn silence and its speech synthesis);
- agent overhead per turn (the goal: p95 < 100 ms): for each reply to an answer, the emulator's first
  audio chunk sent -> the agent's first frame into the room (AgentSession's started_speaking_at):
  plugin, session, output. This is the agent's share of the per-turn latency, which the issue defines
  from the candidate's end of speech. The greeting answers no speech: it is printed on its own, next
  to join -> greeting, whole and from the moment the candidate had subscribed to the agent's audio
  (livekit-agents holds the first frame until the agent's track has a subscriber, so a greeting the
  model starts before that waits for the transport, not for the agent);
- model audio -> heard: the emulator's first voiced sample -> the candidate hearing it: the agent plus
  WebRTC through the local SFU and the listener's jitter buffer; `transport alone` measures that part
  with a probe that publishes the way the agent does;
- CPU and memory (PSS) of the worker's process tree per concurrent interview, and missed replies.

Every process here shares the same cores (LiveKit, the emulator, Firestore, the candidates, and
whatever else runs on the machine), so the figures are an upper bound for a dedicated worker; the
whole machine's CPU and its load average are printed beside them.

`--tracing on,off` measures what tracing costs the agent, in one run: each level runs once per mode
per round (`--rounds`, the order alternating so that a drift in the machine's load falls on both),
and the agent's overhead per turn is printed per mode with the growth of its p95 (goal: at most
TRACING_GOAL_MS). The mode is the sampled flag of the traceparent each interview carries: `on`, the
api's token span and the agent's spans (livekit-agents' included) are recorded and exported to the
stack's trace viewer, as with any traced interview; `off`, the agent's job installs no tracer
provider at all (interview_core/tracing.py `sampled_out`), as with tracing switched off.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psutil
import requests

from bench.candidate import SyntheticCandidate, request_token, synthesize, transport_baseline
from bench.common import for_each_thread, listening_pid, machine, percentile
from bench.pinning import Pinning

QUESTIONS = (
    "What do you like about SQL?",
    "Which Python library do you use most?",
    "How do you test a data pipeline?",
    "Tell me about a query you made faster.",
    "How do you review a colleague's code?",
)
ANSWER = "I use it every day to build reporting pipelines for our sales team."
# Candidates pause before answering (0.3-2 s, seeded per interview). Without it, ten identical
# answers of identical length keep ten interviews in lockstep for their whole length, every reply
# of every interview in the same second, which independent interviews do not do.
THINK_SECONDS = (0.3, 2.0)
OVERHEAD_GOAL_MS = 30.0
"""The issue's goal for the agent's own overhead per turn, p95."""
TRACING_GOAL_MS = 5.0
"""Issue 22's goal: tracing on may add at most this to the agent's overhead per turn, p95."""
TRACING_MODES = ("on", "off")
DEVICE_CHECK_SECONDS = 3.0
"""How long a warm candidate stays on the microphone check before pressing Start (a real one takes
longer: the agent is ready well within this)."""
START_GOALS_MS = {1: 500.0, 10: 1000.0}
"""Issue 24's acceptance: Start -> greeting heard, p95, warm, with the local model."""


@dataclass
class Result:
    role: str
    interview_id: str
    start_to_greeting_ms: float | None = None
    join_to_greeting_ms: float | None = None
    agent_track_at: float | None = None
    pressed_at: float | None = None
    """When Start was pressed (wall clock, the same clock as the emulator's turn timings)."""
    turn_latencies_ms: list[float] = field(default_factory=list)
    heard_onsets: list[float] = field(default_factory=list)
    replies_expected: int = 0
    replies_heard: int = 0
    error: str | None = None


RUN_ID = os.urandom(3).hex()  # roles are matched with the emulator's timings; keep them unique per run


def bench_traceparent(mode: str | None) -> str | None:
    """The traceparent an interview of `--tracing` mode `mode` carries (a new trace each), or None.

    Its sampled flag decides: the api's token step and the agent follow it (W3C trace context)."""
    if mode is None:
        return None
    return f"00-{os.urandom(16).hex()}-{os.urandom(8).hex()}-{'01' if mode == 'on' else '00'}"


def create_interviews(count: int, level: int, tracing: str | None = None) -> list[tuple[str, str, str]]:
    """(interview id, invite secret, role) for `count` invited interviews, written as the api writes them."""
    from interview_core.adapters.firestore_store import InterviewStore
    from interview_core.adapters.livekit_tokens import room_name
    from interview_core.domain import invites
    from interview_core.domain.models import (
        Candidate,
        Interview,
        InterviewStatus,
        Invite,
        PlannedQuestion,
        Skill,
    )

    store = InterviewStore()
    created = []
    for index in range(count):
        now = datetime.now(UTC)
        secret = invites.new_secret()
        interview_id = store.new_id()
        role = f"Bench Engineer {RUN_ID}-{tracing or 'x'}-{level:02d}-{index:02d}"
        traceparent = bench_traceparent(tracing)
        store.create(
            Interview(
                id=interview_id,
                owner_uid="bench-agent",
                candidate=Candidate(name="Grace Hopper", email="grace@example.com"),
                role=role,
                job_description="Benchmark interview: SQL, Python and testing of data pipelines.",
                language="en",
                duration_minutes=10,
                skills=[Skill(name="SQL", weight=0.5), Skill(name="Python", weight=0.5)],
                question_plan=[PlannedQuestion(skill="SQL", question=q) for q in QUESTIONS],
                status=InterviewStatus.INVITED,
                invite=Invite(
                    secret_hash=invites.hash_secret(secret), expires_at=now + timedelta(hours=1), max_uses=5
                ),
                room=room_name(interview_id),
                created_at=now,
                updated_at=now,
                model="local-emulator",
                traceparent=traceparent,
                trace_id=traceparent.split("-")[1] if traceparent else None,
            )
        )
        created.append((interview_id, secret, role))
    return created


async def interview_once(
    api_url: str, interview_id: str, secret: str, role: str, pcm: bytes, warm: bool
) -> Result:
    result = Result(role, interview_id, replies_expected=len(QUESTIONS))
    pressed = time.time()  # cold: Start asks for the token, joins and publishes
    url, token = await asyncio.to_thread(request_token, api_url, interview_id, secret, warm=warm)
    candidate = SyntheticCandidate(url, token)
    try:
        await candidate.join(muted=warm)
        if warm:  # the device check, joined with the microphone muted; then Start unmutes it
            await asyncio.sleep(DEVICE_CHECK_SECONDS)
            pressed = await candidate.start()
        greeted = await candidate.wait_for_agent(timeout=60)
        assert candidate.joined_at is not None
        result.start_to_greeting_ms = (greeted - pressed) * 1000
        result.join_to_greeting_ms = (greeted - candidate.joined_at) * 1000
        result.agent_track_at = candidate.agent_track_at
        result.pressed_at = pressed
        result.heard_onsets.append(greeted)
        pauses = random.Random(role)
        for _ in QUESTIONS:
            await asyncio.sleep(pauses.uniform(*THINK_SECONDS))
            ended = await candidate.say(pcm)
            onset = await candidate.wait_for_reply(after=ended, timeout=60)
            result.replies_heard += 1
            result.turn_latencies_ms.append((onset - ended) * 1000)
            result.heard_onsets.append(onset)
        await asyncio.wait_for(candidate.disconnected.wait(), 60)
    except Exception as error:
        result.error = f"{type(error).__name__}: {error}"
    finally:
        await candidate.leave()
    return result


class TreeSampler:
    """CPU (% of one core) and memory (PSS) of a process and its children, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.cpu: list[float] = []
        self.rss_mb: list[float] = []
        self.machine: list[float] = []  # every process, % of one core
        self.bench: list[float] = []  # this process (the synthetic candidates), % of one core
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> list[psutil.Process]:
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return []

    def _totals(self) -> tuple[float, float]:
        """CPU seconds and memory of the tree. Memory is PSS: job processes fork from one preloaded
        server and share its pages, so summing RSS would count those pages once per process."""
        cpu = memory = 0.0
        for process in self._tree():
            try:
                times = process.cpu_times()
                cpu += times.user + times.system
                memory += process.memory_full_info().pss
            except psutil.Error:
                continue
        return cpu, memory / 2**20

    def _run(self) -> None:
        last_cpu, _ = self._totals()
        last = time.monotonic()
        me = psutil.Process()
        me_last = sum(me.cpu_times()[:2])
        psutil.cpu_percent()
        while not self._stop.wait(self.interval):
            cpu, rss = self._totals()
            now = time.monotonic()
            self.cpu.append(max(0.0, (cpu - last_cpu) / (now - last) * 100))
            self.rss_mb.append(rss)
            self.machine.append(psutil.cpu_percent() * (psutil.cpu_count() or 1))
            mine = sum(me.cpu_times()[:2])
            self.bench.append((mine - me_last) / (now - last) * 100)
            last_cpu, last, me_last = cpu, now, mine

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def worker_pid(health_port: int) -> int:
    pid = listening_pid(health_port)
    if pid is not None:
        return pid
    raise SystemExit(f"no agent worker listens on its health port {health_port}: is the stack running?")


def emulator_turns(base: str) -> list[dict[str, Any]]:
    response = requests.get(f"{base}/emulator/live", timeout=10)
    response.raise_for_status()
    return list(response.json()["turns"])


@dataclass
class Overheads:
    """The agent's own share: the emulator's first audio chunk sent -> the agent's first frame into
    the room (AgentSession's started_speaking_at, stored as the agent turn's started_at)."""

    replies: list[float] = field(default_factory=list)  # per turn: the goal
    greetings: list[float] = field(default_factory=list)
    # greetings prepared before Start (the warm start holds them): Start -> the agent's first frame out
    released: list[float] = field(default_factory=list)
    # the same greetings, counted from when the candidate had subscribed to the agent's audio, if later
    greetings_heard: list[float] = field(default_factory=list)


def in_process(results: list[Result], turns: list[dict[str, Any]]) -> Overheads:
    """Matched by interview (role) and order: the emulator's turns and the agent turns in Firestore."""
    from interview_core.adapters.firestore_store import InterviewStore
    from interview_core.domain.models import TurnRole

    store = InterviewStore()
    found = Overheads()
    for result in results:
        mine = [t for t in turns if t["role"] == result.role and t.get("first_audio_at")]
        spoken = [t for t in store.turns(result.interview_id) if t.role == TurnRole.AGENT]
        for index, (sent, turn) in enumerate(zip(mine, spoken, strict=False)):
            out = turn.started_at.timestamp()
            if index:
                found.replies.append((out - sent["first_audio_at"]) * 1000)
                continue
            if prepared(result, sent):
                assert result.pressed_at is not None
                found.released.append((out - result.pressed_at) * 1000)
                continue
            found.greetings.append((out - sent["first_audio_at"]) * 1000)
            if result.agent_track_at is not None:
                audible = max(sent["first_audio_at"], result.agent_track_at)
                found.greetings_heard.append((out - audible) * 1000)
    return found


def prepared(result: Result, first: dict[str, Any]) -> bool:
    """Whether the model voiced this interview's greeting before Start was pressed (the warm start
    prepares it and holds it: PREPARE_GREETING_WHILE_WARM)."""
    return result.pressed_at is not None and first["first_audio_at"] < result.pressed_at


@dataclass
class GreetingSplit:
    """Start -> greeting heard, cut where the model's own time begins and ends (the emulator's timings
    of each interview's first turn): what the page, the SFU, the agent and the plugin take before the
    model is asked, and the model's own time from the request to its first audio chunk."""

    until_asked: list[float] = field(default_factory=list)
    model: list[float] = field(default_factory=list)
    prepared: int = 0
    """Greetings the model had voiced before Start: neither part is on their way to the candidate."""


def greeting_split(results: list[Result], turns: list[dict[str, Any]]) -> GreetingSplit:
    split = GreetingSplit()
    for result in results:
        first = next((t for t in turns if t["role"] == result.role and t.get("first_audio_at")), None)
        if first is None or result.pressed_at is None or first.get("detected_at") is None:
            continue
        if prepared(result, first):
            split.prepared += 1
            continue
        split.until_asked.append((first["detected_at"] - result.pressed_at) * 1000)
        split.model.append((first["first_audio_at"] - first["detected_at"]) * 1000)
    return split


def overheads(results: list[Result], turns: list[dict[str, Any]]) -> list[float]:
    """Heard onset minus the emulator's first voiced sample, per reply, matched by role and order."""
    samples = []
    for result in results:
        mine = [t for t in turns if t["role"] == result.role and t.get("first_voice_at")]
        for heard, sent in zip(result.heard_onsets, mine, strict=False):
            samples.append((heard - sent["first_voice_at"]) * 1000)
    return samples


async def run_level(
    level: int, api_url: str, pcm: bytes, tracing: str | None = None, warm: bool = False
) -> list[Result]:
    created = await asyncio.to_thread(create_interviews, level, level, tracing)
    tasks = []
    for interview_id, secret, role in created:
        tasks.append(asyncio.create_task(interview_once(api_url, interview_id, secret, role, pcm, warm)))
        await asyncio.sleep(0.3)  # candidates arrive over a few seconds, not in the same millisecond
    return list(await asyncio.gather(*tasks))


def completed(interview_ids: list[str]) -> tuple[int, int]:
    """(completed interviews, turns stored) after giving the webhooks a moment."""
    from interview_core.adapters.firestore_store import InterviewStore
    from interview_core.domain.status import FINISHED

    store = InterviewStore()
    deadline = time.monotonic() + 30
    while True:
        # completed, or already further along (the evaluation pipeline picks it up at once)
        done = [store.get(i) for i in interview_ids]
        finished = [d for d in done if d is not None and d.status in FINISHED]
        if len(finished) == len(interview_ids) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    turns = sum(len(store.turns(i)) for i in interview_ids)
    return len(finished), turns


def renice_stand_ins(niceness: int) -> list[str]:
    """Lower the priority of this process and of every stack service production runs elsewhere."""
    from urllib.parse import urlparse

    os.nice(niceness)  # before the candidates' threads exist: they inherit it
    ports = {
        "livekit": urlparse(os.environ["LIVEKIT_URL"]).port,
        "firestore": int(os.environ["FIRESTORE_EMULATOR_HOST"].rsplit(":", 1)[1]),
        "api": urlparse(os.environ["API_URL"]).port,
    }
    done = ["candidates"]
    for name, port in ports.items():
        pid = listening_pid(port)
        if pid is None:
            continue
        for_each_thread(pid, lambda thread: os.setpriority(os.PRIO_PROCESS, thread, niceness))
        done.append(name)
    return done


def load_average() -> str:
    """The machine's load average: other work on shared cores moves every figure here."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min, {os.cpu_count()} cores)"


def start_goal(level: int, values: list[float], warm: bool) -> str:
    """The issue's verdict on Start -> greeting p95, where it sets a goal (warm, 1 and 10)."""
    goal = START_GOALS_MS.get(level)
    if not warm or goal is None or not values:
        return ""
    met = percentile(values, 0.95) <= goal
    return f"   goal p95 <= {goal:.0f} ms: {'met' if met else 'NOT met'}"


def fmt(values: list[float]) -> str:
    if not values:
        return "n/a"
    p50, p95 = percentile(values, 0.50), percentile(values, 0.95)
    return f"p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", default="1,5,10", help="concurrent interviews per round")
    parser.add_argument(
        "--setups",
        default="pinned,shared",
        help="pinned: the worker on a core of its own, the candidates and the stack on the others "
        "(bench/pinning.py); shared: every process on every core (default: both, pinned first)",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run the stand-ins for what production runs elsewhere at this niceness (e.g. 19): the "
        "synthetic candidates (remote browsers), the LiveKit server (LiveKit Cloud), Firestore and the "
        "api. The worker stays at 0, so it gets the cores first, as it would on its own 2-core instance. "
        "The Gemini emulator stays at 0 too: its send times are one end of the measured overhead "
        "(default 0: everything shares the cores as equals)",
    )
    parser.add_argument(
        "--tracing",
        default="",
        help="on,off: run every level with tracing on and with it off, interleaved, and compare the "
        "agent's overhead per turn (default: neither; interviews carry no trace context)",
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="with --tracing: rounds per level, each running every mode once"
    )
    parser.add_argument(
        "--starts",
        default="warm,cold",
        help="warm: the candidate joins during the device check and Start publishes the microphone; "
        "cold: Start asks for the token and joins (before issue 24). Each level runs once per start "
        "mode (default both, warm first)",
    )
    args = parser.parse_args()
    reniced = renice_stand_ins(args.nice) if args.nice else []
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    setups = [x.strip() for x in args.setups.split(",") if x.strip() in ("pinned", "shared")]
    modes: list[str | None] = [m for m in TRACING_MODES if m in args.tracing.split(",")] or [None]
    rounds = max(1, args.rounds) if modes != [None] else 1
    if "on" in modes and os.environ.get("TRACES_EXPORTER", "none") == "none":
        raise SystemExit("--tracing on needs a stack whose agent exports traces (its `traces` viewer)")
    starts = [x.strip() == "warm" for x in args.starts.split(",") if x.strip() in ("warm", "cold")]
    api_url = os.environ["API_URL"]
    emulator = os.environ["GEMINI_EMULATOR_URL"]
    from agent_worker.config import AgentSettings

    health_port = AgentSettings().agent_health_port
    # No model delay, and no speech recognition on these cores: Gemini's runs on Google's machines
    # (the emulator's Whisper would take CPU for each answer just as the agent starts a reply).
    requests.post(
        f"{emulator}/emulator/faults", json={"live_delay_ms": 0, "live_transcribe": False}, timeout=5
    ).raise_for_status()
    pcm = synthesize(ANSWER)
    pid = worker_pid(health_port)
    print(f"bench.agent on {machine()}")
    print(f"{load_average()} at the start")
    if modes != [None]:
        print(f"tracing: {', '.join(str(m) for m in modes)}, {rounds} round(s) per level, order alternating")
    print(
        f"agent worker pid {pid}; answers of {len(pcm) / 32000:.1f} s; {len(QUESTIONS)} questions each; "
        f"stand-ins at nice {args.nice}{' (' + ', '.join(reniced) + ')' if reniced else ''}\n"
    )

    baseline = asyncio.run(
        transport_baseline(
            os.environ["LIVEKIT_URL"], os.environ["LIVEKIT_API_KEY"], os.environ["LIVEKIT_API_SECRET"]
        )
    )
    print(f"transport alone (published like the agent -> SFU -> listener)  {fmt(baseline)}\n")
    with TreeSampler(pid) as idle:
        time.sleep(3)
    idle_cpu = sum(idle.cpu) / max(1, len(idle.cpu))
    idle_rss = max(idle.rss_mb, default=0.0)
    print(f"idle worker: cpu {idle_cpu:5.1f} % of a core, memory (pss) {idle_rss:6.0f} MiB\n")

    pinning = Pinning.split(pid) if "pinned" in setups else None
    for setup in setups:
        if setup == "pinned" and pinning is not None:
            pinning.apply()
            print(f"== set-up: pinned ({pinning.describe()})\n")
        else:
            print("== set-up: shared (every process on every core)\n")
        try:
            for warm in starts:
                print(f"-- {'warm' if warm else 'cold'} start ({setup})\n")
                carried = run_levels(
                    levels, api_url, emulator, pcm, pid, (idle_cpu, idle_rss), modes, rounds, warm
                )
                within = [level for level, ok in carried if ok]
                print(
                    f"most interviews carried with agent overhead p95 <= {OVERHEAD_GOAL_MS:.0f} ms and no "
                    f"missed reply ({setup}, {'warm' if warm else 'cold'}): "
                    f"{max(within) if within else 'none of ' + args.levels}\n"
                )
        finally:
            if pinning is not None:
                pinning.undo()


def run_levels(
    levels: list[int],
    api_url: str,
    emulator: str,
    pcm: bytes,
    pid: int,
    idle: tuple[float, float],
    modes: list[str | None],
    rounds: int,
    warm: bool,
) -> list[tuple[int, bool]]:
    """Each level once per mode and round; per level, whether the agent's overhead p95 met the goal in
    every mode with no missed reply."""
    carried = []
    for level in levels:
        replies: dict[str | None, list[float]] = {mode: [] for mode in modes}
        missed = 0
        for round_index in range(rounds):
            order = modes if round_index % 2 == 0 else list(reversed(modes))
            for mode in order:
                own, missed_now = run_once(level, api_url, emulator, pcm, pid, idle, mode, warm)
                replies[mode] += own.replies
                missed += missed_now
        if modes != [None]:
            compare_tracing(level, replies)
        met = all(r and percentile(r, 0.95) <= OVERHEAD_GOAL_MS for r in replies.values())
        carried.append((level, met and missed == 0))
    return carried


def run_once(
    level: int,
    api_url: str,
    emulator: str,
    pcm: bytes,
    pid: int,
    idle: tuple[float, float],
    tracing: str | None,
    warm: bool,
) -> tuple[Overheads, int]:
    """One round of `level` concurrent interviews, printed; the agent's overheads and missed replies."""
    idle_cpu, idle_rss = idle
    requests.delete(f"{emulator}/emulator/live", timeout=5)
    started = time.monotonic()
    with TreeSampler(pid) as sampler:
        results = asyncio.run(run_level(level, api_url, pcm, tracing, warm))
    wall = time.monotonic() - started
    turns = emulator_turns(emulator)
    done, stored = completed([r.interview_id for r in results])
    greet = [r.join_to_greeting_ms for r in results if r.join_to_greeting_ms is not None]
    start = [r.start_to_greeting_ms for r in results if r.start_to_greeting_ms is not None]
    latency = [x for r in results for x in r.turn_latencies_ms]
    overhead = overheads(results, turns)
    own = in_process(results, turns)
    missed = sum(r.replies_expected - r.replies_heard for r in results)
    cpu = sum(sampler.cpu) / max(1, len(sampler.cpu))
    machine_cpu = sum(sampler.machine) / max(1, len(sampler.machine))
    bench_cpu = sum(sampler.bench) / max(1, len(sampler.bench))
    rss = max(sampler.rss_mb, default=0.0)
    label = f", tracing {tracing}" if tracing else ""
    print(f"{level} concurrent interview(s), {'warm' if warm else 'cold'} start{label}, {wall:.0f} s:")
    print(f"  Start -> greeting heard       {fmt(start)}{start_goal(level, start, warm)}")
    split = greeting_split(results, turns)
    if split.prepared:
        print(
            f"    prepared before Start       {split.prepared}/{len(results)} greetings "
            "(the model's own time is off the path)"
        )
        print(f"    Start -> first frame out    {fmt(own.released)}   (page, SFU, agent letting it through)")
    if split.model:
        print(f"    Start -> the model asked    {fmt(split.until_asked)}   (page, SFU, agent, plugin)")
        print(f"    the model's own time        {fmt(split.model)}   (request in -> first audio chunk out)")
    print(f"  join -> greeting heard        {fmt(greet)}")
    print(f"  answer end -> reply heard     {fmt(latency)}")
    print(f"  agent overhead per turn       {fmt(own.replies)}   (model audio in -> first frame out)")
    print(f"  agent overhead, greeting      {fmt(own.greetings)}")
    print(f"    after the candidate subscribed {fmt(own.greetings_heard)}")
    print(f"  greetings and turns together  {fmt(own.greetings + own.replies)}")
    print(f"  model audio -> heard          {fmt(overhead)}   (agent + transport + listener)")
    print(
        f"  worker cpu {cpu:5.1f} % of a core ({(cpu - idle_cpu) / level:5.1f} % per interview), "
        f"memory (pss) {rss:6.0f} MiB ({(rss - idle_rss) / level:5.0f} MiB per interview)"
    )
    print(
        f"  whole machine cpu {machine_cpu:5.1f} % of a core ({psutil.cpu_count()} cores), of which the "
        f"synthetic candidates {bench_cpu:5.1f} %"
    )
    print(f"  {load_average()}")
    print(f"  completed {done}/{level}, turns stored {stored}, missed replies {missed}")
    for result in results:
        if result.error:
            print(f"  ! {result.role}: {result.error}")
    print()
    return own, missed


def compare_tracing(level: int, replies: dict[str | None, list[float]]) -> None:
    """The agent's overhead per turn with tracing on and off, over every round of the level."""
    on, off = replies.get("on", []), replies.get("off", [])
    print(f"{level} concurrent interview(s), all rounds: agent overhead per turn")
    print(f"  tracing on                    {fmt(on)}")
    print(f"  tracing off                   {fmt(off)}")
    if on and off:
        growth = percentile(on, 0.95) - percentile(off, 0.95)
        verdict = "met" if growth <= TRACING_GOAL_MS else "NOT met"
        print(
            f"  p95 grows by {growth:+.1f} ms with tracing on (goal <= {TRACING_GOAL_MS:.0f} ms: {verdict})"
        )
    print()


if __name__ == "__main__":
    main()
