#!/usr/bin/env bash
# Reading a Kinesis data stream into S3 (the embedded local store) against the Kinesis server's own read
# ceiling, in one run. The server is kinesis-local (the npm package the tests run; bin/test installs it),
# a 4-shard stream filled with COUNT records of 1 KiB under random partition keys:
#  1. the ceiling: bench/kinesis/KinesisLoad.java reads every shard from TRIM_HORIZON to its end, one thread
#     a shard, GetRecords of LIMIT records (default 1,000) again and again, with the AWS SDK client Sluice uses;
#  2. Sluice: a KinesisStreamAsSource stream is created while the Kinesis stream is empty, Sluice is stopped,
#     the stream filled, and Sluice (kinesis-get-records-limit LIMIT) started again: the backlog's reading and
#     delivery (5 MiB / 0 s hints) are
#     timed from Sluice's metrics, from Sluice ready to the last record read (DataReadFromKinesisStream) and
#     to the last record delivered (DeliveryToS3.Records).
# kinesis-local answers a GetRecords of 10,000 records slowly (tens of seconds on a busy machine, past the 30 s
# Sluice waits for an answer), hence the smaller LIMIT.
# usage: [LIMIT=1000] bench/kinesis-source.sh [COUNT] [WORK_DIR]   (needs node, the aws CLI and curl)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-20000}"
work="${2:-$(mktemp -d)}"
limit="${LIMIT:-1000}"
port=14577
kport=14568
export JAVA_HOME=$("$root/bin/java-home")
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
node "$root/server/src/test/node/installed.js" || (cd "$root/server/src/test/node" && npm install --no-audit --no-fund --loglevel=error)
[ -f "$root/server/target/sluice.jar" ] || (cd "$root" && mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true package -pl server -am) >&2
classpath="$root/server/target/classes:$(cat "$root/server/target/runtime-classpath.txt")"
load() { "$JAVA_HOME/bin/java" -cp "$classpath" "$root/bench/kinesis/KinesisLoad.java" "$@"; }
mkdir -p "$work"
kinesis= sluice=
# kinesis-local does not always end on SIGTERM
trap '[ -n "$kinesis" ] && kill -9 $kinesis 2>/dev/null; [ -n "$sluice" ] && kill $sluice 2>/dev/null; rm -rf "$work/data"; true' EXIT
KINESIS_MOCK_PLAIN_PORT=$kport KINESIS_MOCK_TLS_PORT=$((kport + 1)) LOG_LEVEL=WARN SHARD_LIMIT=50 \
  INITIALIZE_STREAMS=ceiling:4,source:4 CREATE_STREAM_DURATION=0ms \
  node "$root/server/src/test/node/kinesis-server.js" > "$work/kinesis.log" 2>&1 &
kinesis=$!
until aws --endpoint-url "http://127.0.0.1:$kport" kinesis describe-stream-summary --stream-name source \
  --query StreamDescriptionSummary.StreamStatus --output text 2>/dev/null | grep -q ACTIVE; do sleep 0.5; done

echo "== kinesis-local's read ceiling ($count x 1 KiB, 4 shards, GetRecords of $limit)"
load fill "http://127.0.0.1:$kport" ceiling "$count" 1024
load read "http://127.0.0.1:$kport" ceiling "$limit"

start_sluice() {  # $1: its log's name
  : > "$work/$1.log"  # not left to the redirection below, which the job may do after the wait reads
  SLUICE_DATA_DIR="$work/data" SLUICE_PORT=$port SLUICE_KINESIS_ENDPOINT="http://127.0.0.1:$kport" \
    SLUICE_KINESIS_ACCESS_KEY=test SLUICE_KINESIS_SECRET_KEY=test SLUICE_KINESIS_GET_RECORDS_LIMIT="$limit" \
    "$root/bin/sluice" serve > "$work/$1.log" 2>&1 &
  sluice=$!
  until grep -qs "Sluice ready" "$work/$1.log"; do sleep 0.1; done
}
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 ~ "^"name"[{]" { s += $2 } END { printf "%.0f\n", s }'; }
now() { date +%s.%N; }

echo "== Sluice: the same backlog read from a 4-shard stream and delivered to the local store"
start_sluice sluice-create
aws --endpoint-url "http://127.0.0.1:$port" firehose create-delivery-stream --delivery-stream-name source \
  --delivery-stream-type KinesisStreamAsSource \
  --kinesis-stream-source-configuration \
  KinesisStreamARN=arn:aws:kinesis:us-east-1:000000000000:stream/source,RoleARN=arn:aws:iam::000000000000:role/firehose \
  --extended-s3-destination-configuration '{"RoleARN":"arn:aws:iam::000000000000:role/firehose",
    "BucketARN":"arn:aws:s3:::bench","BufferingHints":{"SizeInMBs":5,"IntervalInSeconds":0}}' > /dev/null
until [ "$(aws --endpoint-url "http://127.0.0.1:$port" firehose describe-delivery-stream --delivery-stream-name source \
  --query DeliveryStreamDescription.DeliveryStreamStatus --output text)" = ACTIVE ]; do sleep 0.2; done
sleep 2
kill $sluice; wait $sluice 2>/dev/null || true; sluice=
load fill "http://127.0.0.1:$kport" source "$count" 1024
started=$(now)
start_sluice sluice-read
ready=$(now)
read_at=
until [ "$(metric firehose_DeliveryToS3_Records_total)" -ge "$count" ]; do
  if [ -z "$read_at" ] && [ "$(metric firehose_DataReadFromKinesisStream_Records_total)" -ge "$count" ]; then read_at=$(now); fi
  sleep 0.1
done
delivered_at=$(now)
[ -n "$read_at" ] || read_at=$delivered_at
awk -v n="$count" -v s="$started" -v r="$ready" -v a="$read_at" -v d="$delivered_at" 'BEGIN {
  printf "Sluice start to ready: %.1f s\n", r - s
  printf "read: %d records in %.2f s from ready: %.0f records/s\n", n, a - r, n / (a - r)
  printf "delivered: %d records in %.2f s from ready: %.0f records/s (%.1f MB/s of 1 KiB records)\n", n, d - r, n / (d - r), n * 1024 / (d - r) / 1e6 }'
cpu=$(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$sluice/stat")
echo "Sluice CPU since its start: $cpu s; throttled GetRecords: $(metric firehose_ThrottledGetRecords_total)"
echo "objects: $(find "$work/data/buckets/bench" -type f | wc -l), $(du -sm "$work/data/buckets/bench" | cut -f1) MiB"
uptime
