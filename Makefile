# codeexec — everything a fresh clone needs; Docker, the base image, docker-compose and curl are
# installed/created on demand by the scripts (Debian/Ubuntu, as root or with sudo).
#   make up [WORKERS=2]   build all images, write secrets to .env, start redis + api + N workers, wait for /ready
#                         (AUTH_MODE=keys make up: API keys required; scripts/codeexec-admin creates them)
#                         (METRICS=1 make up: Prometheus too, on localhost:9090, scraping the API and workers)
#   make down             stop the stack and remove leftover job containers
#   make images           build the runner images, redis and dind (what the tests need)
#   make test             images + the launcher's own tests + mvn -B verify (unit and integration tests)
#   make logs             follow the stack's logs
#   make bench / soak     benchmarks / hours of mixed load with a leak verdict (bench/README.md)
#   make clean            mvn clean
#   make cli              build the codeexec CLI (cli/target/codeexec-cli.jar); run it with bin/codeexec
#   make k8s-check        render deploy/k8s (every overlay) and check it against the code (no cluster needed)
SHELL := /bin/bash
.DEFAULT_GOAL := help

WORKERS ?= 2
API_URL ?= http://localhost:8080
READY_TIMEOUT ?= 180

# Compile with Temurin 25 when it is installed (the pom targets --release 21).
TEMURIN_HOME := /usr/lib/jvm/temurin-25-jdk-amd64
ifneq ($(wildcard $(TEMURIN_HOME)/bin/javac),)
export JAVA_HOME := $(TEMURIN_HOME)
export PATH := $(JAVA_HOME)/bin:$(PATH)
endif

export DOCKER_BUILDKIT := 0
export TESTCONTAINERS_RYUK_DISABLED := true

COMPOSE := bash scripts/compose.sh
MVN := mvn -B

.PHONY: help up down images images-all test logs clean ensure-docker ensure-maven bench soak cli k8s-check

help:
	@sed -n '1,12p' Makefile | sed 's/^# \{0,1\}//'

ensure-docker:
	@bash scripts/ensure-docker.sh

ensure-maven:
	@command -v mvn >/dev/null 2>&1 || { echo "==> installing Debian's maven"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null; }
	@v=$$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'); \
	  if [ -z "$$v" ] || [ "$${v%%.*}" -lt 21 ]; then \
	    echo "ERROR: JDK 21+ needed to build (found: $${v:-none}, JAVA_HOME=$${JAVA_HOME:-unset})." >&2; exit 1; fi

images:
	@bash scripts/build-images.sh runners

images-all:
	@bash scripts/build-images.sh all

up: images-all
	@bash scripts/env-file.sh
	$(COMPOSE) $(if $(filter 1,$(METRICS)),--profile metrics) up -d --no-build --remove-orphans --scale worker=$(WORKERS)
	@bash scripts/wait-ready.sh $(API_URL)/ready $(READY_TIMEOUT)
	@echo
	@echo "codeexec is up at $(API_URL) with $(WORKERS) worker(s). Try:"
	@if [ "$(METRICS)" = 1 ]; then echo "  (Prometheus: http://localhost:$${PROMETHEUS_PORT:-9090}, dashboard: deploy/grafana/codeexec.json)"; fi
	@echo "  curl -s -X POST localhost:8080/run/python -H 'Content-Type: application/json' -d '{\"code\":\"print(\\\"Hello, World!\\\")\"}'"
	@mode="$${AUTH_MODE:-$$(sed -n 's/^AUTH_MODE=//p' .env | tail -n 1)}"; if [ "$$mode" = keys ]; then \
	  echo "AUTH_MODE=keys: every request needs a key. Create one (the admin token is in .env):"; \
	  echo "  scripts/codeexec-admin create --name alice"; \
	  echo "then add -H 'Authorization: Bearer <key>' to the curl above."; fi

down:
	-$(COMPOSE) --profile metrics down --remove-orphans
	@docker ps -aq --filter label=codeexec.worker | xargs -r docker rm -f >/dev/null
	@echo "stack stopped; no sandbox host left"

test: ensure-docker images ensure-maven
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-node.sh
	@bash scripts/ensure-kubectl.sh
	python3 runners/launcher/test/run_tests.py --tag local
	python3 runners/launcher/test/fuzz_launcher.py --tag local
	$(MVN) verify

logs:
	$(COMPOSE) logs -f --tail 100

clean: ensure-maven
	$(MVN) -q clean

# Benchmark (bench/README.md): brings the stack up if needed, prints one table, writes bench/results/.
# BENCH_QUICK=1 for a ~2-minute smoke run.
bench: ensure-docker
	@/usr/bin/env python3 bench/run.py

# Soak (bench/README.md): mixed load on the running stack for SOAK_MINUTES (default 30; 60 documented),
# a worker restart every few minutes, a sample every 10 s; writes a CSV, a chart and a verdict.
soak: ensure-docker
	@/usr/bin/env python3 bench/soak.py

# The grader CLI (issue 13): a runnable jar and its wrapper, bin/codeexec (finds the jar and a JDK >= 21).
cli: ensure-maven
	$(MVN) -q -pl cli -am package -DskipTests
	@echo "built cli/target/codeexec-cli.jar; run it with bin/codeexec --help (or put bin/ on your PATH)"

# Kubernetes manifests (issue 12): kubectl kustomize renders every overlay into deploy-check/target/rendered/
# and the deploy-check tests load each object with fabric8 and check it (README "Operating" → "Kubernetes").
k8s-check: ensure-maven
	@bash scripts/ensure-kubectl.sh
	$(MVN) -q -pl deploy-check verify
	@echo "deploy/k8s: every overlay renders and keeps its invariants (deploy-check/target/rendered/)"
