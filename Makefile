# Quick start: `make build`, then `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: FORCE set-up set-up-test language-named build test lint serve check new bench screenshot translations new-language clean

# make's commands run what .venv holds: a PYTHONPATH or PYTHONHOME set for other programs would
# mix other packages (or another Python's library) into it, and a pip told to install for the
# user (PIP_USER, or `user = true` in pip.conf) cannot install into a virtual environment.
unexport PYTHONPATH PYTHONHOME
export PIP_USER := 0

# A text quoted for the shell, whatever it holds; given: a variable's value, as typed (make new).
quoted = '$(subst ','\'',$(1))'
given = $(call quoted,$(value $(1)))

# A .venv that cannot serve is made again: its Python is gone (uninstalled, or upgraded away),
# its set-up stopped before pip was in it, the checkout moved (the commands in .venv/bin start
# the Python at the path they were installed at; $(STAMP) holds that folder), or PYTHON= names
# another Python than the one it was made with. Its Python there but unable to start here is
# told as "cannot-start:" and what it said first (Python 3.11 and 3.12 read the install's paths
# in the locale's encoding, and stop at start-up when a folder of the checkout's path has
# letters outside ASCII and the locale is C): that .venv is never made again.
comma := ,
# With PYTHON= given: the folder of the Python it names, to compare with the one .venv was made from.
asked = $(if $(filter command line,$(origin PYTHON)),$(shell \
	env -u PYTHONPATH -u PYTHONHOME $(PYTHON) -c 'import sys; print(sys.base_prefix)' 2>/dev/null))
VENV_CHECK := $(shell \
	[ -f $(VENV)/pyvenv.cfg ] || exit 0; \
	made=$$(env -u PYTHONPATH -u PYTHONHOME $(BIN)/python -c \
		'import sys, importlib.util as u; print("pip" if u.find_spec("pip") else "-", sys.base_prefix)' \
		2>/dev/null); \
	if [ -z "$$made" ] && [ -e $(BIN)/python ]; then echo "cannot-start: $$(env -u PYTHONPATH \
		-u PYTHONHOME $(BIN)/python -c '' 2>&1 | head -n 1)"; exit 0; fi; \
	if [ -z "$$made" ]; then \
		echo "its Python, in $$(sed -n 's/^home *= *//p' $(VENV)/pyvenv.cfg), is gone"; exit 0; fi; \
	if [ "$${made%% *}" != pip ]; then \
		echo "its set-up stopped before pip was installed"; exit 0; fi; \
	was=$$(cat $(STAMP) 2>/dev/null); \
	if [ -n "$$was" ] && [ ! "$$was/$(VENV)" -ef $(VENV) ]; then \
		echo "it was made in $$was$(comma) and the checkout has moved"; exit 0; fi; \
	want=$(call quoted,$(asked)); \
	if [ -n "$$want" ] && [ "$${made#pip }" != "$$want" ]; then \
		echo "it was made with the Python in $${made#pip }$(comma) not with $(PYTHON)"; fi)
VENV_FAILS := $(if $(filter cannot-start:,$(word 1,$(VENV_CHECK))),$(wordlist 2,999,$(VENV_CHECK)))
VENV_PROBLEM := $(if $(VENV_FAILS),,$(VENV_CHECK))
# Installed for this folder, by whatever path it was reached (an older Makefile's stamp names
# none: installed again, once).
VENV_STALE := $(VENV_CHECK)$(shell was=$$(cat $(STAMP) 2>/dev/null); \
	[ -n "$$was" ] && [ "$$was/$(VENV)" -ef $(VENV) ] || echo stale)

# Two set-ups at once (make serve in one terminal, make build in another, on a fresh clone) would
# install into one .venv together, and one of them fail: where flock(1) is, they take turns,
# each set-up in a make of its own that looks at .venv again once its turn has come.
FLOCK := $(if $(SETTING_UP),,$(shell command -v flock 2>/dev/null))
goal = $(or $(GOAL),$(MAKECMDGOALS),build)
in_turn = @$(FLOCK) pyproject.toml $(MAKE) --no-print-directory $(1) SETTING_UP=1 \
	GOAL=$(call quoted,$(goal))

# Reinstall whenever pyproject.toml changes, so a stale .venv is refreshed. Building needs only
# what the site is made with; the tests' tools (a browser driver, linters) come with `make test`.
$(STAMP): pyproject.toml $(if $(VENV_STALE),FORCE)
ifneq ($(FLOCK),)
	$(call in_turn,set-up)
else
	$(if $(VENV_FAILS),$(cannot_start))
	@$(if $(VENV_PROBLEM),,test -x $(BIN)/python ||) { $(python_fits); }
	$(if $(VENV_PROBLEM),$(remake_venv))
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	printf '%s\n' $(call quoted,$(CURDIR)) > $(STAMP)
endif

$(TEST_STAMP): $(STAMP)
ifneq ($(FLOCK),)
	$(call in_turn,set-up-test)
else
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)
endif

# The set-ups, in turn (see FLOCK)
set-up: $(STAMP)
	@:
set-up-test: $(TEST_STAMP)
	@:

FORCE:

