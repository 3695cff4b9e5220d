#!/usr/bin/env bash
# Installs the dependencies and runs every test: type check, lint and
# formatting, unit and store tests on SQLite and PostgreSQL, and the
# browser test in Debian's Chromium. AI_COST_DATA_DIR names the folder of public data that the
# import tests read.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$repo_root"

if [ -z "${AI_COST_DATA_DIR:-}" ] || [ ! -d "$AI_COST_DATA_DIR" ]; then
  echo "Set AI_COST_DATA_DIR to the folder that holds azure-llm-inference-2023/" >&2
  exit 1
fi
export AI_COST_DATA_DIR="$(cd "$AI_COST_DATA_DIR" && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium from Debian's packages"
  apt-get update >/dev/null
  apt-get install -y chromium >/dev/null
fi

yarn install --immutable
source "$repo_root/scripts/postgres.sh"

# TestDatabases would start PostgreSQL in Docker under CI; use the server above.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export CI=true

yarn tsc
yarn lint:all
yarn prettier:check
yarn test --passWithNoTests
yarn test:e2e
