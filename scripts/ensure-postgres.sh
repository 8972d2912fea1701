#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the store-sql tests, and that it has what they
# use: the role `openrcm_app` (LOGIN, no SUPERUSER, no BYPASSRLS), the database `openrcm_test` it owns, and the
# role `openrcm_tenant` (NOLOGIN, no SUPERUSER, no BYPASSRLS) that `openrcm_app` may switch to. Idempotent.
# Starts Debian's cluster when nothing listens, installs Debian's postgresql when it is missing.
set -euo pipefail
host=127.0.0.1
port=5432

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    echo "postgres: '$*' needs root" >&2
    return 1
  fi
}

listening() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo "postgres: not installed; installing Debian's postgresql" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

if ! listening; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "postgres: nothing on $host:$port; starting cluster $version/main" >&2
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 60); do
    listening && break
    sleep 0.5
  done
  listening || { echo "postgres: the server did not come up on $host:$port" >&2; exit 1; }
fi

# Set-up runs as the postgres superuser: over TCP when 127.0.0.1 trusts it, else over the local socket as the
# postgres OS user (Debian's default peer authentication).
psql_admin() {
  if psql -h "$host" -p "$port" -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1; then
    psql -h "$host" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
  else
    as_root runuser -u postgres -- psql -p "$port" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
  fi
}

psql_admin <<'SQL'
set client_min_messages = warning;
do $$
begin
  if not exists (select from pg_roles where rolname = 'openrcm_app') then
    create role openrcm_app login nosuperuser nobypassrls nocreaterole nocreatedb;
  end if;
  if not exists (select from pg_roles where rolname = 'openrcm_tenant') then
    create role openrcm_tenant nologin nosuperuser nobypassrls;
  end if;
end
$$;
alter role openrcm_app nosuperuser nobypassrls;
grant openrcm_tenant to openrcm_app;
SQL
if [ "$(psql_admin -c "select 1 from pg_database where datname = 'openrcm_test'")" != 1 ]; then
  psql_admin -c "create database openrcm_test owner openrcm_app"
fi

# The tests log in as openrcm_app over TCP without a password: let pg_hba trust it for its own database only.
if ! psql -h "$host" -p "$port" -U openrcm_app -d openrcm_test -w -Atqc "select 1" >/dev/null 2>&1; then
  hba=$(psql_admin -c "show hba_file")
  echo "postgres: openrcm_app cannot log in; trusting it on $host for openrcm_test in $hba" >&2
  line="host openrcm_test openrcm_app $host/32 trust"
  as_root sed -i "1i $line" "$hba"
  psql_admin -c "select pg_reload_conf()" >/dev/null
  psql -h "$host" -p "$port" -U openrcm_app -d openrcm_test -w -Atqc "select 1" >/dev/null
fi
# The security tests tamper with rows, install triggers and take pg_dump as the superuser postgres over TCP
# (what an attacker with the database would do): trust it there for the test database only.
if ! psql -h "$host" -p "$port" -U postgres -d openrcm_test -w -Atqc "select 1" >/dev/null 2>&1; then
  hba=$(psql_admin -c "show hba_file")
  echo "postgres: the superuser cannot log in over TCP; trusting it on $host for openrcm_test in $hba" >&2
  as_root sed -i "1i host openrcm_test postgres $host/32 trust" "$hba"
  psql_admin -c "select pg_reload_conf()" >/dev/null
  psql -h "$host" -p "$port" -U postgres -d openrcm_test -w -Atqc "select 1" >/dev/null
fi
echo "postgres: ready on $host:$port (database openrcm_test, role openrcm_app)" >&2
