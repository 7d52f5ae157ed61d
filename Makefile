# SupportSim: `make play` sets up and starts the demo scenario; `make test` sets up and runs the tests.
SWIFT ?= swift
SCENARIO ?= printer-before-board-meeting
# Debian packages the build and the tests need (C libraries and the terminal used by REPL tests).
DEB_PACKAGES := libreadline-dev libsqlite3-dev libstemmer-dev libhunspell-dev hunspell-ru hunspell-en-us tmux

.PHONY: setup build play test lint clean

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

build: setup
	$(SWIFT) build

play: build
	@"$$($(SWIFT) build --show-bin-path)/supportsim" play $(SCENARIO)

test: setup
	$(SWIFT) test

lint: build
	@"$$($(SWIFT) build --show-bin-path)/supportsim" lint Scenarios

clean:
	rm -rf .build
