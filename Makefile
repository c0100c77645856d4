# All set-up happens here: `make run` and `make test` work on a fresh machine with python3.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EVAL_DIR ?= ../shared/eval

.PHONY: install run test bench eval clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

run: install
	$(BIN)/policy scan samples/

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/rules_stats.py

eval: install
	@if [ -d "$(EVAL_DIR)" ]; then \
		$(BIN)/policy eval $(EVAL_DIR)/*.jsonl; \
	else \
		echo "eval: $(EVAL_DIR) is absent; nothing to measure"; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info
