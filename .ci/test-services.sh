# PostgreSQL and Redis for the test run, on 127.0.0.1 only, in a temporary directory.
# Sourced by .ci/run; developers can use it too:
#   source .ci/test-services.sh && start_test_services   # exports the URLs below
#   npm test
#   stop_test_services
# Exports RANDNOTER_TEST_POSTGRES_URL (a role that may create databases: the tests make one per
# server) and RANDNOTER_TEST_REDIS_URL. Needs Debian's postgresql and redis-server packages.
# The cluster is a throwaway: initdb into the temp directory, never the system's cluster.

free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start_test_services() {
  local pgbin
  pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$pgbin" ] || ! command -v redis-server >/dev/null 2>&1; then
    echo "test services: install Debian's postgresql and redis-server first" >&2
    return 1
  fi
  TEST_SERVICES_DIR="$(mktemp -d -t randnoter-services-XXXXXX)"
  export TEST_SERVICES_DIR
  chmod 755 "$TEST_SERVICES_DIR"
  local as=()
  # PostgreSQL refuses to run as root; the Debian package creates the postgres user.
  if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
  local pgdata="$TEST_SERVICES_DIR/pg" password pgport redisport
  password="$(node -e "console.log(require('node:crypto').randomBytes(18).toString('base64url'))")"
  mkdir -p "$pgdata"
  printf '%s\n' "$password" >"$TEST_SERVICES_DIR/pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$TEST_SERVICES_DIR"; fi
  "${as[@]}" "$pgbin/initdb" -D "$pgdata" -U randnoter --pwfile="$TEST_SERVICES_DIR/pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$TEST_SERVICES_DIR/initdb.log" 2>&1 ||
    { cat "$TEST_SERVICES_DIR/initdb.log" >&2; return 1; }
  pgport="$(free_port)"
  # Loopback only, no Unix socket outside the temp dir; enough connections for parallel test files.
  "${as[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$TEST_SERVICES_DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$pgport -c unix_socket_directories=$pgdata -c max_connections=300" start >/dev/null ||
    { cat "$TEST_SERVICES_DIR/postgres.log" >&2; return 1; }
  TEST_SERVICES_PGBIN="$pgbin"
  export TEST_SERVICES_PGBIN
  redisport="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$redisport" --daemonize yes --save '' --appendonly no \
    --dir "$TEST_SERVICES_DIR" --pidfile "$TEST_SERVICES_DIR/redis.pid" --logfile "$TEST_SERVICES_DIR/redis.log" ||
    return 1
  export RANDNOTER_TEST_POSTGRES_URL="postgres://randnoter:$password@127.0.0.1:$pgport/postgres"
  export RANDNOTER_TEST_REDIS_URL="redis://127.0.0.1:$redisport"
  echo "test services: PostgreSQL on 127.0.0.1:$pgport, Redis on 127.0.0.1:$redisport ($TEST_SERVICES_DIR)"
}

stop_test_services() {
  [ -n "${TEST_SERVICES_DIR:-}" ] && [ -d "$TEST_SERVICES_DIR" ] || return 0
  local as=()
  if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
  if [ -f "$TEST_SERVICES_DIR/redis.pid" ]; then kill "$(cat "$TEST_SERVICES_DIR/redis.pid")" 2>/dev/null || true; fi
  if [ -n "${TEST_SERVICES_PGBIN:-}" ] && [ -f "$TEST_SERVICES_DIR/pg/postmaster.pid" ]; then
    "${as[@]}" "$TEST_SERVICES_PGBIN/pg_ctl" -D "$TEST_SERVICES_DIR/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$TEST_SERVICES_DIR"
  unset TEST_SERVICES_DIR RANDNOTER_TEST_POSTGRES_URL RANDNOTER_TEST_REDIS_URL
}
