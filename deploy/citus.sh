#!/usr/bin/env bash
# A local Citus cluster (a coordinator and workers, each an ordinary PostgreSQL on its own port) for tests,
# benchmarks and trying the distributed schema. Idempotent; every command can be re-run.
#
#   deploy/citus.sh build            build and install Citus from source unless citus.so is installed
#   deploy/citus.sh start            build if needed, then start coordinator + workers (default 9700, 9701, 9702)
#   deploy/citus.sh add-worker PORT  start one more worker and add it to the cluster (for rebalancing)
#   deploy/citus.sh remove-worker PORT  drain that worker's shards to the others, remove it, delete its data
#   deploy/citus.sh stop             stop every node (data kept)
#   deploy/citus.sh destroy          stop and delete the data directory
#   deploy/citus.sh url              print the coordinator's superuser URL
#
# Environment: CITUS_SRC (folder with citus-*.tar.gz and its patches; default ../shared/citus next to the
# checkout, then /work/shared/citus), CITUS_DIR (data, default /var/tmp/dinsos-citus), CITUS_PORT (coordinator,
# default 9700), CITUS_WORKERS (default 2). A database for the app is made on every node by
# dinsos.core.citus.buat_basis_data (the tests and bench/citus.py call it). Run as root (nodes then run as the postgres user) or as a user who
# can run initdb. Debian has no Citus package, hence the source build (about 3 minutes on 2 cores).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CITUS_DIR=${CITUS_DIR:-/var/tmp/dinsos-citus}
CITUS_PORT=${CITUS_PORT:-9700}
CITUS_WORKERS=${CITUS_WORKERS:-2}
PG_CONFIG=${PG_CONFIG:-pg_config}
BUILD_DIR=${CITUS_BUILD_DIR:-/var/tmp/citus-build}

if [ -z "${CITUS_SRC:-}" ]; then
  for d in "$ROOT/../shared/citus" "$ROOT/../../shared/citus" /work/shared/citus; do
    if ls "$d"/citus-*.tar.gz >/dev/null 2>&1; then CITUS_SRC=$d; break; fi
  done
fi

log() { echo "citus: $*" >&2; }

bindir() { "$PG_CONFIG" --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin; }

# Nodes run as postgres when we are root (PostgreSQL refuses to run as root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

installed() {
  [ -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ] 2>/dev/null
}

