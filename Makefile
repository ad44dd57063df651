# cx_audit — the two commands are `make demo` and `make test`; everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=
# Test processes (pytest-xdist), each with a database of its own; whole files go to one process, so
# a module's shared fixtures (the seeded demo) are built once. 0 runs everything in this process.
PYTEST_WORKERS ?= 2
# Chain sizes for the insights benchmark (PostgreSQL at BENCH_DATABASE_URL); empty skips it.
BENCH_SIZES ?= 1000
# The customer's voice benchmark (PostgreSQL): feedback rows to import (0 skips) and dashboard sizes
# <locations>x<feedback> (the issue's is 10000x1000000; empty skips).
BENCH_VOICE_IMPORT ?= 100000
BENCH_VOICE ?= 1000x100000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432
HOST ?= 127.0.0.1
PORT ?= 8000
# make is the developer's tool: its Django commands run in development mode (DEBUG on, the local
# key). The settings are production-safe without it; production never goes through make (docs/deploy.md).
DEV := DJANGO_DEBUG=1

.PHONY: demo test lint format bench fuzz serve system-deps browser clean help worker

help:
	@echo "make demo   install, migrate SQLite, seed the demo chain, serve on http://$(HOST):$(PORT)"
	@echo "make test   install and run the test suite (SQLite, or DATABASE_URL if set)"
	@echo "make lint   ruff, manage.py check, makemigrations --check"
	@echo "make bench  run the benchmarks recorded in docs/benchmarks.md (BENCH_SIZES=1000,5000,10000 for the chain, BENCH_VOICE=10000x1000000 for the voice dashboard)"
	@echo "make fuzz   schema fuzzing with schemathesis against the demo data (exits non-zero on a 5xx or schema mismatch)"
	@echo "make worker run a Celery worker for bulk PDF reports (needs Redis)"

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	@# Translations: the compiled catalogues are committed too, so without gettext the committed ones serve.
	@if command -v msgfmt >/dev/null; then $(DEV) $(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules >/dev/null; \
		else echo "gettext (msgfmt) is not installed: using the committed translations (locale/*/LC_MESSAGES/django.mo)."; fi
	touch $(STAMP)

# System packages: Chromium for the browser tests, a CJK font for Chinese text (pages and PDFs
# embed it), poppler-utils (pdftotext, pdftoppm) to read PDFs in the tests, Redis for the
# Celery test that runs a real worker, and gettext to compile the translations (locale/).
SYSTEM_PACKAGES := chromium fonts-wqy-microhei poppler-utils redis-server gettext
system-deps:
	@if [ -x $(CHROMIUM) ] && fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk' \
		&& command -v pdftotext >/dev/null && command -v redis-server >/dev/null && command -v msgfmt >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
		echo "Please install: sudo apt-get install $(SYSTEM_PACKAGES) (browser tests are skipped without Chromium)"; \
	fi
	@if command -v redis-server >/dev/null && ! (command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1); then \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null; \
	fi

demo: $(STAMP)
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py seed_demo
	@# Bulk PDF reports, and the hourly escalation of overdue actions (beat), run on a Celery worker started beside the server when Redis answers.
	@if $(PY) -c "import redis, os; redis.Redis.from_url(os.environ.get('CELERY_BROKER_URL', 'redis://127.0.0.1:6379/0')).ping()" 2>/dev/null; then \
		$(DEV) $(VENV)/bin/celery -A cx_audit.celery worker --pool=solo --beat --schedule=$(VENV)/celerybeat-schedule --loglevel=WARNING & trap "kill $$!" EXIT; \
		$(DEV) $(PY) manage.py runserver $(HOST):$(PORT); \
	else \
		echo "Redis is not running: bulk PDF reports will wait in the queue (start redis-server to run them)."; \
		$(DEV) $(PY) manage.py runserver $(HOST):$(PORT); \
	fi

worker: $(STAMP)
	$(DEV) $(VENV)/bin/celery -A cx_audit.celery worker --pool=solo --loglevel=INFO

test: $(STAMP) system-deps js-test
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The tablet app's unit tests (tests/js, run by Node's own test runner). npm installs their dev
# dependencies (fake-indexeddb, linkedom) when node_modules is missing or package-lock.json changed.
JS_TESTS := tests/js
NODE_REQUIRED := command -v node >/dev/null || { echo "The tablet's unit tests need Node.js 20 or newer with npm: apt-get install nodejs npm (or see https://nodejs.org)."; exit 1; }
.PHONY: js-test
js-test: $(JS_TESTS)/node_modules/.package-lock.json
	@$(NODE_REQUIRED)
	node --test $(JS_TESTS)/*.test.mjs

$(JS_TESTS)/node_modules/.package-lock.json: $(JS_TESTS)/package-lock.json $(JS_TESTS)/package.json
	@$(NODE_REQUIRED)
	npm ci --prefix $(JS_TESTS) --no-audit --no-fund
	touch $@

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(DEV) $(PY) manage.py check
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Schema fuzzing (schemathesis, bounded): fresh demo database, app on a free port, every check.
fuzz: $(STAMP)
	$(PY) .ci/fuzz

bench: $(STAMP)
	$(DEV) BENCH_SIZES=$(BENCH_SIZES) BENCH_VOICE=$(BENCH_VOICE) BENCH_VOICE_IMPORT=$(BENCH_VOICE_IMPORT) \
		BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
