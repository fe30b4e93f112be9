# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE := vanban/data/sample/ke-hoach-mau.docx

.PHONY: demo test setup system-deps lint typecheck bench clean

$(BIN)/vanban: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --config-settings editable_mode=strict -e '.[dev]'
	touch $@

setup: $(BIN)/vanban

system-deps:
	bash scripts/system-deps.sh

demo: setup
	$(BIN)/vanban check --fail-on never $(SAMPLE)

test: system-deps setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check vanban extractor rules corpus models tests bench
	$(BIN)/mypy vanban extractor rules corpus models

bench: setup
	$(BIN)/python bench/extract_bench.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
