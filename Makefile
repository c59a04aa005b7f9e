# Tally: the commands people type. Each target is a thin wrapper over `tally`
# (bin/tally) or a script, so that the logic lives in TypeScript, not here.
SHELL := /bin/bash
TALLY := bin/tally

.DEFAULT_GOAL := help
.PHONY: help setup up down status logs psql ksql migrate reset test e2e bench produce typecheck lint format check conformance

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## install Debian and npm packages the project needs (idempotent)
	@scripts/setup.sh

up: setup ## start the stack and print where everything is
	@$(TALLY) up

down: ## stop everything that `make up` started
	@$(TALLY) down

status: ## show each service and its health
	@$(TALLY) status

logs: ## follow the logs of every service (SERVICE=name for one)
	@$(TALLY) logs --follow $(SERVICE)

psql: ## open psql on the stack's PostgreSQL
	@$(TALLY) psql

ksql: ## open ksqlDB's CLI on the stack's ksqlDB (ARGS="-e 'SHOW STREAMS;'" runs and exits)
	@$(TALLY) ksql $(ARGS)

migrate: ## apply ksql/migrations to the stack's ksqlDB (ARGS=info, validate, ... for another command)
	@$(TALLY) migrate -c ksql/ksql-migrations.properties info >/dev/null 2>&1 || $(TALLY) migrate -c ksql/ksql-migrations.properties initialize-metadata
	@$(TALLY) migrate -c ksql/ksql-migrations.properties $(or $(ARGS),apply --all)

reset: ## stop the stack and wipe its data
	@$(TALLY) reset

test: setup ## run every test (fails when none ran)
	@node --import tsx scripts/run-tests.ts $(TESTS)

e2e: setup ## long end-to-end checks outside make test: the stream-table race reproduction, the fault test (~10 min)
	@node --import tsx --test topology/runtime/partition-order-race.e2e.ts
	@node --import tsx --test test/faults.e2e.ts

conformance: ## run ksqlDB's query-validation tests through the engine (FILES=... for some)
	@$(TALLY) conformance $(FILES)

BENCHES := bench/broker.ts bench/log-append.ts bench/produce.ts bench/topology-driver.ts bench/topology-broker.ts \
  bench/connect-sink.ts bench/ksql-queries.ts bench/ksql-aggregations.ts bench/ksql-pipeline-driver.ts bench/dashboard.ts \
  bench/pipeline.ts
bench: setup ## run every benchmark and print its figures (BENCHES=... for some)
	@for b in $(BENCHES); do echo; echo "== $$b"; node --import tsx $$b || exit 1; done

produce: ## produce a seeded election to the stack's Kafka (ARGS="--scenario national --speed 60")
	@$(TALLY) produce election $(ARGS)

typecheck: ## type-check the whole project
	@npx --no-install tsc -p tsconfig.json

lint: ## lint and check formatting (make format fixes what it can)
	@npx --no-install biome check .

format: ## format the code and organise imports
	@npx --no-install biome check --write .

check: typecheck lint test ## everything CI checks
