# publish: `make` sets up and builds every seed; `make test` runs the tests.
# Run as root on Debian 12, `make` installs the apt packages it needs; as
# another user it prints the exact apt-get line instead.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

# Fonts for Latin, Arabic, Hebrew (Noto core) and Chinese/Japanese (Noto CJK);
# poppler-utils and qpdf for the PDF checks; Java for EPUBCheck.
# libharfbuzz-subset0: WeasyPrint subsets fonts with it in milliseconds; without
# it, it falls back to fontTools, about 5x slower per document.
# fonts-junicode: the MUFI private-use characters of medieval texts (8.7 MB),
# which no Noto face has; without it such a text fails with a missing glyph.
# Every living script (issue 11; docs/fonts.md): fonts-noto-core has a face for
# each script templates/scripts.css names; fonts-hanazono (HanaMinB) the CJK
# Extensions B to E, which Noto CJK lacks (U+20000 failed with a missing glyph);
# fonts-symbola monochrome outline emoji (U+1F600) and symbols, the only such
# font in Debian 12: PDF/A cannot embed the colour bitmaps of
# fonts-noto-color-emoji. fonts-noto-extra adds only weights; fonts-babelstone-han
# (Extensions F, G) would draw any private-use character with a glyph of its own.
# chromium, chromium-driver: the reading room's browser tests (Selenium), with no
# browser download. npm (Debian's, unless a Node.js with npm is already there): axe-core
# and the Nu Html Checker for those tests (package.json).
APT_PACKAGES := fonts-noto-core fonts-noto-cjk fonts-junicode fonts-hanazono fonts-symbola \
                poppler-utils qpdf \
                libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
                chromium chromium-driver
JAVA_PACKAGE := openjdk-17-jre-headless

# DAISY Ace (EPUB accessibility) runs headless on Debian's Chromium (above); Ace and
# axe-core are pinned in package.json/package-lock.json and installed under
# the project (node_modules/), never globally, with no browser download (the
# same packages and versions as the site's checks use).
export PUPPETEER_EXECUTABLE_PATH ?= /usr/bin/chromium
export PUPPETEER_SKIP_DOWNLOAD := 1
export ELECTRON_SKIP_BINARY_DOWNLOAD := 1

# Dates: each document is dated by its own inputs (seed, sidecar, images): the
# last commit that touched them, or their modification time if not committed
# (publish/build/dates.py), so a change to one document changes no other's bytes.
# SOURCE_DATE_EPOCH, if you give it (`make SOURCE_DATE_EPOCH=…` or the
# environment), pins every date instead, as reproducible-builds.org defines it.

# The official TEI P5 schema, read in place when it is there (make validate).
TEI_ALL := ../shared/schemas/tei/tei_all.rng

.PHONY: all build test test-latest lock validate deposit bench clean system

all: build

# Python dependencies are locked, with hashes, in requirements.lock (made by uv
# from pyproject.toml; `make lock` refreshes it). The venv is made anew from
# the lock whenever the lock or pyproject.toml changes, so it holds exactly
# what the lock names and nothing left over; `system` runs first. publish
# itself is installed editable, built by the locked setuptools.
LOCK_EXTRAS := --extra test --extra dask --extra bench --extra dev
$(STAMP): pyproject.toml requirements.lock | system
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Refresh the lock to the newest versions pyproject.toml allows, then run the
# tests on it (the venv is remade from the new lock first).
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_EXTRAS) --generate-hashes --upgrade \
	  --python-version 3.11 --quiet -o requirements.lock
	$(MAKE) --no-print-directory test

# Upstream drift, seen before it lands: a throwaway venv (.venv-latest) of the
# newest versions pyproject.toml allows, not the lock, and the tests on it.
# Not part of CI.
LATEST := .venv-latest
test-latest: $(NODE_STAMP) | system
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/pip install --quiet --upgrade -e '.[test,dask,bench]'
	$(LATEST)/bin/pip list --format=freeze | grep -iE '^(lxml|weasyprint|pikepdf)=='
	$(LATEST)/bin/ruff check publish tests bench tools
	$(LATEST)/bin/python -m pytest -q

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done; \
	            command -v java >/dev/null 2>&1 || echo $(JAVA_PACKAGE); \
	            command -v npm >/dev/null 2>&1 || echo npm; \
	            $(PYTHON) -c "import venv, ensurepip" >/dev/null 2>&1 || echo python3-venv); \
	missing=$$(echo $$missing); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "publish needs these packages; run as root:"; \
	    echo "  apt-get install -y --no-install-recommends $$missing"; exit 1; \
	  fi; \
	fi

# Node packages for the checks and the tests, from package-lock.json, under the
# project. --ignore-scripts: vnu-jar's install script would download a Java
# runtime (the system Java runs its jar), puppeteer's and electron's a browser
# (Ace runs on Debian's chromium). Ace 1.4 needs Node.js 20 or later; Debian 12's
# nodejs is 18, so Node comes from NodeSource (deb.nodesource.com) or another install.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json | system
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || \
	  { echo "Ace needs Node.js 20 or later with npm (Debian 12 has 18: use NodeSource's nodejs 20)"; exit 1; }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' || \
	  { echo "Ace 1.4 needs Node.js 20 or later (this is $$(node --version); Debian 12 has 18)"; exit 1; }
	PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

# The build checks what it made (only bytes not checked before) and writes
# dist/report.json and dist/report.html. Ace is installed first, so the report
# has its verdict; without Node.js 20 the build goes on and the report says
# that Ace was not run.
build: $(STAMP)
	@$(MAKE) --no-print-directory $(NODE_STAMP) || \
	  echo "make: DAISY Ace not installed (see above): the report will say each EPUB was not checked by Ace"
	$(BIN)/publish build --jobs $(JOBS) --validate $(if $(wildcard $(TEI_ALL)),--tei-all $(TEI_ALL))

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check publish tests bench tools
	$(BIN)/python -m pytest -q

# Every output the manifest lists, each checked by its FORMATS row's checks;
# results for the same bytes and tool versions come from dist/.checks/.
validate: build
	$(BIN)/publish validate --report $(if $(wildcard $(TEI_ALL)),--tei-all $(TEI_ALL))

# One BagIt bag per document in dist/deposit/<id>/, and its reproducible .tar;
# then a new OCFL version in dist/ocfl/ of each document that changed.
deposit: build
	$(BIN)/publish deposit --archive
	$(BIN)/publish preserve

# The benchmark (not a test): throughput against plain tools, no-op rebuild,
# a large document; see bench/run.py. Output in bench/out/ (git-ignored).
bench: $(STAMP) $(NODE_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	find dist -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf .pytest_cache
