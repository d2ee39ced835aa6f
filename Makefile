# ZI Portal. `make run` and `make test` are all a newcomer needs (see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEMO_PASSWORD ?= Demo-ZI-2026!
PORT ?= 8000
export PORT

.PHONY: install run demo test e2e test-fast audit lint format syscheck check-deploy messages bench bench-detail clean backup restore

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

syscheck: install
	@$(PY) scripts/syscheck.py

demo: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_lke
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo --password '$(DEMO_PASSWORD)'
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo_surveys

run: syscheck demo
	@echo ""
	@echo "ZI Portal: http://127.0.0.1:$(PORT)/  (Ctrl-C stops the web server and the Celery worker)"
	@echo "Demo accounts, password '$(DEMO_PASSWORD)':"
	@DJANGO_DEBUG=1 $(PY) manage.py seed_demo --list-accounts
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" DJANGO_DEBUG=1 \
	  ZI_PORTAL_BASE_URL="$${ZI_PORTAL_BASE_URL:-http://127.0.0.1:$(PORT)}" \
	  ZI_REQUIRE_SECOND_FACTOR="$${ZI_REQUIRE_SECOND_FACTOR:-0}" \
	  $(BIN)/honcho -f Procfile.dev start

test: install
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The browser journeys alone (they also run in `make test`); screenshots go to var/e2e/.
e2e: install
	$(BIN)/pytest -m e2e $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not slow and not worker" $(PYTEST_ARGS)

# Known vulnerabilities in the installed dependencies (pip-audit); see scripts/audit_dependencies.py.
audit: install
	$(PY) scripts/audit_dependencies.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) -c "import yaml; yaml.safe_load(open('docker-compose.yml'))"

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		DJANGO_ALLOWED_HOSTS=zi.example.go.id CACHE_URL=redis://127.0.0.1:6379/1 $(PY) manage.py check --deploy --fail-level WARNING

# Backup and restore (README "Backup and restore"): DATABASE_URL must be PostgreSQL; objects are
# read from / written to the default storage (ZI_S3_* or the local private directory). No
# `install` prerequisite: on a server the portal is installed already.
BACKUP_DIR ?=
LINK_FROM ?=
backup:
	$(PY) manage.py backup --to "$(or $(BACKUP_DIR),var/backups/$(shell date -u +%Y%m%d-%H%M%S))" \
		$(if $(LINK_FROM),--link-from "$(LINK_FROM)")

restore:
	@test -n "$(BACKUP_DIR)" || { echo "usage: make restore BACKUP_DIR=<backup directory> [FORCE=1]"; exit 2; }
	$(PY) manage.py restore --from "$(BACKUP_DIR)" $(if $(FORCE),--force)

messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en -l id --no-obsolete \
		--ignore='.venv/*' --ignore='var/*' --ignore='tests/*'
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore='.venv/*'
	$(PY) scripts/check_translations.py

# Speed targets on this machine (about 15 minutes). bench/national.py builds PostgreSQL
# databases of 50 and 5,000 units (BENCH_DATABASE_URL and <it>_small, dropped and recreated),
# serves them with gunicorn and loads every page from 127.0.0.1: bench/results.json. Then the
# scoring engine and the unit import: bench/results-core.json. Needs PostgreSQL and Redis.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zi_bench
bench: install
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/national.py
	$(PY) bench/surveys.py
	$(PY) bench/run.py

# The older, finer benches (in-process, each on its own throw-away database).
bench-detail: install
	$(PY) bench/worksheet.py
	$(PY) bench/periods.py
	$(PY) bench/upload.py
	$(PY) bench/lhe.py
	$(PY) bench/readiness.py
	$(PY) bench/dashboard.py

clean:
	rm -rf $(VENV) var
