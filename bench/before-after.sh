#!/usr/bin/env bash
# Runs the same benchmarks on two builds of Sluice, one after the other in one run, so that a change is
# compared with what it changed under the same conditions: BEFORE is a git revision (built in a temporary
# worktree), AFTER is this working tree. Each round measures, for each build in turn:
#  - ingest: 500 × 1 KiB records per PutRecordBatch, 16 connections, 20 s, the stream's S3 endpoint on a
#    closed port (ingest alone; delivery retries in the background);
#  - delivery to an S3-compatible server: bench/s3-delivery.sh 20s (s3proxy's own ceiling, then the drain);
#  - delivery to an HTTP endpoint: bench/http-endpoint-drain.sh 8 (nginx; needs Debian's nginx-light).
# usage: bench/before-after.sh BEFORE [ROUNDS]   e.g. bench/before-after.sh 796453e 2
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
before_rev="${1:?usage: bench/before-after.sh BEFORE [ROUNDS]}"
rounds="${2:-1}"
work="$(mktemp -d)"
before="$work/before"
trap 'git -C "$root" worktree remove --force "$before" 2>/dev/null || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$before" "$before_rev" > /dev/null 2>&1
export JAVA_HOME=$("$root/bin/java-home")
for tree in "$before" "$root"; do
  (cd "$tree" && mvn -B -q -ntp -o -DskipTests -Dspotless.check.skip=true package -pl server,bench -am) >&2
done

ingest() {
  local tree="$1" port=14590 data="$work/ingest-data" sluice
  rm -rf "$data"
  : > "$work/ingest.log"  # not left to the redirection below, which the job may do after the wait reads
  SLUICE_DATA_DIR="$data" SLUICE_PORT=$port SLUICE_S3_ENDPOINT=http://127.0.0.1:9 \
    SLUICE_S3_ACCESS_KEY=k SLUICE_S3_SECRET_KEY=s "$tree/bin/sluice" serve > "$work/ingest.log" 2>&1 &
  sluice=$!
  until grep -qs "Sluice ready" "$work/ingest.log"; do
    kill -0 $sluice 2>/dev/null || { echo "Sluice did not start; see its log:" >&2; tail -20 "$work/ingest.log" >&2; exit 1; }
    sleep 0.2
  done
  "$root/bin/bench" put --endpoint "http://127.0.0.1:$port" --create-stream --server-pid $sluice \
    --connections 16 --batch 500 --record-size 1KiB --duration 20s --warmup 3s \
    | grep -E '^ *(records|payload|latency OK|error|server) ' || true
  kill $sluice; wait $sluice 2>/dev/null || true
  rm -rf "$data"
}

for round in $(seq 1 "$rounds"); do
  for side in before after; do
    tree=$([ $side = before ] && echo "$before" || echo "$root")
    echo "=== round $round, $side ($(git -C "$tree" rev-parse --short HEAD)$([ $side = after ] && ! git -C "$root" diff --quiet HEAD && echo ', with uncommitted changes'))"
    echo "--- ingest, 500 x 1 KiB, 16 connections"; ingest "$tree"
    echo "--- delivery to s3proxy"; "$tree/bench/s3-delivery.sh" 20s "$work/s3-$side" | grep -E 'S3PutObjectBenchmark|delivered|objects'
    rm -rf "$work/s3-$side"
    echo "--- delivery to nginx"; "$tree/bench/http-endpoint-drain.sh" 8 "$work/http-$side" | grep -E 'delivered'
    rm -rf "$work/http-$side"
  done
done
uptime
