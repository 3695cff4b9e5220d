#!/usr/bin/env bash
# Installs the dependencies and starts the portal: the frontend on
# http://127.0.0.1:3000 and the backend on http://127.0.0.1:7007, with
# in-memory SQLite and 90 days of generated demo usage.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$repo_root"

yarn install --immutable
exec yarn start "$@"
