# The two commands a new engineer needs: `make dev` and `make test`. Both install what is missing first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# Tests run their own stack on ports moved by this offset, so a `make dev` stack can keep running.
TEST_PORT_OFFSET ?= 100
export PYTHONPATH := $(CURDIR)/functions:$(CURDIR)

.PHONY: install dev test test-hosting test-unit lint typecheck format bench-api bench-pipeline bench-agent stack clean

install:  ## install every tool and package (idempotent; about a second when all is there)
	@devstack/install.sh

dev: install  ## start the whole local stack (emulators, functions, agent, SPA); Ctrl-C stops it
	@$(PY) -m devstack up

stack: install  ## the stack without the SPA dev server
	@$(PY) -m devstack up

test: install  ## lint, type-check, then every test against a stack started once for the session
	@$(PY) -m ruff check functions devstack tests bench agent_worker
	@$(PY) -m ruff format --check functions devstack tests bench agent_worker
	@$(PY) -m mypy
	@$(MAKE) --no-print-directory test-hosting
	@AI_STACK_PORT_OFFSET=$(TEST_PORT_OFFSET) $(PY) -m devstack run -- \
		bash -c '$(PY) -m pytest && node --test tests/rules/ tests/browser/'

test-hosting:  ## the web app: lint, unit tests (Vitest), type-checked production build with its size budget
	@cd hosting && npm run --silent lint && npm test --silent && npm run --silent build

test-unit: install  ## only the tests that need no running service
	@$(PY) -m pytest -m "not integration"

lint:
	@$(PY) -m ruff check functions devstack tests bench agent_worker

format:
	@$(PY) -m ruff format functions devstack tests bench agent_worker
	@$(PY) -m ruff check --fix functions devstack tests bench agent_worker

typecheck:
	@$(PY) -m mypy

bench-api: install  ## p50/p99 of token minting and interview creation at 1 and 16 clients
	@$(PY) -m devstack run -- $(PY) -m bench.api

bench-agent: install  ## join -> first audio, per-turn agent overhead, CPU/memory at 1, 5, 10 interviews
	@$(PY) -m devstack run -- $(PY) -m bench.agent

bench-pipeline: install  ## webhook -> report written, p50/p95 for 20 interviews (local model)
	@$(PY) -m devstack run -- $(PY) -m bench.pipeline

clean:
	rm -rf .stack .pytest_cache .mypy_cache .ruff_cache
