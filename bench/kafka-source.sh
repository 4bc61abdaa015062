#!/usr/bin/env bash
# MSK / Kafka source (issue 13): how fast Sluice reads a 4-partition Kafka topic of 1 KiB records into S3 (its embedded
# local store), against the broker's own read ceiling measured in the same run on the same data. Steps:
#  1. broker   one Apache Kafka broker (KRaft, broker and controller in one: io.sluice.testing.KafkaBenchMain broker,
#              from the server module's test classpath as the integration tests start it, heap BROKER_HEAP, default
#              1g) on 127.0.0.1.
#  2. data     N records (default 200,000) of 1 KiB (a JSON object padded to 1,024 bytes with its newline) written
#              round-robin to the 4 partitions of topic `bench` (acks=all).
#  3. ceiling  a plain KafkaConsumer (KafkaBenchMain consume: every partition assigned from the beginning, Sluice's
#              fetch settings, records thrown away) reads the N records, twice: the first run warms the broker; both
#              are timed from the first record to the last, the first poll's records not counted.
#  4. sluice   Sluice starts with `msk-bootstrap-servers` = the broker; a stream created with the AWS CLI
#              (--delivery-stream-type MSKAsSource, ReadFromTimestamp at the epoch: from the start of the topic) to
#              S3 with BufferingHints BUFFER_MB MiB (default 64) / 1 s reads and delivers the N records. Timed from its
#              metrics polled every 0.1 s: DataReadFromSource.Records (read and durable in Sluice's log) and
#              DeliveryToS3.Records (in S3), each from its first non-zero value to N.
# Reported: records/s and MB/s (10^6 bytes of records) of 3 and 4, the ratio, the CPU of Sluice and of the broker.
# CLIENT_PROPERTIES=FILE is given to Sluice as msk-client-properties (consumer tuning: max.poll.records ...).
# usage: bench/kafka-source.sh [RECORDS] [WORK_DIR]   (needs the aws CLI, curl and Maven for the classpath)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
records="${1:-200000}"
given_work="${2:-}"
work="${given_work:-$(mktemp -d)}"
buffer_mb="${BUFFER_MB:-64}"
broker_heap="${BROKER_HEAP:-1g}"
port=14584
broker_port=19192
controller_port=19193
bootstrap="127.0.0.1:$broker_port"
export JAVA_HOME=$("$root/bin/java-home")
mkdir -p "$work"
. "$root/bench/sluice-drain.sh"
broker=
cleanup() {
  if [ -n "$sluice" ]; then kill "$sluice" 2>/dev/null; wait "$sluice" 2>/dev/null || true; fi
  exec 7>&- 2>/dev/null || true # the broker stops when its standard input ends
  if [ -n "$broker" ]; then wait "$broker" 2>/dev/null || true; fi
  [ -z "$given_work" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT
echo "load before: $(uptime)"

# 1. The broker, kept running by its standard input (a FIFO held open here): it stops when that ends.
if [ ! -f "$root/server/target/test-classes/io/sluice/testing/KafkaBenchMain.class" ]; then
  (cd "$root" && mvn -B -q -ntp -DskipTests -Dspotless.check.skip=true test-compile -pl server -am) >&2
fi
(cd "$root" && mvn -B -q -ntp -pl server dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" \
  -Dmdep.includeScope=test) > /dev/null
classpath="$root/server/target/test-classes:$(cat "$work/classpath.txt")"
kafka() { "$JAVA_HOME/bin/java" -cp "$classpath" io.sluice.testing.KafkaBenchMain "$@" 2> "$work/client.log"; }
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
echo "== broker: Kafka $(unzip -p "$(tr ':' '\n' < "$work/classpath.txt" | grep 'kafka-clients')" \
  kafka/kafka-version.properties | sed -n 's/^version=//p') on $bootstrap (pid $broker), heap $broker_heap"

# 2. The data.
kafka produce "$bootstrap" bench 4 "$records" 1024
bytes=$((records * 1024))

# 3. The broker's own read ceiling, twice.
for run in warm-up ceiling; do
  b0=$(cpu_ticks "$broker")
  result=$(kafka consume "$bootstrap" bench "$records" | grep '^RESULT')
  b1=$(cpu_ticks "$broker")
  echo "$run: $(echo "$result" | awk '{ printf "%d records in %.2f s: %.0f records/s, %.1f MB/s", $2, $3, $4, $5 }');" \
    "broker $(awk -v t=$((b1 - b0)) -v k="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / k }') CPU-s"
  ceiling=$(echo "$result" | awk '{ print $4 }')
done

# 4. Sluice reading the topic from its start into the local store.
echo "== sluice: MSKAsSource stream reading topic bench from the epoch, load $(cut -d' ' -f1-3 /proc/loadavg)"
start_sluice "$work/data" "$work/sluice.log" SLUICE_MSK_BOOTSTRAP_SERVERS="$bootstrap" \
  SLUICE_MSK_CLIENT_PROPERTIES="${CLIENT_PROPERTIES:-}"
s0=$(cpu_ticks "$sluice"); b0=$(cpu_ticks "$broker")
aws --endpoint-url "http://127.0.0.1:$port" firehose create-delivery-stream --delivery-stream-name bench \
  --delivery-stream-type MSKAsSource \
  --msk-source-configuration '{"MSKClusterARN":"arn:aws:kafka:us-east-1:000000000000:cluster/bench/0000-1111",
    "TopicName":"bench","ReadFromTimestamp":"1970-01-01T00:00:00Z",
    "AuthenticationConfiguration":{"RoleARN":"arn:aws:iam::000000000000:role/sluice-bench","Connectivity":"PRIVATE"}}' \
  --extended-s3-destination-configuration "{\"RoleARN\":\"arn:aws:iam::000000000000:role/sluice-bench\",
    \"BucketARN\":\"arn:aws:s3:::sluice-bench\",\"BufferingHints\":{\"SizeInMBs\":$buffer_mb,\"IntervalInSeconds\":1}}" \
  > /dev/null
read_first= read_first_n= read_last= s3_first= s3_first_n= s3_last=
while [ -z "$s3_last" ]; do
  now=$(date +%s.%N)
  scrape=$(curl -s "http://127.0.0.1:$port/metrics")
  read_n=$(echo "$scrape" | awk '$1 ~ /^firehose_DataReadFromSource_Records_total[{]/ { s += $2 } END { printf "%.0f", s }')
  s3_n=$(echo "$scrape" | awk '$1 ~ /^firehose_DeliveryToS3_Records_total[{]/ { s += $2 } END { printf "%.0f", s }')
  [ -z "$read_first" ] && [ "$read_n" -gt 0 ] && { read_first=$now; read_first_n=$read_n; }
  [ -z "$read_last" ] && [ "$read_n" -ge "$records" ] && read_last=$now
  [ -z "$s3_first" ] && [ "$s3_n" -gt 0 ] && { s3_first=$now; s3_first_n=$s3_n; }
  [ "$s3_n" -ge "$records" ] && s3_last=$now
  kill -0 "$sluice" 2>/dev/null || { echo "Sluice stopped"; tail -30 "$work/sluice.log"; exit 1; }
  sleep 0.1
done
s1=$(cpu_ticks "$sluice"); b1=$(cpu_ticks "$broker")
rate() { awk -v n=$(($3 - $4)) -v t0="$1" -v t1="$2" 'BEGIN { printf "%.0f", n / (t1 - t0) }'; }
read_rate=$(rate "$read_first" "$read_last" "$records" "$read_first_n")
s3_rate=$(rate "$s3_first" "$s3_last" "$records" "$s3_first_n")
delivered_bytes=$(cat $(find "$work/data/buckets/sluice-bench" -type f) | wc -c)
echo "read into the log: $read_rate records/s, $(awk -v r="$read_rate" 'BEGIN { printf "%.1f", r * 1024 / 1e6 }') MB/s"
echo "delivered to S3:   $s3_rate records/s, $(awk -v r="$s3_rate" 'BEGIN { printf "%.1f", r * 1024 / 1e6 }') MB/s;" \
  "$delivered_bytes bytes in the bucket ($([ "$delivered_bytes" = "$bytes" ] && echo "= N × 1 KiB" || echo "DIFFERS from $bytes"))"
echo "CPU while Sluice read and delivered: Sluice $(awk -v t=$((s1 - s0)) -v k="$(getconf CLK_TCK)" \
  'BEGIN { printf "%.1f", t / k }') CPU-s, broker $(awk -v t=$((b1 - b0)) -v k="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / k }') CPU-s"
echo "Sluice / ceiling: read $(awk -v a="$read_rate" -v b="$ceiling" 'BEGIN { printf "%.2f", a / b }')," \
  "delivered $(awk -v a="$s3_rate" -v b="$ceiling" 'BEGIN { printf "%.2f", a / b }')"
stop_sluice
echo "load after: $(uptime)"
