#!/usr/bin/env bash
# npm run bench:scale: a throwaway PostgreSQL and Redis (as CI starts them), the benchmark, then
# both stopped again. Arguments go to run.ts (e.g. --users 8 --notes 300).
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/test-services.sh
trap stop_test_services EXIT
start_test_services >&2
node bench/scale/run.ts "$@"
