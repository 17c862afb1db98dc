# Two commands on a fresh machine: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.terpasang
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The first `make run` generates a small demo (cases in every state across the seed offices); DEMO=0 skips it.
DEMO   ?= 1
DEMO_KASUS ?= 300

.PHONY: run test lint bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/dinsos db upgrade
	$(BIN)/dinsos tenants load tenants
	$(if $(filter 0,$(DEMO)),,$(BIN)/dinsos demo generate --tenants 3 --cases $(DEMO_KASUS) --if-empty --all-referral-states $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD)))
	$(BIN)/dinsos demo accounts $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD))
	$(BIN)/dinsos serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The linter CI runs before the tests (rules in pyproject.toml, [tool.ruff]); `ruff check --fix .` mends imports.
lint: $(STAMP)
	$(BIN)/ruff check .

# Benchmarks need PostgreSQL (BENCH_DATABASE_URL, a superuser URL; default the local one); the load
# benchmark also wrk (installed with apt when missing) and, the first time, ~20 min to generate its
# 1,000,000 cases (kept in database dinsos_beban_1000000 and reused). BENCH_ARGS="--skala 0.02" for a quick run.
bench: $(STAMP)
	@for b in bench/campuran.py $$(ls bench/[a-z]*.py | grep -v campuran); do echo "== $$b"; \
	  case $$b in *beban*|*campuran*) a="$(BENCH_ARGS)";; *) a="";; esac; \
	  $(BIN)/python $$b $$a 2>&1 | grep -v '^INFO'; done

clean:
	rm -rf $(VENV) instance platform/instance .pytest_cache
