"""The worker's load for LiveKit and the capacity plan behind the recommended Cloud Run settings
(capacity.py, agent_worker/README.md "Capacity and scaling"). Pure: no stack."""

from __future__ import annotations

import pickle
import time
from types import SimpleNamespace
from typing import Any

import pytest

from agent_worker.capacity import CLOUD_RUN_CPU_TARGET, CapacityPlan, CpuSampler, InterviewLoad
from agent_worker.config import AgentSettings
from agent_worker.worker import build_server
from interview_core.settings import Settings

# The recommended instance (README): 2 vCPU, ~0.07 of a core per interview (bench/README.md).
RECOMMENDED = CapacityPlan(cpus=2, cpu_per_interview=0.07, max_jobs=24, cpu_limit=0.8)


def server_with(jobs: int) -> Any:
    return SimpleNamespace(active_jobs=[object()] * jobs)


def test_without_a_cpu_limit_the_load_is_the_job_count() -> None:
    load = InterviewLoad(max_jobs=12, cpu=lambda: 1.0)  # the CPU is not even read
    assert load(server_with(0)) == 0.0
    assert load(server_with(6)) == pytest.approx(0.5)
    assert load(server_with(11)) < 1.0
    assert load(server_with(12)) == pytest.approx(1.0)


def test_with_a_cpu_limit_the_larger_fraction_wins() -> None:
    cpu = {"now": 0.2}
    load = InterviewLoad(max_jobs=24, cpu_limit=0.8, cpu=lambda: cpu["now"])
    assert load(server_with(3)) == pytest.approx(0.25)  # CPU 0.2/0.8 beats jobs 3/24
    cpu["now"] = 0.6  # Cloud Run's target: the worker still takes interviews
    assert load(server_with(17)) == pytest.approx(0.75)
    assert load(server_with(17)) < 1.0
    cpu["now"] = 0.8  # the limit: the worker refuses
    assert load(server_with(17)) == pytest.approx(1.0)
    cpu["now"] = 0.3
    assert load(server_with(24)) == pytest.approx(1.0)  # the job cap holds whatever the CPU


def test_the_cpu_limit_must_be_a_utilisation_and_the_cap_positive() -> None:
    with pytest.raises(ValueError, match="cpu_limit"):
        InterviewLoad(max_jobs=10, cpu_limit=1.5)
    with pytest.raises(ValueError, match="max_jobs"):
        InterviewLoad(max_jobs=0)


def test_the_load_function_pickles_like_the_server_options() -> None:
    load = InterviewLoad(max_jobs=20, cpu_limit=0.8)
    again = pickle.loads(pickle.dumps(load))  # noqa: S301 - our own bytes, just made
    assert (again.max_jobs, again.cpu_limit) == (20, 0.8)
    assert again.of(10, 0.4) == pytest.approx(0.5)


def test_the_cpu_sampler_averages_livekits_cpu_monitor() -> None:
    sampler = CpuSampler(interval=0.05, window=4)
    deadline = time.monotonic() + 5
    while not sampler.samples and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sampler.samples, "no CPU sample within 5 s"
    assert 0.0 <= sampler.utilisation() <= 1.0
    assert sampler.cpus > 0


def test_the_recommended_instance_scales_out_before_it_refuses() -> None:
    plan = RECOMMENDED
    assert plan.cpu_target == CLOUD_RUN_CPU_TARGET
    assert plan.scale_out_at == 18  # 60% of 2 vCPUs at 0.07 a core
    assert plan.refuse_at == 23  # 80% of 2 vCPUs, under the cap of 24
    assert plan.headroom == 5
    load = InterviewLoad(plan.max_jobs, plan.cpu_limit)
    assert load.of(plan.scale_out_at, plan.utilisation(plan.scale_out_at)) < 1.0
    assert load.of(plan.refuse_at, plan.utilisation(plan.refuse_at)) >= 1.0
    assert plan.instances_for(peak_interviews=40) == 4  # ceil(40/18) + a spare for hand-overs


def test_a_job_cap_below_the_cpu_target_means_cloud_run_never_scales_out() -> None:
    # Today's settings: 12 jobs and no CPU part. Twelve interviews are ~42% of 2 vCPUs, so Cloud Run
    # (target 60%) never adds an instance and capacity stays at min_instances x 12.
    today = CapacityPlan(cpus=2, cpu_per_interview=0.07, max_jobs=12, cpu_limit=None)
    assert today.refuse_at == 12
    assert today.scale_out_at is None
    assert today.headroom == 0
    assert today.instances_for(peak_interviews=40) == 5  # ceil(40/12) + 1, all kept running


def test_when_interviews_cost_more_cpu_the_cpu_limit_still_leaves_headroom() -> None:
    heavy = CapacityPlan(cpus=2, cpu_per_interview=0.14, max_jobs=24, cpu_limit=0.8)
    assert heavy.scale_out_at == 9
    assert heavy.refuse_at == 12  # by CPU, long before the job cap
    assert heavy.headroom == 3


def test_the_image_settings_and_the_local_defaults() -> None:
    local = AgentSettings()
    assert local.agent_cpu_load_limit is None  # a shared development machine: jobs only
    assert local.agent_shutdown == "handover"
    assert local.agent_handover_budget_seconds < 10  # Cloud Run kills 10 s after SIGTERM
    server = build_server(Settings(), AgentSettings(agent_max_jobs=24, agent_cpu_load_limit=0.8))
    load = server.load_fnc
    assert isinstance(load, InterviewLoad)
    assert (load.max_jobs, load.cpu_limit) == (24, 0.8)
