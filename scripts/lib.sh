# Shared by scripts/run and scripts/test: install what is missing, start the database.
# Sourced, not executed. Every step checks before it acts, so re-running is cheap.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# Two private clusters, outside the clone (and outside /root, which the postgres user cannot
# reach), shared by every clone on the machine, each with its own databases:
#  - the run cluster (scripts/run): PostgreSQL's durable defaults, what a real deployment has;
#  - the test cluster (scripts/test, .ci/run, bench/*): fsync, synchronous commit and full-page
#    writes off, for speed. Its data is thrown away freely; never keep anything in it.
PG_DIR="${FV_PG_DIR:-/var/tmp/forth-valley-pg}"
PG_PORT="${FV_PG_PORT:-55432}"
TEST_PG_DIR="${FV_TEST_PG_DIR:-/var/tmp/forth-valley-pg-test}"
TEST_PG_PORT="${FV_TEST_PG_PORT:-55433}"
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
        log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on two cores, once)"
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
    if ! have pdftotext; then
        # The report PDF tests read the text back (Debian's poppler-utils).
        log "installing poppler-utils (pdftotext)"
        apt_install poppler-utils
    fi
    if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] || [ ! -d "$ROOT/end2end/node_modules/@axe-core/playwright" ]; then
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

# The cluster's superuser: the system user that runs it, reached over its Unix socket with peer
# authentication (no password). Every TCP login needs a password (scram-sha-256); the
# passwords are generated once per cluster and kept in $dir/credentials, readable only by the
# user who runs these scripts.
pg_superuser() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }

# psql as the superuser over the socket of the cluster in $1 on port $2.
pg_admin() {
    local dir="$1" port="$2"
    shift 2
    PGOPTIONS="-c client_min_messages=warning" as_pg psql -h "$dir" -p "$port" -U "$(pg_superuser)" -d postgres -v ON_ERROR_STOP=1 -qX "$@"
}

random_password() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# The password of role $2 in the cluster $1, made on first use.
credential() {
    local dir="$1" role="$2" file="$1/credentials"
    if [ ! -f "$file" ]; then
        (umask 077 && : > "$file")
    fi
    if ! grep -q "^$role=" "$file"; then
        (umask 077 && echo "$role=$(random_password)" >> "$file")
    fi
    chmod 600 "$file"
    awk -F= -v r="$role" '$1 == r { print $2; exit }' "$file"
}

# Creates (if missing) and starts (if stopped) the cluster in $1 on port $2, durable or fast ($3),
# restarting it when it runs with the other settings; TCP logins need passwords.
start_cluster() {
    local dir="$1" port="$2" mode="$3"
    ensure_postgres_binaries
    if [ ! -s "$dir/data/PG_VERSION" ]; then
        log "creating the private PostgreSQL cluster in $dir ($mode)"
        mkdir -p "$dir"
        if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
        as_pg "$PG_BIN/initdb" -D "$dir/data" -U "$(pg_superuser)" --auth-local=peer --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    secure_hba "$dir"
    local options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400"
    if [ "$mode" = fast ]; then
        options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    else
        options="$options -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
    fi
    if as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        local fsync
        fsync="$(pg_admin "$dir" "$port" -tAc "show fsync" 2>/dev/null || echo unknown)"
        if { [ "$mode" = durable ] && [ "$fsync" != on ]; } || { [ "$mode" = fast ] && [ "$fsync" != off ]; }; then
            log "restarting the cluster in $dir with the $mode settings (it ran with fsync=$fsync)"
            as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
        else
            as_pg "$PG_BIN/pg_ctl" -D "$dir/data" reload >/dev/null   # picks up secure_hba's rules
        fi
    fi
    if ! as_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        log "starting PostgreSQL ($mode) on 127.0.0.1:$port"
        as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start -o "$options" >/dev/null
    fi
    ensure_roles "$dir" "$port"
}

# Peer authentication on the socket, passwords on TCP, nothing trusted (clusters made by older
# versions of these scripts trusted every local TCP login as any user).
secure_hba() {
    local dir="$1" hba="$1/data/pg_hba.conf"
    if ! as_pg grep -q "^# fv-secured" "$hba"; then
        as_pg tee "$hba" >/dev/null <<'HBA'
# fv-secured: written by scripts/lib.sh. The superuser through the Unix socket only (peer),
# every TCP login with a password; nothing is trusted.
local   all all                 peer
host    all all 127.0.0.1/32    scram-sha-256
host    all all ::1/128         scram-sha-256
HBA
    fi
}

# The two roles (DESIGN.md): fv_owner owns the schema and runs migrations (it may bypass
# row-level security, which the policies' membership functions rely on); fv_app is what the
# server connects as: owns nothing, cannot bypass RLS. Both log in with their passwords.
ensure_roles() {
    local dir="$1" port="$2"
    local owner_password app_password
    owner_password="$(credential "$dir" fv_owner)"
    app_password="$(credential "$dir" fv_app)"
    pg_admin "$dir" "$port" -v owner_pw="$owner_password" -v app_pw="$app_password" >/dev/null <<'SQL'
select not exists (select from pg_roles where rolname = 'fv_owner') as create_owner \gset
\if :create_owner
    create role fv_owner login createdb bypassrls;
\endif
select not exists (select from pg_roles where rolname = 'fv_app') as create_app \gset
\if :create_app
    create role fv_app login;
\endif
alter role fv_owner login createdb bypassrls password :'owner_pw';
alter role fv_app login nosuperuser nobypassrls nocreatedb nocreaterole password :'app_pw';
-- Lets the owner drop a database the server still holds connections to (the tests copy and
-- drop databases).
grant pg_signal_backend to fv_owner;
-- Lets the demo loader, which runs as the owner, do its work as the server's role (SET ROLE)
-- under row-level security. fv_app itself is a member of no role.
grant fv_app to fv_owner;
SQL
}

