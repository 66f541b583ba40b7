"""The path Cloud Run probes on the agent (infra/variables.tf) answers on the running local agent."""

from __future__ import annotations

import re

import requests

from devstack.stack import ROOT, Ports


def test_the_terraform_probe_path_answers_200_on_the_local_agent(stack: dict[str, str]) -> None:
    variables = (ROOT / "infra" / "variables.tf").read_text()
    block = variables[variables.index('variable "agent_health_path"') :]
    path = re.search(r'default\s*=\s*"([^"]+)"', block)
    assert path is not None
    response = requests.get(f"http://127.0.0.1:{Ports().agent_health}{path.group(1)}", timeout=5)
    assert response.status_code == 200, response.text
