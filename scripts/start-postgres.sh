#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and print its URL on standard output.
#
# The server listens on 127.0.0.1 only, with a database `gtm_test` owned by the user `gtm`,
# whose random password is in the URL. PostgreSQL is installed with apt-get when missing.
# Running the script again prints the URL of the server already running (or restarts it
# from the same folder). Progress goes to standard error.
#
# Settings: GTM_PG_DIR (data folder, default /tmp/gtm-optimizer-postgres) and GTM_PG_PORT
# (default 55432). Stop the server with: pg_ctl stop -D "$GTM_PG_DIR/data" (as its owner).
set -euo pipefail

dir="${GTM_PG_DIR:-/tmp/gtm-optimizer-postgres}"
port="${GTM_PG_PORT:-55432}"
data="$dir/data"
url_file="$dir/url"

log() { echo "start-postgres: $*" >&2; }

find_bin() {
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    echo "$found"
}

# Run a command as the server's owner: PostgreSQL refuses to run as root.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The server must not inherit the set-up lock (descriptor 9), or it would hold it forever.
start_server() {
    as_owner "$bin/pg_ctl" start -D "$data" -l "$dir/server.log" -w -t 60 -o "$1" >&2 9>&-
}

# Two test workers may start the server at the same time; let one set it up.
exec 9>"${dir%/}.lock"
flock 9

bin="$(find_bin)"
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
    log "PostgreSQL is not installed; installing it with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bin="$(find_bin)"
fi
if [[ -z "$bin" ]]; then
    log "PostgreSQL binaries not found under /usr/lib/postgresql after installing"
    exit 1
fi

if [[ -f "$url_file" && -f "$data/PG_VERSION" ]]; then
    if ! as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
        log "restarting the server in $data"
        start_server "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off"
    fi
    cat "$url_file"
    exit 0
fi

log "creating a throwaway cluster in $data (port $port, 127.0.0.1 only)"
rm -rf "$dir"
mkdir -p "$dir"
chmod 700 "$dir"
if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$dir"
fi
password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
as_owner bash -c "umask 077; printf '%s\n' '$password' > '$dir/password'"
as_owner "$bin/initdb" -D "$data" -U gtm --pwfile="$dir/password" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >&2
as_owner rm -f "$dir/password"
start_server "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off"
as_owner "$bin/createdb" -h "$dir" -p "$port" -U gtm gtm_test

url="postgresql://gtm:$password@127.0.0.1:$port/gtm_test"
as_owner bash -c "umask 077; printf '%s\n' '$url' > '$url_file'"
log "server ready"
echo "$url"
