#!/usr/bin/env bash
# npm run bench:scale: a throwaway PostgreSQL and Redis (as npm test starts them), the benchmark,
# then both stopped again. Arguments go to run.ts (e.g. --users 8 --notes 300).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec node test/with-services.ts node bench/scale/run.ts "$@"