# Sets DATABASE_URL (the server's role) and DATABASE_OWNER_URL (migrations, demo and operator
# commands) for database $1 in the run cluster ($2 = run, the default) or the test cluster
# ($2 = test), created if missing and owned by fv_owner; FV_APP_PASSWORD is fv_app's password
# (the tests connect as it). Unless DATABASE_URL already points elsewhere (then
# DATABASE_OWNER_URL must be given too).
ensure_database() {
    local db="$1" which="${2:-run}"
    if [ -n "${DATABASE_URL:-}" ]; then
        log "using DATABASE_URL from the environment"
        if [ -z "${DATABASE_OWNER_URL:-}" ]; then
            log "DATABASE_OWNER_URL is not set: migrations run with DATABASE_URL's role"
            export DATABASE_OWNER_URL="$DATABASE_URL"
        fi
        return
    fi
    local dir port
    if [ "$which" = test ]; then
        dir="$TEST_PG_DIR" port="$TEST_PG_PORT"
        start_cluster "$dir" "$port" fast
    else
        dir="$PG_DIR" port="$PG_PORT"
        start_cluster "$dir" "$port" durable
    fi
    local owner
    owner="$(pg_admin "$dir" "$port" -tAc "select pg_get_userbyid(datdba) from pg_database where datname = '$db'")"
    if [ -n "$owner" ] && [ "$owner" != "fv_owner" ]; then
        # Made by an earlier version of these scripts, before the owner role existed.
        log "recreating database $db (it predates the fv_owner role)"
        pg_admin "$dir" "$port" -c "drop database \"$db\" with (force)" >/dev/null
        owner=""
    fi
    if [ -z "$owner" ]; then
        pg_admin "$dir" "$port" -c "create database \"$db\" owner fv_owner" >/dev/null
    fi
    FV_APP_PASSWORD="$(credential "$dir" fv_app)"
    export FV_APP_PASSWORD
    export FV_CLUSTER_DIR="$dir" FV_CLUSTER_PORT="$port"
    export DATABASE_OWNER_URL="postgres://fv_owner:$(credential "$dir" fv_owner)@127.0.0.1:$port/$db"
    export DATABASE_URL="postgres://fv_app:$FV_APP_PASSWORD@127.0.0.1:$port/$db"
}

# Drops and recreates database $1 in the cluster ensure_database last chose.
fresh_database() {
    pg_admin "$FV_CLUSTER_DIR" "$FV_CLUSTER_PORT" -c "drop database if exists \"$1\" with (force)" >/dev/null
    pg_admin "$FV_CLUSTER_DIR" "$FV_CLUSTER_PORT" -c "create database \"$1\" owner fv_owner" >/dev/null
}

# Whether the run cluster keeps what it acknowledges (PostgreSQL's durable settings) and lets
# nobody in without a password: reads the settings back from the running server. Prints them;
# fails when one is wrong.
check_durable() {
    local dir="${1:-$PG_DIR}" port="${2:-$PG_PORT}" settings rules
    settings="$(pg_admin "$dir" "$port" -tAF= -c "select name, setting from pg_settings
        where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method') order by name")"
    rules="$(pg_admin "$dir" "$port" -tAF' ' -c "select type, coalesce(address, ''), auth_method
        from pg_hba_file_rules order by line_number")"
    echo "$settings" | sed 's/^/  /'
    echo "$rules" | sed 's/^/  hba: /'
    local bad=0
    for want in fsync=on synchronous_commit=on full_page_writes=on; do
        echo "$settings" | grep -qx "$want" || { echo "  not durable: expected $want"; bad=1; }
    done
    if echo "$rules" | grep -qw trust; then echo "  a pg_hba rule trusts logins without a password"; bad=1; fi
    if echo "$rules" | awk '$1 ~ /^host/ && $NF != "scram-sha-256" { found = 1 } END { exit !found }'; then
        echo "  a TCP rule does not ask for a scram-sha-256 password"; bad=1
    fi
    return "$bad"
}

# The build-time copy of the queries' types lives in .sqlx (committed), so builds never need a
# database; scripts/prepare-sqlx refreshes it.
export SQLX_OFFLINE="${SQLX_OFFLINE:-true}"

# A self-signed certificate and key for local TLS (nginx in scripts/balance, the end-to-end
# run): DIR/fullchain.pem and DIR/privkey.pem, as deploy/nginx.conf names a council's own.
# For 127.0.0.1 and localhost, valid 30 days; made again when missing or within a day of
# expiring. Never for people to use: browsers warn about it, as they should.
ensure_tls_cert() {
    local dir="$1"
    if [ -f "$dir/fullchain.pem" ] && [ -f "$dir/privkey.pem" ] &&
        openssl x509 -checkend 86400 -noout -in "$dir/fullchain.pem" >/dev/null 2>&1; then
        return 0
    fi
    have openssl || apt_install openssl
    mkdir -p "$dir" && chmod 700 "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
        -subj "/CN=localhost/O=Forth Valley plans (self-signed, local)" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
        -addext "basicConstraints=critical,CA:FALSE" -addext "extendedKeyUsage=serverAuth" \
        -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" >/dev/null 2>&1
    chmod 600 "$dir/privkey.pem"
    log "self-signed certificate for 127.0.0.1 and localhost in $dir"
}

leptos_env() {
    export LEPTOS_OUTPUT_NAME=forth
    export LEPTOS_SITE_ROOT="$ROOT/target/site"
    export LEPTOS_SITE_PKG_DIR=pkg
    export LEPTOS_ENV=PROD
}

server_bin() {
    echo "${CARGO_TARGET_DIR:-$ROOT/target}/release/server"
}
