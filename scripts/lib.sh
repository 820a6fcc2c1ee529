# Shared by scripts/run and scripts/test: install what is missing, start the database.
# Sourced, not executed. Every step checks before it acts, so re-running is cheap.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# The private cluster lives outside the clone (and outside /root, which the postgres user
# cannot reach) so that several clones and CI share one cluster, each with its own database.
PG_DIR="${FV_PG_DIR:-/var/tmp/forth-valley-pg}"
PG_PORT="${FV_PG_PORT:-55432}"
CARGO_LEPTOS_VERSION="0.3.10"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

have() { command -v "$1" >/dev/null 2>&1; }

apt_install() {
    if [ "$(id -u)" -ne 0 ]; then
        log "missing Debian packages: $* (run as root or install them yourself)"
        return 1
    fi
    if [ -z "${FV_APT_UPDATED:-}" ]; then
        apt-get update -qq
        export FV_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wasm_bindgen_version() {
    # The CLI must match the wasm-bindgen crate pinned in Cargo.lock exactly.
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_tools() {
    export PATH="$HOME/.cargo/bin:$PATH"
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        log "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
    if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
        log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes, once)"
        cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
    fi
    local wbv
    wbv="$(wasm_bindgen_version)"
    if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbv\$"; then
        log "installing wasm-bindgen-cli $wbv"
        # Not --locked: the registry mirror lacks one of its locked dependencies.
        cargo install wasm-bindgen-cli --version "$wbv"
    fi
    if ! have wasm-opt; then
        log "installing wasm-opt (binaryen, from npm)"
        npm install -g binaryen >/dev/null
    fi
}

ensure_postgres_binaries() {
    if [ ! -x "$PG_BIN/initdb" ]; then
        log "installing PostgreSQL 15"
        apt_install postgresql-15
    fi
}

ensure_browser() {
    if ! have chromium; then
        log "installing Chromium"
        apt_install chromium
    fi
    if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
        log "installing the end-to-end test dependencies (npm ci)"
        (cd "$ROOT/end2end" && npm ci --no-audit --no-fund >/dev/null)
    fi
}

as_pg() {
    # initdb refuses to run as root: run the cluster as the postgres system user then.
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_private_postgres() {
    ensure_postgres_binaries
    if [ ! -s "$PG_DIR/data/PG_VERSION" ]; then
        log "creating the private PostgreSQL cluster in $PG_DIR"
        mkdir -p "$PG_DIR"
        if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR"; fi
        as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start \
            -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
    fi
}

# The two roles (DESIGN.md): fv_owner owns the schema and runs migrations (it may bypass
# row-level security, which the policies' membership functions rely on); fv_app is what the
# server connects as: owns nothing, cannot bypass RLS. Trust authentication on the private
# cluster, so neither has a password here.
ensure_roles() {
    local admin="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    PGOPTIONS="-c client_min_messages=warning" psql "$admin" -v ON_ERROR_STOP=1 -q >/dev/null <<'SQL'
do $$
begin
    if not exists (select from pg_roles where rolname = 'fv_owner') then
        create role fv_owner login createdb bypassrls;
    end if;
    if not exists (select from pg_roles where rolname = 'fv_app') then
        create role fv_app login;
    end if;
    alter role fv_app login nosuperuser nobypassrls nocreatedb nocreaterole;
    -- Lets the owner drop a database the server still holds connections to (the tests copy
    -- and drop databases).
    grant pg_signal_backend to fv_owner;
end $$;
SQL
}

# Sets DATABASE_URL (the server's role) and DATABASE_OWNER_URL (migrations, demo and operator
# commands) for database $1, created if missing and owned by fv_owner, unless DATABASE_URL
# already points elsewhere (then DATABASE_OWNER_URL must be given too).
ensure_database() {
    local db="$1"
    if [ -n "${DATABASE_URL:-}" ]; then
        log "using DATABASE_URL from the environment"
        if [ -z "${DATABASE_OWNER_URL:-}" ]; then
            log "DATABASE_OWNER_URL is not set: migrations run with DATABASE_URL's role"
            export DATABASE_OWNER_URL="$DATABASE_URL"
        fi
        return
    fi
    start_private_postgres
    ensure_roles
    local admin="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    local owner
    owner="$(psql "$admin" -tAc "select pg_get_userbyid(datdba) from pg_database where datname = '$db'")"
    if [ -n "$owner" ] && [ "$owner" != "fv_owner" ]; then
        # Made by an earlier version of these scripts, before the owner role existed.
        log "recreating database $db (it predates the fv_owner role)"
        psql "$admin" -qc "drop database \"$db\" with (force)" >/dev/null
        owner=""
    fi
    if [ -z "$owner" ]; then
        psql "$admin" -qc "create database \"$db\" owner fv_owner" >/dev/null
    fi
    export DATABASE_OWNER_URL="postgres://fv_owner@127.0.0.1:$PG_PORT/$db"
    export DATABASE_URL="postgres://fv_app@127.0.0.1:$PG_PORT/$db"
}

# The build-time copy of the queries' types lives in .sqlx (committed), so builds never need a
# database; scripts/prepare-sqlx refreshes it.
export SQLX_OFFLINE="${SQLX_OFFLINE:-true}"

leptos_env() {
    export LEPTOS_OUTPUT_NAME=forth
    export LEPTOS_SITE_ROOT="$ROOT/target/site"
    export LEPTOS_SITE_PKG_DIR=pkg
    export LEPTOS_ENV=PROD
}

server_bin() {
    echo "${CARGO_TARGET_DIR:-$ROOT/target}/release/server"
}
