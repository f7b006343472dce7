#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server on 127.0.0.1 and CONFLICTLENS_TEST_PG_URL pointing at it.
#
#   scripts/with-postgres.sh make test
#
# The server is a fresh cluster in a temporary folder (trust authentication, loopback only, fsync off: it holds
# test data only), started with Debian's PostgreSQL binaries and stopped and deleted when the command ends,
# however it ends. As root, PostgreSQL is installed with apt-get when no initdb is found, and the cluster runs
# as the `postgres` user (PostgreSQL refuses to run as root). Exit status: the command's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

find_bin() {
    # The newest installed major version's bin folder, or nothing.
    local initdb
    initdb=$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$initdb" ] && dirname "$initdb"
}

BIN=$(find_bin || true)
if [ -z "$BIN" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "with-postgres: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) and not root" \
             "to install them" >&2
        exit 1
    fi
    echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    BIN=$(find_bin || true)
    [ -n "$BIN" ] || { echo "with-postgres: PostgreSQL installed but initdb not found" >&2; exit 1; }
fi

# Run a PostgreSQL binary as the server's owner: `postgres` when we are root, else ourselves.
if [ "$(id -u)" -eq 0 ]; then
    as_owner() { su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; }
else
    as_owner() { "$@"; }
fi

PGTMP=$(mktemp -d "${TMPDIR:-/tmp}/conflictlens-pg.XXXXXX")
chmod 755 "$PGTMP"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PGTMP"  # the socket folder (-k) and data folder must be the server's
fi
PGDATA_DIR="$PGTMP/data"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
    as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
}
CHILD=""
on_signal() {  # pass the signal on to the command, let it finish, then clean up (EXIT trap)
    if [ -n "$CHILD" ]; then kill -s "$1" "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
    exit "$2"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

as_owner "$BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; exit 1; }
as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGTMP/server.log" -w -t 60 start \
    -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || { cat "$PGTMP/server.log" >&2; exit 1; }

"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE conflictlens_test" >/dev/null
export CONFLICTLENS_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/conflictlens_test"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" \
     "(CONFLICTLENS_TEST_PG_URL=$CONFLICTLENS_TEST_PG_URL)" >&2

# In the background (stdin kept) so that a signal reaches the traps above while the command runs.
"$@" <&0 &
CHILD=$!
set +e
wait "$CHILD"
rc=$?
set -e
exit "$rc"
