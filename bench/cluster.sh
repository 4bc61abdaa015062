#!/usr/bin/env bash
# Cluster mode (issue 17): what Kafka costs a put, and three nodes on one machine. Steps, in one run:
#  1. peers     one Apache Kafka broker (KRaft: io.sluice.testing.KafkaBenchMain broker, heap BROKER_HEAP, default
#               1g) and one PostgreSQL (Debian's binaries: initdb in the work folder, fsync on, run as the postgres
#               user when this script runs as root), both on 127.0.0.1.
#  2. embedded  one Sluice on its embedded journal (fsync always), `bin/bench put` 500 × 1 KiB PutRecordBatch,
#               CONNECTIONS connections (default 32) for DURATION (default 20s) after a 3 s warm-up.
#  3. 1 node    one Sluice in cluster mode on the broker and PostgreSQL: the same load.
#  4. 3 nodes   two more cluster nodes; three `bin/bench put` at once, one per node, CONNECTIONS/3 connections each,
#               on one stream; their records/s summed.
# Streams buffer 128 MiB / 60 s and deliver to an S3 endpoint nobody serves, so no delivery runs in a window: the
# figures are ingest (a put answered 200 once the journal fsynced it, or once Kafka acknowledged it with acks=all).
# usage: bench/cluster.sh [WORK_DIR]   (needs Maven for the classpath, PostgreSQL's binaries, curl)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
given_work="${1:-}"
work="${given_work:-$(mktemp -d)}"
mkdir -p "$work"
chmod 755 "$work"
connections="${CONNECTIONS:-32}"
duration="${DURATION:-20s}"
broker_heap="${BROKER_HEAP:-1g}"
broker_port=19292
controller_port=19293
pg_port=15433
bootstrap="127.0.0.1:$broker_port"
export JAVA_HOME=$("$root/bin/java-home")
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
broker= postgres= nodes=()
cleanup() {
  for pid in "${nodes[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done
  # PostgreSQL first: started after the broker's FIFO was opened, it holds that FIFO open too.
  if [ -n "$postgres" ]; then kill -INT "$postgres" 2>/dev/null; wait "$postgres" 2>/dev/null || true; fi
  exec 7>&- 2>/dev/null || true # the broker stops when its standard input ends
  if [ -n "$broker" ]; then wait "$broker" 2>/dev/null || true; fi
  [ -z "$given_work" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_s() { awk -v t="$1" -v k="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / k }'; }
echo "load before: $(uptime)"

# 1. The peers.
if [ ! -f "$root/server/target/test-classes/io/sluice/testing/KafkaBenchMain.class" ]; then
  (cd "$root" && mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true test-compile -pl server -am) >&2
fi
(cd "$root" && mvn -B -q -ntp -pl server dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" \
  -Dmdep.includeScope=test) > /dev/null
classpath="$root/server/target/test-classes:$(cat "$work/classpath.txt")"
mkfifo "$work/broker.stdin"
"$JAVA_HOME/bin/java" -Xms"$broker_heap" -Xmx"$broker_heap" -Djava.io.tmpdir="$work" -cp "$classpath" \
  io.sluice.testing.KafkaBenchMain broker "$work/broker" "$broker_port" "$controller_port" \
  < "$work/broker.stdin" > "$work/broker.log" 2>&1 &
broker=$!
exec 7> "$work/broker.stdin"
until grep -qs "Kafka Server started" "$work/broker.log"; do
  kill -0 "$broker" 2>/dev/null || { echo "the broker did not start:"; tail -50 "$work/broker.log"; broker=; exit 1; }
  sleep 0.5
done
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres=()
mkdir -p "$work/pg"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$work/pg"
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi
"${as_postgres[@]}" "$pgbin/initdb" -D "$work/pg/data" -A trust -U sluice > "$work/pg-initdb.log" 2>&1
"${as_postgres[@]}" "$pgbin/postgres" -D "$work/pg/data" -p "$pg_port" -h 127.0.0.1 -k "$work/pg" \
  > "$work/postgres.log" 2>&1 7>&- &
postgres=$!
until "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; do sleep 0.2; done
"$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U sluice sluice
echo "== peers: Kafka broker on $bootstrap (pid $broker), PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}')" \
  "on 127.0.0.1:$pg_port (pid $postgres, fsync on)"

# PORT DATA_DIR LOG [ENV=VALUE ...]: starts a Sluice, adds its pid to nodes, waits until it is ready.
start_node() {
  local port=$1 data=$2 log=$3; shift 3
  : > "$log"  # not left to the redirection below, which the job may do after the wait reads
  env "$@" SLUICE_DATA_DIR="$data" SLUICE_PORT="$port" SLUICE_HOST=127.0.0.1 "$root/bin/sluice" serve > "$log" 2>&1 7>&- &
  nodes+=($!)
  until grep -qs "Sluice ready" "$log"; do
    kill -0 "${nodes[-1]}" 2>/dev/null || { echo "Sluice did not start:"; cat "$log"; exit 1; }
    sleep 0.2
  done
}
cluster=(SLUICE_CLUSTER_KAFKA_BOOTSTRAP_SERVERS="$bootstrap" SLUICE_CLUSTER_KAFKA_REPLICATION_FACTOR=1
  SLUICE_CLUSTER_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$pg_port/sluice" SLUICE_CLUSTER_POSTGRES_USER=sluice
  SLUICE_CLUSTER_KEYS_DIR="$work/keys" SLUICE_S3_ENDPOINT=http://127.0.0.1:9 SLUICE_S3_ACCESS_KEY=test
  SLUICE_S3_SECRET_KEY=test)
# PORT STREAM CONNECTIONS PID: one bench put run, its report.
put() {
  "$root/bin/bench" put --endpoint "http://127.0.0.1:$1" --stream "$2" --create-stream --connections "$3" \
    --batch 500 --record-size 1KiB --duration "$duration" --server-pid "$4"
}

# 2. Embedded.
start_node 14600 "$work/embedded" "$work/embedded.log"
echo "== embedded node (journal, fsync always), load $(cut -d' ' -f1-3 /proc/loadavg)"
put 14600 bench "$connections" "${nodes[0]}"
kill "${nodes[0]}"; wait "${nodes[0]}" 2>/dev/null || true; nodes=()

# 3. One cluster node.
start_node 14601 "$work/node-1" "$work/node-1.log" "${cluster[@]}" SLUICE_CLUSTER_NODE_ID=node-1
echo "== one cluster node (Kafka acks=all, PostgreSQL), load $(cut -d' ' -f1-3 /proc/loadavg)"
b0=$(cpu_ticks "$broker")
put 14601 bench "$connections" "${nodes[0]}"
echo "broker: $(cpu_s $(( $(cpu_ticks "$broker") - b0 ))) CPU-s over the run"

# 4. Three cluster nodes, a third of the connections each, at once.
start_node 14602 "$work/node-2" "$work/node-2.log" "${cluster[@]}" SLUICE_CLUSTER_NODE_ID=node-2
start_node 14603 "$work/node-3" "$work/node-3.log" "${cluster[@]}" SLUICE_CLUSTER_NODE_ID=node-3
echo "== three cluster nodes, $((connections / 3)) connections each, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$root/bin/bench" put --endpoint http://127.0.0.1:14601 --stream bench3 --create-stream --connections 1 \
  --duration 1s --warmup 0s > /dev/null
b0=$(cpu_ticks "$broker")
runs=()
for i in 0 1 2; do
  put $((14601 + i)) bench3 $((connections / 3)) "${nodes[$i]}" > "$work/three-$i.txt" &
  runs+=($!)
done
wait "${runs[@]}"
for i in 0 1 2; do echo "-- node-$((i + 1))"; cat "$work/three-$i.txt"; done
echo "broker: $(cpu_s $(( $(cpu_ticks "$broker") - b0 ))) CPU-s over the run"
echo "load after: $(uptime)"
