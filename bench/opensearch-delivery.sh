#!/usr/bin/env bash
# OpenSearch delivery (issue 12): Sluice's indexing throughput into a local OpenSearch node against that node's own
# bulk ceiling, measured in the same run on the same node. Steps:
#  1. backlog  Sluice takes 1 KiB JSON records (`bin/bench put --record-data json`: ids 0 to 3,999, cycled) at RATE
#              requests/s of 500 records for DURATION (plus 1 s of warm-up) into a stream with an
#              AmazonopensearchserviceDestinationConfiguration (index `sluice`, NoRotation, BufferingHints BUFFER_MB
#              MiB (default 5) / 1 s, RetryOptions 7200 s) while its cluster (`opensearch-endpoint`) is a closed port,
#              then stops: N = its IncomingRecords. With SLUICE_WARMUP=1 (the default) it takes that twice: a first
#              N that warms Sluice's JIT in step 4, as the node's is warmed in step 3, and the N that is measured.
#  2. node     an OpenSearch 3.9 node (io.sluice.testing.OpenSearchNodeMain, the server module's test classpath,
#              as the integration tests start it; here with a NODE_HEAP heap, default 1g, and the JVM's default
#              collector and compilers) on 127.0.0.1. Every index is created alike (1 shard, no replica), and each
#              ceiling index is deleted once counted.
#  3. ceiling  `bin/bench bulk` indexes the same N documents: first a warm-up (4 connections, not counted), then the
#              ceiling with each of CEILING_CONNECTIONS connections (default "4 8": Sluice keeps up to 8 batches
#              of a stream in flight) into `ceiling-<connections>`: _bulk requests of BUFFER_MB MiB of documents, each
#              under an id shaped like Sluice's. The ceiling is the best of them, timed like Sluice: from the first
#              answer to the last, the first answer's documents not counted. With SLUICE_WARMUP=1 each ceiling index
#              first takes the warm-up's number of other documents (`--seed 2`, not timed), as Sluice's index holds
#              its warm-up's documents when Sluice is measured: indexing into a fuller index costs the node more.
#  4. sluice   Sluice starts again on the same data with the node as `opensearch-endpoint` and delivers the backlog
#              into `sluice`, timed from its metrics (DeliveryToAmazonOpenSearchService.Records, polled every 0.1 s)
#              from the first to the last delivered document (the first batch's documents not counted); with
#              SLUICE_WARMUP=1, from the first poll that sees the warm-up's N delivered to the last document: a
#              Sluice that has run for a while, as a node that has.
#  5. again    the last of CEILING_CONNECTIONS once more, after Sluice: does the node's speed drift over the run?
# Reported for 3 and 4: documents/s, MB/s (10^6 bytes of documents), CPU of the node, of Sluice and of the bulk client,
# the rest of the machine (from /proc/stat; the machine is shared), `_count` of each index (must be N), and the ratio.
# usage: bench/opensearch-delivery.sh [DURATION] [WORK_DIR]   (needs the aws CLI, curl, bc and Maven for the classpath)
# DRAIN_JFR=FILE records a 30 s JFR profile of Sluice from the start of step 4 (its figures are then not clean).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-8s}"
given_work="${2:-}"
work="${given_work:-$(mktemp -d)}"
rate="${RATE:-60}" # 60 × 500 records/s for 8 s and 1 s of warm-up: N = 270,000
sluice_warmup="${SLUICE_WARMUP:-1}"
buffer_mb="${BUFFER_MB:-5}"
node_heap="${NODE_HEAP:-1g}"
ceiling_connections="${CEILING_CONNECTIONS:-4 8}"
port=14583
closed_port=19098 # nothing listens here: delivery fails while the backlog builds
export JAVA_HOME=$("$root/bin/java-home")
mkdir -p "$work"
. "$root/bench/sluice-drain.sh"
node=
cleanup() {
  [ -n "$sluice" ] && kill "$sluice" 2>/dev/null && wait "$sluice" 2>/dev/null
  [ -n "$node" ] && kill "$node" 2>/dev/null && wait "$node" 2>/dev/null
  exec 7>&- 2>/dev/null || true
  [ -z "$given_work" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT

echo "load before: $(uptime)"
records_metric=firehose_DeliveryToAmazonOpenSearchService_Records_total
destination() { # CLUSTER_INDEX
  echo "{\"RoleARN\":\"arn:aws:iam::000000000000:role/sluice-bench\",
    \"DomainARN\":\"arn:aws:es:us-east-1:000000000000:domain/bench\",\"IndexName\":\"$1\",\"IndexRotationPeriod\":\"NoRotation\",
    \"BufferingHints\":{\"SizeInMBs\":$buffer_mb,\"IntervalInSeconds\":1},\"RetryOptions\":{\"DurationInSeconds\":7200},
    \"S3Configuration\":{\"RoleARN\":\"arn:aws:iam::000000000000:role/sluice-bench\",\"BucketARN\":\"arn:aws:s3:::sluice-bench\"}}"
}

# 1. The backlog, while the cluster is unreachable. Long back-off: the failing deliveries stay out of the puts' way.
data="$work/data"
echo "== backlog: $rate requests/s of 500 records for $duration (and 1 s of warm-up), the cluster a closed port"
start_sluice "$data" "$work/sluice-1.log" SLUICE_OPENSEARCH_ENDPOINT="http://127.0.0.1:$closed_port" \
  SLUICE_DELIVERY_MIN_BACKOFF=5s SLUICE_DELIVERY_MAX_BACKOFF=30s SLUICE_HTTP_ENDPOINT_MAX_BACKOFF=30s
create_stream bench "$(destination sluice)" --amazonopensearchservice-destination-configuration
put_json bench "$duration" --rate "$rate" | grep -E 'payload|errors' || true
warmup=0
if [ "$sluice_warmup" = 1 ]; then
  warmup=$(metric firehose_IncomingRecords_total)
  echo "(that was Sluice's warm-up, $warmup records; now the N that is measured)"
  put_json bench "$duration" --rate "$rate" | grep -E 'payload|errors' || true
fi
all=$(metric firehose_IncomingRecords_total)
records=$((all - warmup))
incoming=$(metric firehose_IncomingBytes_total)
delivered_early=$(metric "$records_metric")
stop_sluice
echo "backlog: $all records ($warmup of them Sluice's warm-up, N = $records), $incoming bytes ($delivered_early delivered while the cluster was closed)"

# 2. The node, kept running by its standard input (a FIFO held open here): it stops when that ends.
echo "== node: OpenSearch from the server module's test classpath, heap $node_heap"
if [ ! -f "$root/server/target/test-classes/io/sluice/testing/OpenSearchNodeMain.class" ]; then
  (cd "$root" && mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true test-compile -pl server -am) >&2
fi
(cd "$root" && mvn -B -q -ntp -pl server dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" \
  -Dmdep.includeScope=test) > /dev/null
home="$work/node"
mkdir -p "$home"
mkfifo "$work/node.stdin"
"$JAVA_HOME/bin/java" -Xms"$node_heap" -Xmx"$node_heap" --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir="$home" \
  -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
  -cp "$root/server/target/test-classes:$(cat "$work/classpath.txt")" io.sluice.testing.OpenSearchNodeMain "$home" \
  < "$work/node.stdin" > "$work/node.log" 2>&1 &
node=$!
exec 7> "$work/node.stdin"
until [ -s "$home/logs/http.ports" ] && \
    curl -sf "http://$(head -1 "$home/logs/http.ports")/_cluster/health?wait_for_status=yellow&timeout=5s" > /dev/null; do
  kill -0 "$node" 2>/dev/null || { echo "the node did not start:"; tail -50 "$work/node.log"; node=; exit 1; }
  sleep 0.5
done
cluster="http://$(head -1 "$home/logs/http.ports")"
echo "node: $cluster (pid $node), $(curl -s "$cluster" | awk -F'"' '/"number"/ { print "OpenSearch " $4 }')"
settings='{"settings":{"index":{"number_of_shards":1,"number_of_replicas":0}}}'
count() { curl -s -X POST "$cluster/$1/_refresh" > /dev/null; curl -s "$cluster/$1/_count" | sed 's/.*"count":\([0-9]*\).*/\1/'; }
: > "$work/results.txt"

# 3. The node's own ceiling with the same documents. A warm-up first (the node's JIT), into an index deleted after.
bulk() { # INDEX CONNECTIONS LABEL
  local node0 node1 busy0 busy1 n expected
  echo "== $3: bin/bench bulk, $2 connections, load $(cut -d' ' -f1-3 /proc/loadavg)"
  curl -sf -X PUT "$cluster/$1" -H 'Content-Type: application/json' -d "$settings" > /dev/null
  if [ "$warmup" -gt 0 ] && [ "$3" != warm-up ]; then # as Sluice's index holds its warm-up when it is measured
    "$root/bin/bench" bulk --endpoint "$cluster" --index "$1" --documents "$warmup" --record-size 1KiB \
      --bulk-size "${buffer_mb}MiB" --connections "$2" --seed 2 | grep -v '^RESULT' | sed 's/^/(fill) /'
  fi
  node0=$(cpu_ticks "$node"); busy0=$(machine_ticks)
  "$root/bin/bench" bulk --endpoint "$cluster" --index "$1" --documents "$records" --record-size 1KiB \
    --bulk-size "${buffer_mb}MiB" --connections "$2" --server-pid "$node" > "$work/bulk-$1.txt"
  node1=$(cpu_ticks "$node"); busy1=$(machine_ticks)
  grep -v '^RESULT' "$work/bulk-$1.txt"
  n=$(count "$1")
  expected=$records; [ "$3" = warm-up ] || expected=$((records + warmup))
  echo "$3: _count $n ($([ "$n" = "$expected" ] && echo "= the documents sent" || echo "DIFFERS from the $expected documents sent")); the rest of the machine" \
    "(the client included) $(awk -v t=$((busy1 - busy0 - node1 + node0)) -v k="$(getconf CLK_TCK)" -v n=$((node1 - node0)) \
      'BEGIN { printf "%.1f CPU-s, %.0f %% of the node'"'"'s", t / k, 100 * t / n }'); load $(cut -d' ' -f1-3 /proc/loadavg)"
  [ "$3" = warm-up ] || awk -v label="$3" '$1 == "RESULT" { print "RESULT " label, $3, $4 }' "$work/bulk-$1.txt" >> "$work/results.txt"
  curl -sf -X DELETE "$cluster/$1" > /dev/null # no merges of it left to run during what follows
}
bulk warm-up 4 warm-up
for c in $ceiling_connections; do bulk "ceiling-$c" "$c" "ceiling-$c"; done

# 4. Sluice delivering the backlog to the node.
echo "== sluice: the backlog's delivery to the node, load $(cut -d' ' -f1-3 /proc/loadavg)"
curl -sf -X PUT "$cluster/sluice" -H 'Content-Type: application/json' -d "$settings" > /dev/null
start_sluice "$data" "$work/sluice-2.log" SLUICE_OPENSEARCH_ENDPOINT="$cluster"
warm_first=
if [ "$warmup" -gt 0 ]; then
  await_delivery "$warmup" "$records_metric"
  echo "sluice: warm-up delivered ($polled documents) in $(echo "$drain_last - $drain_first" | bc) s"
  warm_first=$drain_last; warm_first_bytes=$polled # the poll that saw the warm-up delivered starts the timing
fi
cpu0=$(cpu_ticks "$sluice"); node0=$(cpu_ticks "$node"); busy0=$(machine_ticks)
[ -n "${DRAIN_JFR:-}" ] && \
  "$JAVA_HOME/bin/jcmd" "$sluice" JFR.start duration=30s filename="$DRAIN_JFR" settings=profile > /dev/null
await_delivery "$all" "$records_metric"
[ -n "$warm_first" ] && { drain_first=$warm_first; drain_first_bytes=$warm_first_bytes; }
cpu1=$(cpu_ticks "$sluice"); node1=$(cpu_ticks "$node"); busy1=$(machine_ticks)
awk -v n=$((all - drain_first_bytes)) -v s="$(echo "$drain_last - $drain_first" | bc)" -v size=1024 \
    -v cpu=$((cpu1 - cpu0)) -v nodecpu=$((node1 - node0)) -v others=$((busy1 - busy0 - cpu1 + cpu0 - node1 + node0)) \
    -v ticks="$(getconf CLK_TCK)" -v since="$([ "$warmup" -gt 0 ] && echo "Sluice's warm-up" || echo "the first delivered batch")" \
  'BEGIN { printf "sluice: after " since ", %.0f documents in %.2f s: %.0f documents/s, %.1f MB/s (MB = 10^6 bytes of documents); Sluice CPU %.1f s (%.0f %% of one core); node CPU %.1f s (%.0f %% of one core); the rest of the machine %.0f %% of one core\n",
             n, s, n / s, n * size / 1e6 / s, cpu / ticks, 100 * cpu / ticks / s, nodecpu / ticks, 100 * nodecpu / ticks / s, 100 * others / ticks / s
           printf "RESULT sluice %.0f %.1f\n", n / s, n * size / 1e6 / s }' | tee -a "$work/results.txt"
echo "sluice: load $(cut -d' ' -f1-3 /proc/loadavg); error documents: $( (find "$data/buckets/sluice-bench" -type f 2>/dev/null || true) | wc -l) objects"
n=$(count sluice)
echo "sluice: _count $n ($([ "$n" = "$all" ] && echo "= all put" || echo "DIFFERS from all put = $all")), Records metric $(metric "$records_metric")"
grep -E 'sending|bulk|took' "$work/sluice-2.log" | head -5 || true
stop_sluice

# 5. The ceiling once more with the last of CEILING_CONNECTIONS, after Sluice: has the node's speed drifted?
last=${ceiling_connections##* }
bulk "again-$last" "$last" "ceiling-$last-again"

awk '$1 == "RESULT" { r[$2] = $3 } END { best = 0; for (k in r) if (k ~ /^ceiling/ && r[k] > best) { best = r[k]; which = k }
  printf "ceiling (best: %s) %.0f documents/s; Sluice %.0f documents/s: Sluice / ceiling = %.2f (goal: at least 0.80)\n", which, best, r["sluice"], r["sluice"] / best }' "$work/results.txt"
echo "load after: $(uptime)"
