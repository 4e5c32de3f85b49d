# sohoa: the two commands of the README are `make demo` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
DATA    ?= sohoa-data
PYTEST_ARGS ?=

.PHONY: demo test deps deps-test venv lint bench compose-check clean

## Install what is missing, then ingest the sample batch and search it.
demo: deps venv
	SOHOA_DATA_DIR=$(DATA) $(BIN)/sohoa ingest samples/batch --dossier HS-MAU-0001 --station demo
	SOHOA_DATA_DIR=$(DATA) $(BIN)/sohoa search "phong chong dich covid"
	SOHOA_DATA_DIR=$(DATA) $(BIN)/sohoa search "nghi dinh" --type "Nghị định"

## Install what is missing (servers included), then run every test.
test: deps-test venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

deps:
	bash scripts/install-deps.sh runtime

deps-test:
	bash scripts/install-deps.sh test

venv: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: deps venv
	$(BIN)/python bench/throughput.py

compose-check:
	docker compose config -q && echo "docker-compose.yml is valid"

clean:
	rm -rf $(DATA) .pytest_cache
