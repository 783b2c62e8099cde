# Customer Desk. `make run` starts the app, `make test` runs the whole suite;
# both create .venv and install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

CUSTOMERS ?= 100000
DB ?= sqlite

NAME ?= api
ROLE ?= write

PRESET ?=
MODE ?= all_or_nothing

.PHONY: run api api-key import test test-e2e-soak lint bench screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Migrates, seeds ~200 demo customers into an empty database (CUSTOMER_DESK_DEMO_DATA=0
# skips that), then serves the app on http://127.0.0.1:8501.
run: $(STAMP)
	$(BIN)/python -m services.bootstrap --demo
	$(BIN)/streamlit run app.py

# The REST API on http://127.0.0.1:8000/api/v1 (docs at /api/v1/docs), same database as the app.
api: $(STAMP)
	$(BIN)/python -m services.bootstrap
	$(BIN)/uvicorn api.main:app --host 127.0.0.1 --port 8000

# A new API key, printed once: make api-key NAME="metering pipeline" ROLE=write|read
api-key: $(STAMP)
	$(BIN)/python -m api.cli create-key "$(NAME)" --role $(ROLE)

# Import a CSV or Excel file: make import FILE=customers.csv [PRESET=stripe] [MODE=valid_only]
# (without PRESET the preset is detected from the file's headers, and the command says which)
import: $(STAMP)
	$(BIN)/python -m services.imports "$(FILE)" $(if $(PRESET),--preset $(PRESET)) --mode $(MODE)

# The service, API and page tests on both cores; the browser tests after them, on both cores
# too, a test file at a time on each (each worker drives a real Chromium against a
# Streamlit server of its own; a file's tests share theirs, so a file stays on one worker).
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --ignore=tests/e2e
	$(BIN)/python -m pytest -n 2 --dist loadfile tests/e2e

# The browser suite 5 times with a CPU hog on one core and 5 times quiet: make test-e2e-soak [RUNS=5]
test-e2e-soak: $(STAMP)
	bash tooling/soak_e2e.sh

# Figures for README's Performance section: make bench DB=postgres CUSTOMERS=100000
bench: $(STAMP)
	$(BIN)/python -m bench --customers $(CUSTOMERS) --db $(DB)

lint: $(STAMP)
	$(BIN)/ruff check .

# README's pictures: the copies the browser tests took on their last run.
screenshots:
	cp test-artifacts/screenshots/customers.png test-artifacts/screenshots/new-customer-modal.png \
	   test-artifacts/screenshots/import.png \
	   test-artifacts/screenshots/customers-custom-fields.png \
	   test-artifacts/screenshots/customer-family.png docs/screenshots/
	cp test-artifacts/screenshots/payment-methods-profile.png docs/screenshots/customer-profile.png
	cp test-artifacts/screenshots/profile-individual.png docs/screenshots/customer-billing-profile.png
	cp test-artifacts/screenshots/settings-legal-entities.png docs/screenshots/settings.png
