# Every target that needs Python first makes .venv and installs the project into it,
# so `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint system-deps clean demo

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Tools outside PyPI, best effort: antiword and catdoc read .doc/.wps (the parser says clearly when
# they are missing); a CJK font lets PDFium place the characters of PDFs that do not embed their font
# (the parser falls back to pdfminer for such pages without one) and gives the synthetic PDFs of the
# tests the embedded font of Word/WPS exports.
system-deps:
	@missing=""; command -v antiword >/dev/null || missing="antiword catdoc"; \
	  [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null 2>&1 || true; \
	    else echo "note: install $$missing (Debian package names) for .doc/.wps files and CJK PDF fonts"; fi; fi

# The main job on the embedded default (SQLite and files under ./var): crawl every site of the registry
# (crawler/sites.yaml), archive and parse what is new, then say what changed. Exit 1 (errors, e.g. no
# network) and 2 (a host blocked us) are reported by the crawl itself and do not stop the recipe.
run: $(STAMP) system-deps
	$(BIN)/nianbao db upgrade
	@$(BIN)/nianbao crawl --all; rc=$$?; \
	  if [ $$rc -gt 2 ]; then exit $$rc; fi; \
	  if [ $$rc -eq 1 ]; then echo "(no network here? 'make demo' runs the same pipeline against the local mirror)"; fi
	$(BIN)/nianbao new --since-last-crawl
	$(BIN)/nianbao status

# The whole pipeline offline: crawls the local mirror of the target sites twice (a day apart) into
# var/demo, then shows `nianbao new` and a search (cli/crawl.py: demo_cmd).
demo: $(STAMP) system-deps
	$(BIN)/nianbao demo

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var .pytest_cache
