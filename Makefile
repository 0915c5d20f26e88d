# make          set up what is missing, build the three editions, verify them
# make test     run the test suite
SHELL := /bin/bash
VENV   := .venv
PY     := $(VENV)/bin/python
OUT    := output
SOURCE := $(wildcard source/*.md)
STEM   := $(basename $(notdir $(firstword $(SOURCE))))
STAMP  := $(VENV)/.installed
SYSTEM := $(VENV)/.system

# Each edition depends on exactly its inputs: the source tree, the shared stages, its own writer and templates.
COMMON := $(shell find source -type f) pyproject.toml build.py $(wildcard jpub/*.py jpub/checks/*.py) \
          jpub/editions/__init__.py jpub/editions/fragments.py
PDF_IN  := $(COMMON) jpub/editions/pdf.py $(wildcard jpub/editions/pdf_*.py) $(wildcard templates/pdf/*)
DOCX_IN := $(COMMON) $(wildcard jpub/editions/docx*.py) $(wildcard templates/docx/*)
HTML_IN := $(COMMON) jpub/editions/html.py $(wildcard jpub/editions/html_*.py) $(wildcard templates/html/*)

.PHONY: all pdf docx html check verify test clean setup bench
.DELETE_ON_ERROR:

all: $(OUT)/$(STEM).pdf $(OUT)/$(STEM).docx $(OUT)/$(STEM).html

pdf:  $(OUT)/$(STEM).pdf
docx: $(OUT)/$(STEM).docx
html: $(OUT)/$(STEM).html

$(OUT)/$(STEM).pdf: $(PDF_IN) | $(STAMP) $(SYSTEM)
	$(PY) build.py pdf --source $(firstword $(SOURCE)) --out $(OUT)
$(OUT)/$(STEM).docx: $(DOCX_IN) | $(STAMP) $(SYSTEM)
	$(PY) build.py docx --source $(firstword $(SOURCE)) --out $(OUT)
$(OUT)/$(STEM).html: $(HTML_IN) | $(STAMP) $(SYSTEM)
	$(PY) build.py html --source $(firstword $(SOURCE)) --out $(OUT)

check: | $(STAMP)
	$(PY) build.py check --source $(firstword $(SOURCE))

verify: all
	$(PY) build.py verify --source $(firstword $(SOURCE)) --out $(OUT)

test: | $(STAMP) $(SYSTEM)
	$(PY) -m pytest

setup: $(STAMP) $(SYSTEM)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# System pieces: Japanese fonts, and libharfbuzz-subset (without it WeasyPrint subsets fonts ~15x slower).
$(SYSTEM): scripts/system-deps.sh | $(STAMP)
	bash scripts/system-deps.sh
	touch $@

clean:
	rm -rf $(OUT) .pytest_cache
