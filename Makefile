# courtlake — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir . --project-dir .
export DBT_PROFILES_DIR := $(CURDIR)
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

APT_PACKAGES := chromium chromium-driver

.PHONY: help setup system-deps test test-fast lint demo serve bench parse clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: system-deps $(STAMP) profiles.yml ## install Debian packages and the .venv (idempotent)

system-deps: ## install Chromium and chromedriver from Debian when missing
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

profiles.yml: profiles.yml.example
	cp profiles.yml.example profiles.yml

parse: setup ## dbt parse with the dev and prod targets (no credentials needed)
	$(DBT) parse $(DBT_FLAGS) --target dev
	$(DBT) parse $(DBT_FLAGS) --target prod

lint: setup ## ruff on Python, sqlfluff on the dbt models
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p warehouse && $(BIN)/sqlfluff lint models analyses macros tests/dbt

test: setup ## the whole suite: lint, then every test (slow and browser ones included)
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -q

test-fast: setup ## unit tests only (no browser, no slow tests)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

demo: setup ## start the portal simulator and print the URLs to open
	$(BIN)/courtlake simulator serve --seed 7 --as-of 2026-11-23 --port 8800

bench: setup ## benchmarks: world, simulator, ingest, dbt build (figures in bench-results/)
	$(BIN)/python -m benchmarks

clean: ## remove build output, the local lake and warehouse (keeps .venv)
	rm -rf target dbt_packages logs lake warehouse .pytest_cache
