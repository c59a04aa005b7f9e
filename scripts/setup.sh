#!/usr/bin/env bash
# Installs what Tally needs on a Debian machine: Debian packages (PostgreSQL,
# the libraries that @confluentinc/kafka-javascript compiles librdkafka
# against, Kafka peers for tests) and the npm dependencies. Idempotent, and
# quick when everything is already there; `make up` and `make test` run it.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 20)); then
  say "Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

# --- Debian packages -------------------------------------------------------
debian_packages=(
  postgresql postgresql-client               # the project-local cluster and psql
  zlib1g-dev libssl-dev libsasl2-dev libzstd-dev liblz4-dev libcurl4-openssl-dev  # librdkafka's build
  make g++ python3                           # node-gyp
  kcat python3-confluent-kafka python3-kafka # real Kafka peers the broker is tested against
  chromium                                   # the dashboard's browser tests (playwright-core drives it)
)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if ! command -v apt-get >/dev/null; then
    say "missing packages (${missing[*]}) and no apt-get to install them; install their equivalents." >&2
    exit 1
  fi
  if [[ $(id -u) == 0 ]]; then sudo=()
  elif sudo -n true 2>/dev/null; then sudo=(sudo -n)
  else
    say "missing Debian packages: ${missing[*]}" >&2
    say "install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  # Tally runs its own cluster; stop Debian from creating (and starting) a
  # system cluster on port 5432 when postgresql-common is installed first time.
  if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    "${sudo[@]}" mkdir -p /etc/postgresql-common
    echo 'create_main_cluster = false' | "${sudo[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
fi

# --- npm dependencies ------------------------------------------------------
# Reinstall only when package-lock.json, patches/ (applied by patch-package on install) or Node changed.
stamp_file=node_modules/.tally-setup-stamp
stamp="$(cat package-lock.json patches/*.patch | sha256sum | cut -d' ' -f1) node-$(node --version)"
if [[ ! -f $stamp_file || "$(cat "$stamp_file")" != "$stamp" ]]; then
  say "installing npm dependencies (builds librdkafka against Debian's libraries: about two minutes)"
  # Dynamic linking: the default librdkafka build downloads its dependencies' sources, which is not possible here.
  CKJS_LINKING=dynamic npm ci --no-audit --no-fund --loglevel=error
  node -e "require('@confluentinc/kafka-javascript')" || {
    say '@confluentinc/kafka-javascript did not build; see the npm output above.' >&2
    exit 1
  }
  echo "$stamp" >"$stamp_file"
fi
