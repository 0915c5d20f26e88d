# make          set up what is missing, build the three editions, verify that they agree
# make test     run the test suite
# make preview  serve a live preview on http://127.0.0.1:8400/
SHELL := /bin/bash
VENV   := .venv
PY     := $(VENV)/bin/python
OUT    := output
SOURCES := $(wildcard source/*.md)
ifneq ($(words $(SOURCES)),1)
$(error source/ must hold exactly one .md file, found $(words $(SOURCES)): $(or $(SOURCES),none) — move the others (a backup, a draft) elsewhere)
endif
SOURCE := $(SOURCES)
STEM   := $(basename $(notdir $(SOURCE)))
STAMP  := $(VENV)/.installed
SYSTEM := $(VENV)/.system
PDF    := $(OUT)/$(STEM).pdf
DOCX   := $(OUT)/$(STEM).docx
HTML   := $(OUT)/$(STEM).html
VERIFIED := $(OUT)/.$(STEM).verified
OUTPUTS  := $(PDF) $(DOCX) $(HTML)

# Each edition depends on exactly its inputs: the source tree, the shared stages, its own writer and
# templates. Reading outputs back (jpub/verify/) is not an input of any edition.
READERS := $(wildcard jpub/verify/*.py)
COMMON  := $(shell find source -type f) pyproject.toml build.py \
           $(filter-out $(READERS),$(wildcard jpub/*.py)) $(wildcard jpub/checks/*.py) \
           jpub/editions/__init__.py jpub/editions/fragments.py
PDF_IN  := $(COMMON) $(wildcard jpub/editions/pdf/*.py) $(wildcard templates/pdf/*)
DOCX_IN := $(COMMON) $(wildcard jpub/editions/docx/*.py) $(wildcard templates/docx/*)
HTML_IN := $(COMMON) $(wildcard jpub/editions/html/*.py) $(wildcard templates/html/*)

.PHONY: all pdf docx html check verify test clean setup bench preview FORCE
.DELETE_ON_ERROR:

all: $(VERIFIED)

# One build.py run makes every edition that is out of date — an edition whose output is missing or older
# than one of its own inputs — so the checks run once (each warning shown once), pandoc parses once and the
# editions render side by side; then verify reads all three back. A missing output makes the stamp out of
# date (FORCE); an unchanged tree runs nothing, not even Python.
stale = $(if $(wildcard $(1)),$(if $(shell find $(2) -newer $(1) -print -quit),$(3)),$(3))
STALE = $(strip $(call stale,$(PDF),$(PDF_IN),pdf) $(call stale,$(DOCX),$(DOCX_IN),docx) $(call stale,$(HTML),$(HTML_IN),html))

$(VERIFIED): $(sort $(PDF_IN) $(DOCX_IN) $(HTML_IN)) $(READERS) $(wildcard $(OUTPUTS)) \
             $(if $(filter-out $(wildcard $(OUTPUTS)),$(OUTPUTS)),FORCE) | $(STAMP) $(SYSTEM)
	@mkdir -p $(OUT)
	$(if $(STALE),$(PY) build.py $(STALE) --source $(SOURCE) --out $(OUT))
	$(PY) build.py verify --source $(SOURCE) --out $(OUT)
	@touch $@

# One edition, built whether or not it is out of date.
pdf docx html: | $(STAMP) $(SYSTEM)
	$(PY) build.py $@ --source $(SOURCE) --out $(OUT)

verify:
	@rm -f $(VERIFIED)
	@$(MAKE) --no-print-directory $(VERIFIED)

check: | $(STAMP)
	$(PY) build.py check --source $(SOURCE)

# The live preview: the web edition and the PDF rebuilt on every save (PORT=8400 by default)
preview: | $(STAMP) $(SYSTEM)
	$(PY) build.py preview --source $(SOURCE) --out $(OUT) $(if $(PORT),--port $(PORT))

test: | $(STAMP) $(SYSTEM)
	$(PY) -m pytest

# BENCH_ARGS="--sizes 1 10 50" adds the long run
bench: | $(STAMP) $(SYSTEM)
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	$(PY) bench/run.py --source $(SOURCE) $(BENCH_ARGS)

setup: $(STAMP) $(SYSTEM)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	@touch $@

# System pieces: Japanese fonts, and libharfbuzz-subset (without it WeasyPrint subsets fonts ~15x slower).
$(SYSTEM): scripts/system-deps.sh | $(STAMP)
	bash scripts/system-deps.sh
	@touch $@

clean:
	rm -rf $(OUT) .pytest_cache
