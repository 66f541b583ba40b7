"""`python -m agent_worker [start|dev]`: run the interviewer worker.

`start` (the default) is production behaviour: JSON logs; on SIGTERM the worker stops taking interviews
and hands the running ones to other workers (AGENT_SHUTDOWN=handover, handover.py), or waits up to
AGENT_DRAIN_TIMEOUT_SECONDS for them to end (AGENT_SHUTDOWN=finish). `dev` is livekit-agents'
development mode (readable logs, no drain), restarted whenever a Python file of agent_worker/ or of
interview_core/ changes; `dev --no-reload` runs it once.

Both hand the worker to livekit-agents' own command line (`python -m livekit.agents start
agent_worker/app.py`). interview_core must be importable (installed, or on the module search path).
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from watchfiles import Change

APP = Path(__file__).resolve().with_name("app.py")

log = logging.getLogger("agent_worker.reload")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m agent_worker",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("mode", nargs="?", choices=["start", "dev"], default="start")
    parser.add_argument("--log-level", type=str.upper, default=os.environ.get("LOG_LEVEL", "INFO"))
    parser.add_argument(
        "--no-reload", dest="reload", action="store_false", help="dev: run once, without watching the code"
    )
    return parser.parse_args(argv)


def limit_numeric_threads() -> None:
    """One interview per process: numeric libraries must not start a thread pool per core in each of
    them (idle pools spin and steal CPU from the audio path when many interviews share a few cores).
    Set before anything imports them, and inherited by the job processes."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def livekit_agents_argv(*, dev: bool, log_level: str) -> list[str]:
    """livekit-agents' `start` command for this worker: JSON logs and a drain on SIGTERM in production;
    its development mode (readable logs, no drain) for `dev`."""
    argv = ["start", str(APP), "--log-level", log_level, "--log-format", "colored" if dev else "json"]
    return [*argv, "--dev"] if dev else argv


def run_worker(*, dev: bool, log_level: str) -> int:
    """Run the worker in this process until it is stopped."""
    from livekit.agents.__main__ import main as livekit_agents

    return livekit_agents(livekit_agents_argv(dev=dev, log_level=log_level))


def watched_code() -> list[Path]:
    """The packages the worker runs: this one, and interview_core wherever it is imported from
    (located without importing it, so this process stays light)."""
    import importlib.util

    core = importlib.util.find_spec("interview_core")
    locations = core.submodule_search_locations if core is not None else None
    return [Path(__file__).resolve().parent, *(Path(p) for p in locations or [])]


def run_reloading(log_level: str) -> int:
    """The dev worker in a child process, restarted whenever a watched Python file changes.

    livekit-agents 1.8 no longer reloads in-process: its hot reload lives in the LiveKit CLI
    (`lk agent dev`, a separate binary). watchfiles, which livekit-agents already depends on, does the
    restarting here, so `dev` works with nothing else installed."""
    import watchfiles

    known = logging.getLevelNamesMapping()
    logging.basicConfig(level=known.get(log_level, logging.INFO), format="%(asctime)s %(name)s: %(message)s")
    paths = watched_code()
    log.info("dev: the worker restarts when Python files change under %s", ", ".join(map(str, paths)))
    command = [sys.executable, "-m", "agent_worker", "dev", "--no-reload", "--log-level", log_level]
    watchfiles.run_process(
        *paths,
        target=shlex.join(command),
        target_type="command",
        watch_filter=watchfiles.PythonFilter(),
        callback=announce_restart,
    )
    return 0


def announce_restart(changes: set[tuple[Change, str]]) -> None:
    files = sorted({Path(path).name for _, path in changes})
    log.info("dev: %s changed, restarting the worker", ", ".join(files))


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    limit_numeric_threads()
    if args.mode == "dev" and args.reload:
        return run_reloading(args.log_level)
    return run_worker(dev=args.mode == "dev", log_level=args.log_level)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
