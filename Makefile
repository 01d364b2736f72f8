# Radar: every target sets up what it needs. `make` alone lists the targets.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compose v2 (`docker compose`) when the Docker CLI has it, else v1 (`docker-compose`, what
# `make tools` installs from Debian); the compose file works with both.
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
# The image compose builds and runs is ghcr.io/radar/radar:<version> unless RADAR_IMAGE is set
# (in .env, the environment or `make up RADAR_IMAGE=registry.example/radar:tag`).

.DEFAULT_GOAL := help
.PHONY: help setup tools run test lint format typecheck check bench eval train cv up down clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml)
	$(UV) sync --frozen --all-packages --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced ## create .venv with every package (uv, one lock file)

tools: ## install promtool, prometheus and docker-compose (Debian, as root) for the deploy checks
	@command -v promtool >/dev/null && command -v prometheus >/dev/null && \
	  command -v docker-compose >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	   --no-install-recommends prometheus docker-compose >/dev/null)

run: setup ## run Redis (embedded unless REDIS_URL is set) and every service on the sample feeds
	$(BIN)/radar up

test: lint typecheck ## lint, typecheck, then the whole suite against a real Redis it starts
	$(BIN)/pytest -n auto --durations=10

lint: setup ## check style (ruff)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## fix style (ruff)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: setup ## mypy, strict, on the libraries and services
	$(BIN)/mypy $(foreach p,schemas runtime reference news earnings tagger scorer alerter notifier cli,-p radar_$(p))

check: test ## the same as test

bench: setup ## every benchmark in bench/, one after another (never part of make test)
	@for script in $(filter-out bench/summary.py,$(wildcard bench/*.py)); do \
	  echo "== $$script"; $(BIN)/python $$script || exit 1; done
	@$(BIN)/python bench/summary.py

EVAL := tests/fixtures/eval

eval: setup ## tagger figures: the frozen test split first (all files as one, then each), then the parts it was trained on and held-out sentiment; then the event cards the alert rule raises on the frozen split
	$(BIN)/python -m radar_tagger.evaluate \
	  $(EVAL)/test.jsonl+$(EVAL)/test_2.jsonl+$(EVAL)/test_3.jsonl+$(EVAL)/test_4.jsonl+$(EVAL)/test_5.jsonl+$(EVAL)/test_6.jsonl \
	  $(EVAL)/test.jsonl $(EVAL)/test_2.jsonl $(EVAL)/test_3.jsonl $(EVAL)/test_4.jsonl \
	  $(EVAL)/test_5.jsonl $(EVAL)/test_6.jsonl \
	  $(EVAL)/dev.jsonl $(EVAL)/train.jsonl \
	  tests/fixtures/news/background.jsonl \
	  tests/fixtures/sentiment/twitter_financial_news_valid.jsonl
	$(BIN)/python -m radar_cli.alert_quality \
	  $(EVAL)/test.jsonl+$(EVAL)/test_2.jsonl+$(EVAL)/test_3.jsonl+$(EVAL)/test_4.jsonl+$(EVAL)/test_5.jsonl+$(EVAL)/test_6.jsonl

TRAINING := $(EVAL)/train.jsonl $(EVAL)/dev.jsonl tests/fixtures/sentiment/twitter_financial_news_train.jsonl

train: setup ## retrain the tagger's model on the training part (never the frozen test split)
	$(BIN)/python -m radar_tagger.train $(TRAINING)

cv: setup ## the tagger's figures by 5-fold cross-validation on the training part
	$(BIN)/python -m radar_tagger.train $(TRAINING) --cross-validate 5

up: ## build the image and start compose (needs a Docker engine and .env: docs/deployment.md)
	@test -f .env || { echo "no .env: cp deploy/compose/env.example .env and fill it in (docs/deployment.md)"; exit 1; }
	@command -v $(firstword $(COMPOSE)) >/dev/null || { echo "no Compose: make tools installs docker-compose (as root)"; exit 1; }
	$(COMPOSE) up -d --build

down: ## stop compose (volumes kept; add -v by hand to drop Redis data)
	$(COMPOSE) down

clean: ## remove the virtual environment, caches and local state
	rm -rf $(VENV) $(TOOLS) .radar .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
