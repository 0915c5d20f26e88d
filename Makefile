# make            set up what is missing, build every document in source/ that is out of date, verify it
# make -j2        the same, documents side by side
# make check      the checks of every document       make test / test-fast   the test suite / its quick part
# make preview    serve a live preview on http://127.0.0.1:8400/ (DOC=source/x.md picks the document, PORT=… the port)
SHELL  := /bin/bash
VENV   := .venv
PY     := $(VENV)/bin/python
OUT    := output
STAMP  := $(VENV)/.installed
SYSTEM := $(VENV)/.system
EDITIONS := pdf docx html

# A document that fails keeps its earlier outputs and does not stop the others; make still exits non-zero.
MAKEFLAGS += --keep-going

# Every file under a folder (make's wildcard is not recursive).
tree = $(foreach entry,$(wildcard $(1)/*),$(if $(wildcard $(entry)/.),$(call tree,$(entry)),$(entry)))

# The documents: each .md directly in source/, except those starting with _ (included only). Everything
# else under source/ — subfolders, _ files, templates/ overrides — may be included by any of them.
DOCUMENTS := $(filter-out source/_%,$(wildcard source/*.md))
STEMS     := $(patsubst source/%.md,%,$(DOCUMENTS))
SHARED    := $(filter-out $(DOCUMENTS),$(call tree,source))

# An edition's inputs follow from the folders: the shared stages (every module of jpub/ outside jpub/verify/
# and the editions' own subpackages, whose records — their __init__.py, the table every build reads — are
# shared too), the pinned dependencies, its own writer (jpub/editions/<edition>/) and templates
# (templates/<edition>/). Reading outputs back (jpub/verify/) is no input of an edition, only of verify.
# tests/test_make.py checks that every module a build of an edition imports is among its inputs.
READERS := $(call tree,jpub/verify)
RECORDS := $(foreach e,$(EDITIONS),jpub/editions/$(e)/__init__.py)
COMMON  := pyproject.toml constraints.txt build.py $(RECORDS) \
           $(filter %.py,$(filter-out $(READERS) $(foreach e,$(EDITIONS),$(call tree,jpub/editions/$(e))),$(call tree,jpub)))
inputs   = $(COMMON) $(filter %.py,$(call tree,jpub/editions/$(1))) $(call tree,templates/$(1))

.PHONY: all $(EDITIONS) check verify test test-fast lint clean setup bench constraints preview
.DELETE_ON_ERROR:

all: $(patsubst %,$(OUT)/.%.verified,$(STEMS))
	$(if $(STEMS),,@echo 'source/ holds no document: a .md file directly in it, its name not starting with _ (jpub new DIR starts a project)' >&2)

# Per document ($(1)): an edition's output is out of date when it is missing or older than one of its inputs.
# Its rule does not build it: it adds the edition to the document's list, and one build.py run then makes
# every edition on the list — the checks once (each warning shown once), one pandoc parse, the editions side
# by side — and verify reads all three back. The stamp also depends on every input itself, since an edition
# whose rule only listed it is not newer afterwards. An unchanged tree runs nothing, not even Python.
define edition_rule
$(OUT)/$(1).$(2): source/$(1).md $(SHARED) $(call inputs,$(2))
	$$(eval STALE.$(1) += $(2))
endef

define document_rules
$(OUT)/.$(1).verified: $(foreach e,$(EDITIONS),$(OUT)/$(1).$(e)) source/$(1).md $(SHARED) \
    $(sort $(foreach e,$(EDITIONS),$(call inputs,$(e)))) $(READERS) | $(STAMP) $(SYSTEM)
	@mkdir -p $(OUT)
	$$(if $$(STALE.$(1)),$(PY) build.py $$(STALE.$(1)) --source source/$(1).md --out $(OUT))
	$(PY) build.py verify --source source/$(1).md --out $(OUT)
	@touch $$@
$(foreach e,$(EDITIONS),$(eval $(call edition_rule,$(1),$(e))))
endef

$(foreach stem,$(STEMS),$(eval $(call document_rules,$(stem))))

# One edition of every document, built whether or not it is out of date.
$(EDITIONS): | $(STAMP) $(SYSTEM)
	$(PY) build.py $@ --out $(OUT)

verify:
	@rm -f $(OUT)/.*.verified
	@$(MAKE) --no-print-directory all

check: | $(STAMP)
	$(PY) build.py check

# The live preview: the web edition and the PDF rebuilt on every save (PORT=8400 by default)
preview: | $(STAMP) $(SYSTEM)
	$(PY) build.py preview $(if $(DOC),--source $(DOC)) --out $(OUT) $(if $(PORT),--port $(PORT))

# On every core (pytest-xdist); a test file's tests stay on one worker, so its module fixtures are built once.
TESTFLAGS ?= -n auto --dist loadfile
test: | $(STAMP) $(SYSTEM)
	$(PY) -m pytest $(TESTFLAGS)

# The edit loop: no slow tests (real builds of whole editions, make, outside clients).
test-fast: | $(STAMP) $(SYSTEM)
	$(PY) -m pytest -q -m "not slow" $(TESTFLAGS)

# mypy --strict on jpub/ (pyproject.toml [tool.mypy] says what it checks)
lint: | $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# BENCH_ARGS="--sizes 1 10 50" adds the long run
bench: | $(STAMP) $(SYSTEM)
	$(VENV)/bin/pip install --quiet -c constraints.txt -e '.[bench]'
	$(PY) bench/run.py --source source/white-paper-summary.md $(BENCH_ARGS)

setup: $(STAMP) $(SYSTEM)

# The Python packages, at the versions constraints.txt pins (make constraints renews it).
$(STAMP): pyproject.toml constraints.txt | $(SYSTEM)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

# System pieces: Japanese fonts, libharfbuzz-subset (without it WeasyPrint subsets fonts ~15x slower) and
# poppler's pdftotext (verify reads the PDF back with it).
$(SYSTEM): scripts/system-deps.sh
	bash scripts/system-deps.sh
	@mkdir -p $(VENV) && touch $@

# The newest releases pyproject.toml allows, resolved in a clean virtual environment and pinned.
constraints:
	rm -rf .constraints-venv
	python3 -m venv .constraints-venv
	.constraints-venv/bin/pip install --quiet '.[test,bench]'
	{ echo "# Exact versions make installs (pip install -c constraints.txt). Renew with: make constraints"; \
	  .constraints-venv/bin/pip freeze --all --exclude jpub --exclude pip; } > constraints.txt
	rm -rf .constraints-venv

clean:
	rm -rf $(OUT) .pytest_cache
