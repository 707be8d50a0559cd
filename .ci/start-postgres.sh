#!/usr/bin/env bash
# Starts a local PostgreSQL for the storage tests (installing it when missing) and prints exactly
# one line to stdout:
#   export SNAKEMQ_TEST_PG_URL='jdbc:postgresql://127.0.0.1:<port>/snakemq?user=snakemq&password=...'
# Usage: eval "$(bash .ci/start-postgres.sh)"
# Runs as root (PostgreSQL itself runs as the postgres user); safe to run again.
set -euo pipefail

exec 3>&1 1>&2    # from here on stdout goes to stderr; fd 3 is the real stdout

export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -ne 0 ]; then
    echo "start-postgres.sh: must run as root" >&2
    exit 1
fi

latest_version() {
    ls /usr/lib/postgresql 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -n 1 || true
}

# Runs a command that may leave a server behind with only stdin/stdout/stderr open: a server that
# inherits the caller's stdout (fd 3 here) or some pipe of the CI keeps $(...) or the CI waiting.
without_inherited_fds() {
    (
        for fd in $(ls /proc/self/fd); do
            if [ "$fd" -gt 2 ]; then
                eval "exec $fd>&-" 2>/dev/null || true
            fi
        done
        exec "$@" </dev/null
    )
}

version="$(latest_version)"
if [ -z "$version" ] || [ ! -x "/usr/lib/postgresql/$version/bin/postgres" ] || ! command -v pg_ctlcluster >/dev/null; then
    echo "installing postgresql"
    apt-get update </dev/null
    # the package may start a server itself
    without_inherited_fds apt-get install -y --no-install-recommends postgresql
    version="$(latest_version)"
fi
if [ -z "$version" ]; then
    echo "start-postgres.sh: no PostgreSQL server found after installing" >&2
    exit 1
fi

cluster=main
if ! pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    echo "creating cluster $version/$cluster"
    without_inherited_fds pg_createcluster "$version" "$cluster"
fi

status="$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }')"
if [ "$status" != "online" ]; then
    echo "starting cluster $version/$cluster"
    without_inherited_fds pg_ctlcluster "$version" "$cluster" start
fi
port="$(pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')"

ready=0
for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then
        ready=1
        break
    fi
    sleep 0.5
done
if [ "$ready" -ne 1 ]; then
    echo "start-postgres.sh: PostgreSQL $version/$cluster did not accept connections on 127.0.0.1:$port" >&2
    exit 1
fi

as_postgres() {
    if command -v runuser >/dev/null; then
        runuser -u postgres -- "$@"
    else
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
}
psql_admin() {
    as_postgres psql -p "$port" -X -q -v ON_ERROR_STOP=1 -At "$@" </dev/null
}

# a random password made once and kept, so that URLs printed by earlier runs stay valid
password_file=/var/lib/postgresql/.snakemq-test-password
if [ ! -s "$password_file" ]; then
    (umask 077; od -An -N12 -tx1 /dev/urandom | tr -d ' \n' > "$password_file")
fi
password="$(cat "$password_file")"

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'snakemq'")" != "1" ]; then
    psql_admin -c "CREATE ROLE snakemq LOGIN"
fi
psql_admin -c "ALTER ROLE snakemq WITH LOGIN PASSWORD '$password'"
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'snakemq'")" != "1" ]; then
    psql_admin -c "CREATE DATABASE snakemq OWNER snakemq"
fi

echo "PostgreSQL $version/$cluster is running on 127.0.0.1:$port, database snakemq"
echo "export SNAKEMQ_TEST_PG_URL='jdbc:postgresql://127.0.0.1:$port/snakemq?user=snakemq&password=$password'" >&3
