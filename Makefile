# Two commands do everything on a fresh machine:
#   make run    set up a virtualenv, migrate SQLite, compile content/, serve on 127.0.0.1:5000
#   make test   set up a virtualenv with the test extras (and Chromium, redis-server), run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/quizapp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/quizapp
	$(BIN)/quizapp up

test: $(BIN)/quizapp
	scripts/ensure-chromium
	scripts/ensure-redis-server
	$(BIN)/python -m pytest

lint: $(BIN)/quizapp
	$(BIN)/ruff check quizapp tests bench
	$(BIN)/ruff format --check quizapp tests bench
	$(BIN)/mypy quizapp/core

bench: $(BIN)/quizapp
	status=0; for script in bench/*.py; do $(BIN)/python $$script || status=1; done; exit $$status

clean:
	rm -rf $(VENV) instance .pytest_cache
