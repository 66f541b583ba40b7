# The two commands a new engineer needs: `make dev` and `make test`. Both install what is missing first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# Tests run their own stack on ports moved by this offset, so a `make dev` stack can keep running.
TEST_PORT_OFFSET ?= 100
PYTHON_DIRS := functions devstack tests bench agent_worker
# What `make dev` needs; `make test` also builds OpenTofu (only the infra tests and deploys use it).
DEV_PARTS := system python node hosting livekit tasks traces firestore
TEST_PARTS := $(DEV_PARTS) terraform

.PHONY: install install-test dev test test-faults test-hosting test-infra test-unit lint typecheck format lock \
	bench-api bench-load bench-pipeline bench-agent smoke-real eval-real clean openapi fuzz

install:  ## install what the local stack needs (idempotent; about a second when all is there)
	@devstack/install.sh $(DEV_PARTS)

install-test:  ## install, and build OpenTofu for the infra tests (once per machine, in parallel)
	@devstack/install.sh $(TEST_PARTS)

dev: install  ## start the whole local stack (emulators, functions, agent, SPA); Ctrl-C stops it
	@$(PY) -m devstack up

test: install-test  ## lock check, lint, type-check, then every test against a stack started once
	@$(PY) -m devstack.lock --check
	@$(PY) -m ruff check $(PYTHON_DIRS)
	@$(PY) -m ruff format --check $(PYTHON_DIRS)
	@$(PY) -m mypy
	@$(MAKE) --no-print-directory test-hosting
	@AI_STACK_PORT_OFFSET=$(TEST_PORT_OFFSET) $(PY) -m devstack run -- \
		bash -c '$(PY) -m pytest -m "not faults" --durations=25 && node --test tests/rules/ tests/browser/'
	@$(MAKE) --no-print-directory test-faults

test-faults: install  ## stop and restart services mid-interview and mid-evaluation (tests/faults: a stack of their own)
	@AI_STACK_PORT_OFFSET=$(TEST_PORT_OFFSET) $(PY) -m pytest -m faults tests/faults

test-hosting:  ## the web app: lint, unit tests (Vitest), type-checked production build with its size budget
	@cd hosting && npm run --silent lint && npm test --silent && npm run --silent build

test-infra: install-test  ## Terraform, Cloud Build, Dockerfile and packaging checks
	@$(PY) -m pytest tests/infra

test-unit: install  ## only the tests that need no running service
	@$(PY) -m pytest -m "not integration"

openapi:  ## regenerate the API's OpenAPI document and the web app's types from it (checked by make test)
	@cd functions && ENVIRONMENT=local $(CURDIR)/$(PY) -m api.openapi ../hosting/src/generated/openapi.json
	@cd hosting && npm run --silent api:types

lint:
	@$(PY) -m ruff check $(PYTHON_DIRS)

format:
	@$(PY) -m ruff format $(PYTHON_DIRS)
	@$(PY) -m ruff check --fix $(PYTHON_DIRS)

typecheck:
	@$(PY) -m mypy

lock: install  ## after editing a pyproject.toml: re-resolve uv.lock and rewrite the hashed exports
	@$(PY) -m devstack.lock

bench-api: install  ## p50/p99 of token minting and interview creation at 1 and 16 clients
	@$(PY) -m devstack run -- $(PY) -m bench.api

bench-load: install  ## ramp concurrency on token minting, listing, creation: throughput, p50, p99, errors, the knee
	@TOKEN_RATE_LIMIT_PER_MINUTE=600 $(PY) -m devstack run -- $(PY) -m bench.load

fuzz: install  ## schemathesis over every route of the local api (>= 1,000 requests), failures counted by kind
	@$(PY) -m devstack run --only firestore,auth,storage,tasks,livekit,gemini,api,evaluate,sweep -- $(PY) -m bench.fuzz

bench-agent: install  ## join -> first audio, per-turn agent overhead, CPU/memory at 1, 5, 10 interviews
	@$(PY) -m devstack run -- $(PY) -m bench.agent

bench-pipeline: install  ## webhook -> report written, p50/p95 for 20 interviews (local model)
	@$(PY) -m devstack run -- $(PY) -m bench.pipeline

smoke-real:  ## one short interview against a deployment (real LiveKit and Gemini; SMOKE_* env, see agent_worker/README.md)
	@$(PY) -m infra.tools.smoke_real $(SMOKE_ARGS)

eval-real:  ## grade the golden transcripts with the real Gemini API (GEMINI_API_KEY); fails below Spearman 0.9
	@$(PY) -m bench.eval_real

clean:
	rm -rf .stack .pytest_cache .mypy_cache .ruff_cache
