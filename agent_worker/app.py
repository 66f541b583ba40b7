"""The worker as a module-level `server`, which is where livekit-agents' own command line
(`python -m livekit.agents start agent_worker/app.py`, what `python -m agent_worker` runs) looks for the
AgentServer to run. Kept apart from worker.py because the forkserver imports worker.py, and it must
not build a server of its own.
"""

from __future__ import annotations

from .worker import build_server

server = build_server()