build() {
  if installed; then log "already installed ($("$PG_CONFIG" --pkglibdir)/citus.so)"; return; fi
  [ -n "${CITUS_SRC:-}" ] || { log "no Citus source: set CITUS_SRC to a folder with citus-*.tar.gz"; exit 1; }
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # What configure needs against Debian's PostgreSQL (see the source folder's README).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "postgresql-server-dev-$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')" \
      liblz4-dev libzstd-dev libkrb5-dev libssl-dev libselinux1-dev libxslt1-dev libpam0g-dev \
      libreadline-dev autoconf flex bison make gcc >/dev/null || {
      apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        "postgresql-server-dev-$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')" \
        liblz4-dev libzstd-dev libkrb5-dev libssl-dev libselinux1-dev libxslt1-dev libpam0g-dev \
        libreadline-dev autoconf flex bison make gcc >/dev/null; }
  fi
  local tarball src
  tarball=$(ls "$CITUS_SRC"/citus-*.tar.gz | sort | tail -1)
  src="$BUILD_DIR/$(basename "$tarball" .tar.gz)"
  rm -rf "$src" && mkdir -p "$BUILD_DIR"
  tar -xzf "$tarball" -C "$BUILD_DIR"
  for p in "$CITUS_SRC"/*.patch; do
    [ -e "$p" ] && (cd "$src" && patch -p1 -s < "$p")
  done
  # with_llvm=no: no JIT bitcode, which would double the build time for nothing the tests use.
  log "building $(basename "$src") (a few minutes)"
  (cd "$src" && ./configure --without-libcurl PG_CONFIG="$PG_CONFIG" >"$BUILD_DIR/configure.log" 2>&1 \
    && make -j"$(nproc)" with_llvm=no >"$BUILD_DIR/make.log" 2>&1 && make install with_llvm=no >"$BUILD_DIR/install.log" 2>&1) || {
    log "build failed; see $BUILD_DIR/*.log"; tail -20 "$BUILD_DIR"/make.log >&2 || true; exit 1; }
  installed && log "installed"
}

psql_node() {  # psql_node PORT DB SQL
  "$(bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d "$2" -tA -c "$3"
}

node_dir() { echo "$CITUS_DIR/$1"; }

start_node() {  # start_node NAME PORT
  local d bin
  d=$(node_dir "$1"); bin=$(bindir)
  if [ ! -f "$d/PG_VERSION" ]; then
    mkdir -p "$CITUS_DIR" && chmod 755 "$CITUS_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$CITUS_DIR"
    as_pg "$bin/initdb" -D "$d" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$d/postgresql.conf" <<EOF
# dinsos: a Citus node on 127.0.0.1 only (trust authentication; a local test cluster)
listen_addresses = '127.0.0.1'
port = $2
unix_socket_directories = '$d'
shared_preload_libraries = 'citus'
max_connections = 200
max_prepared_transactions = 200
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
citus.propagate_set_commands = 'local'
EOF
  fi
  if as_pg "$bin/pg_ctl" -D "$d" status >/dev/null 2>&1; then return; fi
  as_pg "$bin/pg_ctl" -D "$d" -l "$d/log" -w -t 60 start >/dev/null
}

# The extension and the node list in one database of the coordinator (and the extension on the workers).
prepare_db() {  # prepare_db DB
  local db=$1 i port
  psql_node "$CITUS_PORT" "$db" "CREATE EXTENSION IF NOT EXISTS citus"
  for i in $(worker_ports); do psql_node "$i" "$db" "CREATE EXTENSION IF NOT EXISTS citus"; done
  psql_node "$CITUS_PORT" "$db" "SELECT citus_set_coordinator_host('127.0.0.1', $CITUS_PORT)" >/dev/null
  for port in $(worker_ports); do
    psql_node "$CITUS_PORT" "$db" "SELECT citus_add_node('127.0.0.1', $port) WHERE NOT EXISTS
      (SELECT 1 FROM pg_dist_node WHERE nodename = '127.0.0.1' AND nodeport = $port)" >/dev/null
  done
}

worker_ports() {
  local i
  for d in "$CITUS_DIR"/w*; do [ -f "$d/postgresql.conf" ] && sed -nE 's/^port = ([0-9]+)$/\1/p' "$d/postgresql.conf"; done
  if [ ! -d "$CITUS_DIR" ] || ! ls -d "$CITUS_DIR"/w* >/dev/null 2>&1; then
    for i in $(seq 1 "$CITUS_WORKERS"); do echo $((CITUS_PORT + i)); done
  fi
}

start() {
  build
  start_node coord "$CITUS_PORT"
  local i
  for i in $(seq 1 "$CITUS_WORKERS"); do
    [ -d "$(node_dir "w$i")" ] || [ ! -d "$(node_dir coord)" ] || true
    start_node "w$i" $((CITUS_PORT + i))
  done
  for d in "$CITUS_DIR"/w*; do  # workers added later (add-worker) start too
    [ -f "$d/postgresql.conf" ] && start_node "$(basename "$d")" "$(sed -nE 's/^port = ([0-9]+)$/\1/p' "$d/postgresql.conf")"
  done
  prepare_db postgres
  log "coordinator postgresql://postgres@127.0.0.1:$CITUS_PORT/postgres, workers $(worker_ports | tr '\n' ' ')"
}

add_worker() {  # add_worker PORT
  local port=$1 n
  n=$(ls -d "$CITUS_DIR"/w* 2>/dev/null | wc -l)
  start_node "w$((n + 1))" "$port"
  local db
  for db in $(psql_node "$CITUS_PORT" postgres "SELECT datname FROM pg_database WHERE datname NOT IN ('template0', 'template1')"); do
    if [ "$(psql_node "$CITUS_PORT" "$db" "SELECT count(*) FROM pg_extension WHERE extname = 'citus'")" = 1 ]; then
      [ "$db" = postgres ] || psql_node "$port" postgres "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
        || psql_node "$port" postgres "CREATE DATABASE \"$db\""
      psql_node "$port" "$db" "CREATE EXTENSION IF NOT EXISTS citus"
      psql_node "$CITUS_PORT" "$db" "SELECT citus_add_node('127.0.0.1', $port) WHERE NOT EXISTS
        (SELECT 1 FROM pg_dist_node WHERE nodename = '127.0.0.1' AND nodeport = $port)" >/dev/null
    fi
  done
  log "worker on $port added"
}

remove_worker() {  # remove_worker PORT
  local port=$1 db d
  for db in $(psql_node "$CITUS_PORT" postgres "SELECT datname FROM pg_database WHERE datname NOT IN ('template0', 'template1')"); do
    if [ "$(psql_node "$CITUS_PORT" "$db" "SELECT count(*) FROM pg_extension WHERE extname = 'citus'")" = 1 ] &&
       [ "$(psql_node "$CITUS_PORT" "$db" "SELECT count(*) FROM pg_dist_node WHERE nodeport = $port")" = 1 ]; then
      psql_node "$CITUS_PORT" "$db" "SELECT citus_drain_node('127.0.0.1', $port)" >/dev/null
      psql_node "$CITUS_PORT" "$db" "SELECT citus_remove_node('127.0.0.1', $port)" >/dev/null
    fi
  done
  for d in "$CITUS_DIR"/w*; do
    if [ -f "$d/postgresql.conf" ] && grep -q "^port = $port\$" "$d/postgresql.conf"; then
      as_pg "$(bindir)/pg_ctl" -D "$d" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$d"
    fi
  done
  log "worker on $port removed"
}

stop() {
  local d
  for d in "$CITUS_DIR"/*/; do
    [ -f "$d/PG_VERSION" ] && as_pg "$(bindir)/pg_ctl" -D "$d" -m fast -w stop >/dev/null 2>&1 || true
  done
  log "stopped"
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  add-worker) add_worker "${2:?port}" ;;
  remove-worker) remove_worker "${2:?port}" ;;
  stop) stop ;;
  destroy) stop; rm -rf "$CITUS_DIR" ;;
  url) echo "postgresql://postgres@127.0.0.1:$CITUS_PORT/postgres" ;;
  *) sed -n '2,15p' "$0"; exit 2 ;;
esac
