# make          set up what is missing, build the three editions, verify that they agree
# make test     run the test suite
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
CHECKED  := $(OUT)/.$(STEM).checked

# Each edition depends on exactly its inputs: the source tree, the shared stages, its own writer and
# templates. Reading outputs back (verify, readback, pdfcheck) is not an input of any edition.
READERS := jpub/verify.py jpub/expectations.py $(wildcard jpub/readback/*.py) jpub/pdfcheck.py
COMMON  := $(shell find source -type f) pyproject.toml build.py \
           $(filter-out $(READERS),$(wildcard jpub/*.py)) $(wildcard jpub/checks/*.py) \
           jpub/editions/__init__.py jpub/editions/fragments.py
PDF_IN  := $(COMMON) $(wildcard jpub/editions/pdf*.py) $(wildcard templates/pdf/*)
DOCX_IN := $(COMMON) $(wildcard jpub/editions/docx*.py) $(wildcard templates/docx/*)
HTML_IN := $(COMMON) $(wildcard jpub/editions/html*.py) $(wildcard templates/html/*)

.PHONY: all pdf docx html check verify test clean setup bench
.DELETE_ON_ERROR:

all: $(VERIFIED)

pdf:  $(PDF)
docx: $(DOCX)
html: $(HTML)

# The checks run once and show their warnings once; each edition's build still stops on an error.
$(CHECKED): $(COMMON) | $(STAMP)
	@mkdir -p $(OUT)
	$(PY) build.py check --source $(SOURCE)
	@touch $@

$(PDF): $(PDF_IN) $(CHECKED) | $(STAMP) $(SYSTEM)
	$(PY) build.py pdf --quiet --source $(SOURCE) --out $(OUT)
$(DOCX): $(DOCX_IN) $(CHECKED) | $(STAMP) $(SYSTEM)
	$(PY) build.py docx --quiet --source $(SOURCE) --out $(OUT)
$(HTML): $(HTML_IN) $(CHECKED) | $(STAMP) $(SYSTEM)
	$(PY) build.py html --quiet --source $(SOURCE) --out $(OUT)

# make runs verify after building; the stamp keeps a no-op make from starting Python.
$(VERIFIED): $(PDF) $(DOCX) $(HTML) $(READERS)
	$(PY) build.py verify --source $(SOURCE) --out $(OUT)
	@touch $@

verify:
	@rm -f $(VERIFIED)
	@$(MAKE) --no-print-directory $(VERIFIED)

check: | $(STAMP)
	$(PY) build.py check --source $(SOURCE)

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