# The Python to make .venv with is checked before an old .venv is removed: one too old, or one
# that cannot make it, leaves the old one be.
python_fits = $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "make: peru-digest needs Python 3.11 or newer, and $(PYTHON) is" \
			"$$($(PYTHON) --version 2>/dev/null || echo 'not found')."; \
		echo "  hint: install one, then name it: make $(goal)" \
			"PYTHON=python3.12 (or its path)"; \
		exit 1; }; \
	$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
		echo "make: $(PYTHON) cannot make a virtual environment: its ensurepip module is missing."; \
		echo "  hint: on Debian or Ubuntu, sudo apt install python3-venv; or name another" \
			"Python: make $(goal) PYTHON=..."; \
		exit 1; }

cannot_start = @echo $(call quoted,make: $(VENV)'s Python cannot start here: $(VENV_FAILS)); \
	echo "  hint: Python 3.11 and 3.12 need a UTF-8 locale in a checkout whose path has letters" \
		"outside ASCII: LC_ALL=C.UTF-8 make $(goal), or make $(goal) PYTHON=python3.13;" \
		"else remove $(VENV) and run make again"; \
	exit 1

remake_venv = @echo $(call quoted,$(VENV) cannot be used: $(VENV_PROBLEM). Making it again.); \
	rm -rf $(VENV) 2>/dev/null || { echo "make: $(VENV) could not be removed:" \
	"remove it yourself (rm -rf $(VENV)), then run make again."; exit 1; }

# The Nu HTML Checker for the tests: vnu.jar from npm (pinned in package-lock.json), run on the
# system's Java. --ignore-scripts: its install script would download a Java runtime of its own.
# Without npm the checker's test skips loudly (in CI, where nothing may skip, it fails).
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the Nu HTML Checker test will be SKIPPED (install Node.js with npm)"; \
	fi

build: $(STAMP)
	$(BIN)/peru-digest build

test: $(TEST_STAMP) $(VNU_JAR)
	$(BIN)/ruff check src tests build.py benchmarks docs
	$(BIN)/ruff format --check src tests build.py benchmarks docs
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests build.py benchmarks docs
	$(BIN)/ruff format --check src tests build.py benchmarks docs
	$(BIN)/mypy

# Preview while editing: http://127.0.0.1:8000/ rebuilds and reloads on every save.
serve: $(STAMP)
	$(BIN)/peru-digest serve

check: $(STAMP)
	$(BIN)/peru-digest check

# make new TITLE="..." SOURCE="..." URL="..." [DATE=YYYY-MM-DD] [TOPICS=a,b] [AUTHORS="A, B"]
# Each value reaches the command exactly as given: quotes, backticks and $ (US$5) included.
new: $(STAMP)
	$(BIN)/peru-digest new --title=$(call given,TITLE) --source=$(call given,SOURCE) \
		--url=$(call given,URL) $(if $(value DATE),--date=$(call given,DATE)) \
		$(if $(value TOPICS),--topics=$(call given,TOPICS)) \
		$(if $(value AUTHORS),--authors=$(call given,AUTHORS))

# Build times on a synthetic corpus (benchmarks/README.md): make bench [N=10000] [ARGS=...]
#   make bench N=1000 ARGS="--peers"     also Hugo, and Pelican from a throwaway venv
#   make bench N=100000 ARGS="--runs 1"  clean, incremental and memory at 100,000 articles
#   make bench ARGS="--peers --runs 1 --sweep 1000,10000,100000"   the plot in docs/
N ?= 10000
ARGS ?=
bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench_build.py $(N) $(ARGS)

# The README's picture of the home page, from the site as content/ builds now (needs chromium).
screenshot: $(TEST_STAMP)
	$(BIN)/python docs/screenshot.py

# The interface's catalogs (README: Translating the interface). `make translations` gathers
# every message of the code and templates into messages.pot and brings each language's .po up to
# date with it; `make new-language CODE=pt` starts a catalog for another language.
LOCALE := src/peru_digest/locale
POT := $(LOCALE)/messages.pot
translations: $(STAMP)
	$(BIN)/pybabel --quiet extract -F pyproject.toml --project=peru-digest --no-wrap --no-location \
		--copyright-holder="the peru-digest authors" --add-comments=Translators: \
		--strip-comments -o $(POT).new src/peru_digest templates
	@# The template changes only when a message does, not with each extraction's date.
	@if diff -q -I '^"POT-Creation-Date:' $(POT) $(POT).new >/dev/null 2>&1; \
		then rm $(POT).new; else mv $(POT).new $(POT); fi
	$(BIN)/pybabel --quiet update -i $(POT) -d $(LOCALE) --no-wrap --ignore-pot-creation-date
	@for po in $(LOCALE)/*/LC_MESSAGES/messages.po; do \
		$(BIN)/pybabel compile --statistics -i $$po -o /dev/null 2>&1 | grep -v '^compiling'; \
	done

new-language: language-named translations
	$(BIN)/pybabel init -i $(POT) -d $(LOCALE) --no-wrap -l $(CODE)

language-named:
	@test -n "$(CODE)" || { echo "make: name the language: make new-language CODE=pt"; exit 1; }

# A site deployed as a checkout (public/.git) keeps its version control, as a build does.
clean:
	rm -rf $(VENV) node_modules .public-spare .public.peru-digest-* .peru-digest-cache .pytest_cache .mypy_cache .ruff_cache \
		.hypothesis src/peru_digest.egg-info tests/artifacts
	if [ -d public ]; then \
		find public -mindepth 1 -maxdepth 1 ! -name .git ! -name .hg ! -name .svn -exec rm -rf {} +; \
		rmdir public 2>/dev/null || true; \
	fi
