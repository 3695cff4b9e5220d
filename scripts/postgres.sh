# Sourced by test.sh. Makes a PostgreSQL server accept connections on 127.0.0.1 with
# trust authentication for the user postgres, and exports its connection
# string for TestDatabases: the machine's server on port 5432 when it
# accepts connections, else its Debian cluster started, else a cluster of this project
# under .tools/postgres on port 5433, installed from Debian's packages first
# when PostgreSQL is missing.

pg_answers() {
  psql "postgresql://postgres@127.0.0.1:$1/postgres" -tAc 'select 1' \
    >/dev/null 2>&1
}

start_own_cluster() {
  local bin data
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  data="$tools/postgres"
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    chown postgres "$data"
    su postgres -c "'$bin/initdb' -D '$data' -A trust -U postgres" >/dev/null
  fi
  su postgres -c "'$bin/pg_ctl' -D '$data' -l '$data/server.log' -w \
    -o '-p 5433 -k /tmp -c listen_addresses=127.0.0.1' start" >/dev/null
}

pg_port=5432
if ! pg_answers 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect \
      "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  fi
  if ! pg_answers 5432; then
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      echo "Installing PostgreSQL from Debian's packages"
      apt-get update >/dev/null
      apt-get install -y postgresql >/dev/null
    fi
    pg_port=5433
    pg_answers 5433 || start_own_cluster
  fi
fi

if ! pg_answers "$pg_port"; then
  echo "PostgreSQL is not reachable on 127.0.0.1:$pg_port as user postgres; start it or install the postgresql package" >&2
  exit 1
fi

pg_major="$(psql "postgresql://postgres@127.0.0.1:$pg_port/postgres" -tAc \
  'show server_version_num' | cut -c1-2)"
export AI_COST_TEST_POSTGRES_ID="POSTGRES_${pg_major}"
export "BACKSTAGE_TEST_DATABASE_POSTGRES${pg_major}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:$pg_port"
echo "PostgreSQL $pg_major on 127.0.0.1:$pg_port"
