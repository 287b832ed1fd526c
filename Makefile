# The two commands: `make run` serves the product on the embedded default; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PIP := $(BIN)/pip --disable-pip-version-check

.PHONY: install run test services lint format clean bench api-conformance

# Each step says what it does; pip shows each package as it goes (the first install takes minutes).
$(VENV)/.installed: pyproject.toml
	@echo "==> Creating the virtual environment in $(VENV)/"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Upgrading pip"
	$(PIP) install --quiet --upgrade pip
	@echo "==> Installing the marketplace and its dependencies"
	$(PIP) install -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Links in emails and the fake Stripe's webhook deliveries go to the address being served.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py conversations_open
	$(BIN)/python manage.py seed_demo
	@echo "Serving $(or $(SITE_NAME),the marketplace) at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/python -m uvicorn marketplace.config.asgi:application --host $(HOST) --port $(PORT) --lifespan off

services:
	scripts/ensure-services

# Browser tests run in their own pytest invocation (sync Playwright owns an event loop). The rest
# runs on TEST_WORKERS pytest-xdist workers (auto: one per CPU), each with its own test database,
# cache prefix, Celery queue and channel layer (marketplace/config/settings/test.py). The browser
# tests run on BROWSER_WORKERS workers the same way, each with its own Chromium and servers: a
# browser test mostly waits (for its server, then the browser), so two share two CPUs well.
TEST_WORKERS ?= auto
BROWSER_WORKERS ?= 2
test: install services
	$(BIN)/python -m pytest --ignore=tests/e2e -n $(TEST_WORKERS) --dist worksteal
	$(BIN)/python -m pytest tests/e2e -n $(BROWSER_WORKERS) --dist worksteal

# schemathesis over the whole API with more examples than the suite's bounded run (EXAMPLES=…).
api-conformance: install services
	API_CONFORMANCE_EXAMPLES=$(or $(EXAMPLES),25) $(BIN)/python -m pytest tests/checks/test_api_conformance.py -p no:cacheprovider

# Every benchmark, one table (docs/performance.md); BENCH_ARGS=--quick for a smoke-sized run.
bench: install services
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles artifacts .pytest_cache .ruff_cache
