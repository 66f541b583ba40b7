"""`python -m agent_worker [start|dev]`: run the worker (the shared core is imported from functions/).

`start` (the default) is production behaviour: JSON logs, drains running interviews on SIGTERM for up
to AGENT_DRAIN_TIMEOUT_SECONDS. `dev` keeps the same worker but with readable logs and no drain.
"""

from __future__ import annotations

import sys
from pathlib import Path

_FUNCTIONS = Path(__file__).resolve().parent.parent / "functions"
if _FUNCTIONS.is_dir() and str(_FUNCTIONS) not in sys.path:
    sys.path.insert(0, str(_FUNCTIONS))  # the image copies functions/interview_core beside agent_worker


def main(argv: list[str]) -> int:
    import argparse
    import os

    parser = argparse.ArgumentParser(prog="python -m agent_worker", description=__doc__)
    parser.add_argument("mode", nargs="?", choices=["start", "dev"], default="start")
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "INFO"))
    args = parser.parse_args(argv)

    # One interview per process: numeric libraries must not start a thread pool per core in each of
    # them (idle pools spin and steal CPU from the audio path when ten interviews share two cores).
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    # PYTHONPATH for the job processes the worker forks (they import interview_core too).
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_FUNCTIONS), os.environ.get("PYTHONPATH", "")) if p
    )
    from livekit.agents.cli import proto
    from livekit.agents.cli.cli import _run_worker  # the CLI's worker runner, without its deprecated UI

    from agent_worker.worker import build_server

    dev = args.mode == "dev"
    _run_worker(
        build_server(),
        proto.CliArgs(log_level=args.log_level.upper(), log_format="colored" if dev else "json", dev=dev),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
