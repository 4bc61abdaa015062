#!/usr/bin/env bash
# Delivery to an S3-compatible server against that server's own PutObject ceiling, in one run. The server
# is s3proxy (the project's test dependency) on its filesystem blob store, started as its own process:
#  1. the ceiling: `bin/jmh S3PutObject` puts 5 MiB objects with 4 threads through Sluice's own S3 client;
#  2. Sluice, its S3 endpoint on s3proxy's port while s3proxy is stopped, takes a backlog of 1 KiB records
#     from `bin/bench put` (DURATION) into a stream with 5 MiB / 0 s hints; then s3proxy starts again and
#     the backlog's delivery is timed from Sluice's metrics (first to last delivered byte, and from a fifth
#     of the backlog to the last byte: past the JIT's warm-up, as JMH measures the ceiling).
# usage: bench/s3-delivery.sh [DURATION] [WORK_DIR]   (needs the aws CLI and curl)
# DELIVERY_JFR=FILE records a 20 s JFR profile of Sluice from the start of the delivery.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-20s}"
work="${2:-$(mktemp -d)}"
port=14576
s3port=19000
export JAVA_HOME=$("$root/bin/java-home")
export AWS_ACCESS_KEY_ID=bench-identity AWS_SECRET_ACCESS_KEY=bench-credential AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
mkdir -p "$work/blobs"
(cd "$root" && mvn -B -q -o -ntp dependency:build-classpath -pl server -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/s3proxy-classpath.txt") >&2
cat > "$work/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/blobs
CONF
cat > "$work/s3proxy-logback.xml" <<'CONF'
<configuration><root level="WARN"/></configuration>
CONF
s3proxy= sluice=
trap '[ -n "$s3proxy" ] && kill $s3proxy 2>/dev/null; [ -n "$sluice" ] && kill $sluice 2>/dev/null; rm -rf "$work/blobs"; true' EXIT
start_s3proxy() {
  "$JAVA_HOME/bin/java" -Dlogback.configurationFile="$work/s3proxy-logback.xml" \
    -cp "$(cat "$work/s3proxy-classpath.txt")" org.gaul.s3proxy.Main --properties "$work/s3proxy.conf" \
    >> "$work/s3proxy.log" 2>&1 &
  s3proxy=$!
  until curl -s -o /dev/null "http://127.0.0.1:$s3port/"; do sleep 0.2; done
}
start_s3proxy
aws --endpoint-url "http://127.0.0.1:$s3port" s3api create-bucket --bucket ceiling > /dev/null
aws --endpoint-url "http://127.0.0.1:$s3port" s3api create-bucket --bucket sluice-bench > /dev/null
echo "== s3proxy's PutObject ceiling (5 MiB objects, 4 threads)"
"$root/bin/jmh" S3PutObject -p endpoint="http://127.0.0.1:$s3port" 2>&1 | grep -E '^S3PutObjectBenchmark|^Benchmark'
kill $s3proxy; wait $s3proxy 2>/dev/null || true; s3proxy=

echo "== Sluice: a backlog while s3proxy is down, then its delivery"
SLUICE_DATA_DIR="$work/data" SLUICE_PORT=$port SLUICE_S3_ENDPOINT="http://127.0.0.1:$s3port" \
  SLUICE_S3_ACCESS_KEY=$AWS_ACCESS_KEY_ID SLUICE_S3_SECRET_KEY=$AWS_SECRET_ACCESS_KEY \
  SLUICE_DELIVERY_MIN_BACKOFF=100ms SLUICE_DELIVERY_MAX_BACKOFF=500ms \
  "$root/bin/sluice" serve > "$work/sluice.log" 2>&1 &
sluice=$!
until grep -qs "Sluice ready" "$work/sluice.log"; do sleep 0.2; done
"$root/bin/bench" put --endpoint "http://127.0.0.1:$port" --create-stream --buffer-size 5 --buffer-interval 0s \
  --connections 8 --batch 500 --record-size 1KiB --duration "$duration" --warmup 1s | grep -E 'payload|errors'
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 ~ "^"name"[{]" { s += $2 } END { printf "%.0f\n", s }'; }
incoming=$(metric firehose_IncomingBytes_total)
cpu0=$(awk '{print $14+$15}' "/proc/$sluice/stat")
[ -n "${DELIVERY_JFR:-}" ] && "$JAVA_HOME/bin/jcmd" $sluice JFR.start duration=20s filename="$DELIVERY_JFR" settings=profile > /dev/null
start_s3proxy
first= last= warm=
while :; do
  now=$(date +%s.%N); delivered=$(metric firehose_DeliveryToS3_Bytes_total)
  [ -z "$first" ] && [ "$delivered" -gt 0 ] && { first=$now; first_bytes=$delivered; }
  # Like JMH's warm-up iterations: the rate is also given from a fifth of the backlog on.
  [ -z "$warm" ] && [ "$delivered" -ge $((incoming / 5)) ] && { warm=$now; warm_bytes=$delivered; }
  [ "$delivered" -ge "$incoming" ] && { last=$now; break; }
  sleep 0.1
done
cpu1=$(awk '{print $14+$15}' "/proc/$sluice/stat")
awk -v b=$((incoming - first_bytes)) -v s="$(echo "$last - $first" | bc)" -v all="$incoming" \
    -v wb=$((incoming - warm_bytes)) -v ws="$(echo "$last - $warm" | bc)" \
    -v cpu=$((cpu1 - cpu0)) -v ticks="$(getconf CLK_TCK)" \
  'BEGIN { printf "delivered %.0f MB to s3proxy; after the first object, %.0f MB in %.2f s: %.1f MB/s; from a fifth of the backlog on, %.1f MB/s (MB = 10^6 bytes); Sluice CPU %.1f s\n",
           all / 1e6, b / 1e6, s, b / 1e6 / s, wb / 1e6 / ws, cpu / ticks }'
echo "objects: $(find "$work/blobs/sluice-bench" -type f | wc -l)"
uptime
