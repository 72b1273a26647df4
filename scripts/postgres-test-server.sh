# Sourced by the test command: starts a throw-away PostgreSQL server (Debian's packages) on a free
# loopback port, exports TEST_DATABASE_URL, and stops and deletes it when the calling shell exits.
# PostgreSQL refuses to run as root, so under root it runs as the `postgres` system user.

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian's postgresql package (apt-get install postgresql)" >&2
  exit 1
fi

pg_dir=$(mktemp -d /tmp/dqm-postgres-XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$pg_dir"; pg_user=postgres; else pg_user=$(id -un); fi

as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U "$pg_user" --auth=trust --no-sync -E UTF8 >"$pg_dir/initdb.log" 2>&1 ||
  { cat "$pg_dir/initdb.log" >&2; exit 1; }
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
  { cat "$pg_dir/server.log" >&2; exit 1; }

stop_test_postgres() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_test_postgres EXIT

export TEST_DATABASE_URL="postgresql://$pg_user@127.0.0.1:$pg_port/postgres"
echo "test PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $pg_port"
