# The two commands: `make serve` (the example site, live reload) and `make test` (everything).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test setup lint bench bench-quick clean

$(STAMP): requirements.txt pyproject.toml
	@scripts/python-venv
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

setup: $(STAMP)

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch node_modules/.installed

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

test:
	@scripts/test-tools
	@$(MAKE) --no-print-directory $(STAMP) node_modules/.installed
	$(VENV)/bin/ruff check redline redline_mkdocs hooks tests benchmarks
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check redline redline_mkdocs hooks tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run.py

bench-quick: $(STAMP)
	$(PY) benchmarks/run.py --quick

clean:
	rm -rf site test-artifacts .pytest_cache
