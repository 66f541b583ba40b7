"""Side-effect module, imported once by the worker's forkserver (AgentServer preload_modules).

What warm_up() builds here (agent_worker/warmup.py) is inherited copy-on-write by every job process
forked afterwards, so neither a starting interview nor the idle-process pool pays for it again.
Nothing here starts a thread or opens a connection, which is what makes it safe before a fork. Under
the `spawn` start method (macOS) the job processes run warm_up() themselves in prewarm().
"""

from __future__ import annotations

import logging

from .warmup import warm_up

try:
    warm_up()
except Exception:  # a failed warm-up only makes the first interview slower; prewarm() tries again
    logging.getLogger(__name__).debug("forkserver warm-up failed", exc_info=True)
