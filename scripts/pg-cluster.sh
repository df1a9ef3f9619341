#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS cluster on a loopback port, for the store tests.
# Usage: scripts/pg-cluster.sh start|stop|env
#   start  installs Debian's postgresql and postgis if missing, creates a cluster in a temp
#          folder with initdb as an unprivileged user (root runs it as `regionrisk-test`),
#          starts it on a free 127.0.0.1 port, creates the databases `regionrisk_test` and
#          `regionrisk_template` (PostGIS in both; tests make one database each from the
#          template), and prints REGIONRISK_TEST_PG=postgresql://…
#   env    prints REGIONRISK_TEST_PG=… of the running cluster (nothing when none runs)
#   stop   stops the cluster and deletes its folder
# The folder is $REGIONRISK_PG_DIR, default /tmp/regionrisk-pg-<hash of this checkout>, so
# several checkouts on one machine each get their own cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${REGIONRISK_PG_DIR:-/tmp/regionrisk-pg-$(pwd | sha256sum | cut -c1-10)}
user=regionrisk-test

pg_bin() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  [[ -n "$v" ]] && echo "/usr/lib/postgresql/$v/bin"
}

install_if_missing() {
  local bin v
  bin=$(pg_bin || true)
  v=${bin:+$(basename "$(dirname "$bin")")}
  if [[ -n "$bin" && -x "$bin/initdb" && -f /usr/share/postgresql/$v/extension/postgis.control ]]; then return; fi
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "pg-cluster: need root or sudo to install postgresql and postgis" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "pg-cluster: installing postgresql and postgis" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  v=$(ls /usr/lib/postgresql | sort -n | tail -1)
  $sudo apt-get install -y -qq --no-install-recommends "postgresql-$v-postgis-3" "postgresql-$v-postgis-3-scripts" >/dev/null
}

# Runs a command as the cluster's owner: an unprivileged user when we are root.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

print_env() {
  [[ -f "$dir/url" ]] && echo "REGIONRISK_TEST_PG=$(cat "$dir/url")"
  return 0
}

start() {
  if [[ -f "$dir/url" ]] && as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then print_env; return; fi
  install_if_missing
  local bin port password
  bin=$(pg_bin)
  if [[ $(id -u) -eq 0 ]] && ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  [[ $(id -u) -eq 0 ]] && chown "$user" "$dir"
  chmod 700 "$dir"
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  (umask 077; echo "$password" >"$dir/pwfile")
  [[ $(id -u) -eq 0 ]] && chown "$user" "$dir/pwfile"
  as_owner "$bin/initdb" -D "$dir/data" -U regionrisk --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  for db in regionrisk_test regionrisk_template; do
    PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U regionrisk -d postgres -qAt \
      -c "CREATE DATABASE $db" >/dev/null
    PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U regionrisk -d "$db" -qAt \
      -c "CREATE EXTENSION postgis" >/dev/null
  done
  PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U regionrisk -d postgres -qAt \
    -c "ALTER DATABASE regionrisk_template IS_TEMPLATE true" >/dev/null
  echo "postgresql://regionrisk:$password@127.0.0.1:$port/regionrisk_test" >"$dir/url"
  print_env
}

stop() {
  [[ -d "$dir/data" ]] && as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  *) echo "usage: scripts/pg-cluster.sh start|stop|env" >&2; exit 64 ;;
esac
