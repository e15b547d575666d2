#!/usr/bin/env bash
# Makes the PostgreSQL that the tests run on (every store test and a set of end-to-end tests run on
# H2 and on PostgreSQL; .ci/run calls this, and so does a developer, once per machine boot):
#
#   - starts Debian's cluster (pg_ctlcluster; no systemd needed), the newest one pg_lsclusters shows
#     (made with pg_createcluster when there is none)
#   - creates the role cyphon_test (LOGIN CREATEDB) and its database cyphon_test, or resets the
#     role's password when they exist
#   - writes that password to $CYPHON_TEST_PG_PASSWORD_FILE (default
#     ${XDG_CONFIG_HOME:-~/.config}/cyphon/test-postgresql.password), mode 0600, made once and reused
#
# The tests connect to jdbc:postgresql://127.0.0.1:PORT/cyphon_test as cyphon_test (TCP: the JDBC
# driver has no Unix-socket transport) and give each coordinator a schema of its own, dropped when it
# closes. Override with -Dcyphon.test.postgresql.url=... and -Dcyphon.test.postgresql.passwordFile=...
# The password never appears on a command line: psql reads it from standard input.
#
# Usage (as root): tools/postgresql-for-tests.sh   Prints the port as its last line.
# Needs Debian's postgresql package (apt-get install postgresql).
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  echo "postgresql-for-tests: run as root (it starts the cluster and runs psql as the postgres user)" >&2
  exit 2
fi
if ! command -v pg_lsclusters >/dev/null; then
  echo "postgresql-for-tests: no PostgreSQL here: apt-get install postgresql" >&2
  exit 2
fi

# "15 main 5432 down postgres ..." -> the newest version's first cluster; none (a package installed
# with create_main_cluster off): make one for the newest server installed.
clusters() { pg_lsclusters --no-header | sort -k1,1nr | head -n 1; }
if [ -z "$(clusters)" ]; then
  newest=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  pg_createcluster "$newest" main >/dev/null
fi
read -r version cluster port status _ < <(clusters)
if [ "$status" != online ]; then
  pg_ctlcluster "$version" "$cluster" start
fi

password_file=${CYPHON_TEST_PG_PASSWORD_FILE:-${XDG_CONFIG_HOME:-$HOME/.config}/cyphon/test-postgresql.password}
if [ ! -s "$password_file" ]; then
  mkdir -p "$(dirname "$password_file")"
  (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$password_file")
fi
chmod 600 "$password_file"

# psql takes the password as a variable read from stdin (\set), so ps never shows it.
{
  printf '\\set pw %s\n' "$(cat "$password_file")"
  cat <<'SQL'
SELECT 'CREATE ROLE cyphon_test LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cyphon_test') \gexec
ALTER ROLE cyphon_test PASSWORD :'pw';
SELECT 'CREATE DATABASE cyphon_test OWNER cyphon_test' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'cyphon_test') \gexec
SQL
} | runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres >/dev/null

echo "$port"
