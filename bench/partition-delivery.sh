#!/usr/bin/env bash
# Dynamic partitioning (issue 11): 1 KiB JSON records (`bin/bench put --record-data json`, 8 distinct bodies of 500
# records: ids 0 to 3,999) into the embedded local store, with and without partitioning, and the memory of 500 open
# partitions. Cases (CASES, default "partitioned plain heap"):
#  partitioned  a MetadataExtraction processor (JQ-1.6) with the query
#               {a: (.id % 10 | tostring), b: ((.id / 10 | floor) % 10 | tostring)}: 100 partitions, Prefix
#               a=!{partitionKeyFromQuery:a}/b=!{partitionKeyFromQuery:b}/, ErrorOutputPrefix errors/, dynamic
#               partitioning enabled; BufferingHints BUFFER_MB MiB (default 128) / 1 s;
#  plain        the same stream without processor or partitioning (Prefix plain/, same hints);
#  heap         Sluice with a 512 MiB heap (-Xmx512m) and a GC log; a stream partitioned by {p: (.id % 500 | tostring)}
#               with 128 MiB / 900 s hints, so that its 500 batches fill and none is flushed, takes puts for DURATION
#               (8 connections, closed loop); reported: PartitionCount, heap in use, the live heap after a full GC,
#               the largest heap before and after a GC (GC log), peak RSS, open files.
# partitioned and plain are each measured twice:
#  drain  Sluice takes a backlog for DURATION (8 connections, closed loop) while S3 delivery fails, stops, starts again
#         on the same data with its embedded local store, and the drain is timed from Sluice's metrics, from the first
#         to the last delivered byte (as bench/lambda-transform.sh does): delivery alone, with both cores to itself.
#         The interval is 1 s so that every backlog record is already due when the drain begins: each pass reads
#         BUFFER_MB MiB and seals every partition's batch at its end (about 100 objects of BUFFER_MB / 100 MiB), and
#         the last batches do not wait out an interval;
#  live   a fresh Sluice delivering while it takes puts at RATE requests/s of 500 records (open loop from 32
#         connections; default 200: 100,000 records/s) for DURATION: puts and delivery share the machine. Reported:
#         the delivered rate (first to last delivered byte), the largest backlog seen (incoming − delivered, polled
#         every 0.5 s), and how long after the puts ended the last byte was delivered; a Sluice that keeps up
#         delivers at RATE and ends within about the interval.
# Each measurement also gives Sluice's CPU time and the rest of the machine's (from /proc/stat): the machine is shared.
# Checks: delivered bytes = input bytes (metrics, and the objects on disk), 100 partition folders, nothing under
# errors/. Records are 1 KiB, so records/s = delivered bytes / 1,024.
# usage: bench/partition-delivery.sh [DURATION] [WORK_DIR] [CASES]   (needs the aws CLI, curl and bc)
# MODES="drain live" (the default) chooses the measurements of partitioned and plain; LIVE_INTERVAL (default 1)
# is the buffering interval of the live streams, in seconds.
# DRAIN_JFR=FILE records a 30 s JFR profile of Sluice from the start of the partitioned drain.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-20s}"
given_work="${2:-}"
work="${given_work:-$(mktemp -d)}"
cases="${3:-partitioned plain heap}"
buffer_mb="${BUFFER_MB:-128}"
rate="${RATE:-200}"
modes="${MODES:-drain live}"
live_interval="${LIVE_INTERVAL:-1}"
port=14582
closed_port=19097 # nothing listens here: S3 delivery fails while the backlog builds
export JAVA_HOME=$("$root/bin/java-home")
mkdir -p "$work"
. "$root/bench/sluice-drain.sh"
bench_put=
cleanup() {
  [ -n "$bench_put" ] && kill "$bench_put" 2>/dev/null && wait "$bench_put" 2>/dev/null
  [ -n "$sluice" ] && kill "$sluice" 2>/dev/null && wait "$sluice" 2>/dev/null
  if [ -z "$given_work" ]; then rm -rf "$work"; else rm -rf "$work"/data-*; fi
  true
}
trap cleanup EXIT
trap "exit 143" TERM INT # so that the EXIT trap runs when the script is stopped

destination() { # CASE [INTERVAL] -> its ExtendedS3DestinationConfiguration
  local interval=${2:-1} common='"RoleARN":"arn:aws:iam::000000000000:role/sluice-bench","BucketARN":"arn:aws:s3:::sluice-bench","ErrorOutputPrefix":"errors/"'
  local jq='"Type":"MetadataExtraction","Parameters":[{"ParameterName":"JsonParsingEngine","ParameterValue":"JQ-1.6"},{"ParameterName":"MetadataExtractionQuery","ParameterValue"'
  case $1 in
    partitioned) echo "{$common,\"BufferingHints\":{\"SizeInMBs\":$buffer_mb,\"IntervalInSeconds\":$interval},
      \"Prefix\":\"a=!{partitionKeyFromQuery:a}/b=!{partitionKeyFromQuery:b}/\",\"DynamicPartitioningConfiguration\":{\"Enabled\":true},
      \"ProcessingConfiguration\":{\"Enabled\":true,\"Processors\":[{$jq:\"{a: (.id % 10 | tostring), b: ((.id / 10 | floor) % 10 | tostring)}\"}]}]}}" ;;
    plain) echo "{$common,\"BufferingHints\":{\"SizeInMBs\":$buffer_mb,\"IntervalInSeconds\":$interval},\"Prefix\":\"plain/\"}" ;;
    heap) echo "{$common,\"BufferingHints\":{\"SizeInMBs\":128,\"IntervalInSeconds\":900},
      \"Prefix\":\"p=!{partitionKeyFromQuery:p}/\",\"DynamicPartitioningConfiguration\":{\"Enabled\":true},
      \"ProcessingConfiguration\":{\"Enabled\":true,\"Processors\":[{$jq:\"{p: (.id % 500 | tostring)}\"}]}]}}" ;;
  esac
}

check() { # CASE DATA_DIR INCOMING -> a line on what is in the bucket
  local bucket="$2/buckets/sluice-bench" on_disk objects partitions errors
  on_disk=$(find "$bucket" -type f -not -path "$bucket/errors/*" -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }')
  objects=$(find "$bucket" -type f -not -path "$bucket/errors/*" | wc -l)
  errors=$( (find "$bucket/errors" -type f 2>/dev/null || true) | wc -l)
  partitions=$( (find "$bucket" -mindepth 2 -maxdepth 2 -type d -path "$bucket/a=*/b=*" || true) | wc -l)
  echo "on disk: $on_disk bytes in $objects objects ($([ "$on_disk" = "$3" ] && echo "= input" || echo "DIFFERS from the input $3")), $partitions partition folders, $errors objects under errors/"
}

drain() { # CASE
  local case=$1 data="$work/data-$1-drain" incoming cpu0 cpu1 busy0 busy1 objects
  echo "== $case, drain: a backlog while S3 delivery fails"
  rm -rf "$data"
  # Long back-off while the endpoint is closed: the failing deliveries stay out of the puts' way.
  start_sluice "$data" "$work/sluice-$case-drain-1.log" SLUICE_S3_ENDPOINT="http://127.0.0.1:$closed_port" \
    SLUICE_DELIVERY_MIN_BACKOFF=5s SLUICE_DELIVERY_MAX_BACKOFF=30s
  create_stream bench "$(destination "$case")"
  put_json bench "$duration" | grep -E 'payload|errors' || true
  incoming=$(metric firehose_IncomingBytes_total)
  stop_sluice
  echo "== $case, drain: the backlog's delivery to the embedded local store"
  start_sluice "$data" "$work/sluice-$case-drain-2.log"
  cpu0=$(cpu_ticks "$sluice"); busy0=$(machine_ticks)
  [ "$case" = partitioned ] && [ -n "${DRAIN_JFR:-}" ] && \
    "$JAVA_HOME/bin/jcmd" "$sluice" JFR.start duration=30s filename="$DRAIN_JFR" settings=profile > /dev/null
  await_delivery "$incoming"
  cpu1=$(cpu_ticks "$sluice"); busy1=$(machine_ticks)
  objects=$(metric firehose_DeliveryToS3_ObjectCount_total)
  awk -v case="$case" -v b=$((incoming - drain_first_bytes)) -v s="$(echo "$drain_last - $drain_first" | bc)" -v all="$incoming" \
      -v objects="$objects" -v cpu=$((cpu1 - cpu0)) -v others=$((busy1 - busy0 - cpu1 + cpu0)) -v ticks="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s drain: backlog %.0f MB (%.0f records); after the first object, %.0f MB in %.2f s: %.0f records/s, %.1f MB/s (MB = 10^6 bytes); %d objects; Sluice CPU %.1f s (%.0f %% of one core, %.1f ms per MB); the rest of the machine %.0f %% of one core\n",
               case, all / 1e6, all / 1024, b / 1e6, s, b / 1024 / s, b / 1e6 / s, objects, cpu / ticks, 100 * cpu / ticks / s, 1000 * cpu / ticks / (all / 1e6), 100 * others / ticks / s
             printf "RESULT drain %s %.0f %.1f\n", case, b / 1024 / s, b / 1e6 / s }' | tee -a "$work/results.txt"
  echo "$case drain: $(check "$case" "$data" "$incoming")"
  stop_sluice
  rm -rf "$data"
}

live() { # CASE
  local case=$1 data="$work/data-$1-live" incoming delivered backlog max_backlog=0 put_start put_end cpu0 cpu1 busy0 busy1 first= first_bytes
  echo "== $case, live: $rate requests/s of 500 records while delivering to the embedded local store"
  rm -rf "$data"
  start_sluice "$data" "$work/sluice-$case-live.log"
  create_stream bench "$(destination "$case" "$live_interval")"
  cpu0=$(cpu_ticks "$sluice"); busy0=$(machine_ticks); put_start=$(date +%s.%N)
  put_connections=32 put_json bench "$duration" --rate "$rate" --server-pid "$sluice" > "$work/put-$case-live.txt" &
  bench_put=$!
  while kill -0 "$bench_put" 2>/dev/null; do
    incoming=$(metric firehose_IncomingBytes_total); delivered=$(metric firehose_DeliveryToS3_Bytes_total)
    [ -z "$first" ] && [ "$delivered" -gt 0 ] && { first=$(date +%s.%N); first_bytes=$delivered; }
    backlog=$((incoming - delivered)); [ "$backlog" -gt "$max_backlog" ] && max_backlog=$backlog
    sleep 0.5
  done
  wait "$bench_put" || true; bench_put=
  put_end=$(date +%s.%N)
  grep -E 'records/s|payload|errors|latency|p99' "$work/put-$case-live.txt" || true
  incoming=$(metric firehose_IncomingBytes_total)
  await_delivery "$incoming"
  cpu1=$(cpu_ticks "$sluice"); busy1=$(machine_ticks)
  [ -z "$first" ] && { first=$drain_first; first_bytes=$drain_first_bytes; }
  awk -v case="$case" -v b=$((incoming - first_bytes)) -v s="$(echo "$drain_last - $first" | bc)" -v all="$incoming" \
      -v tail="$(echo "$drain_last - $put_end" | bc)" -v max="$max_backlog" -v cpu=$((cpu1 - cpu0)) -v ticks="$(getconf CLK_TCK)" \
      -v others=$((busy1 - busy0 - cpu1 + cpu0)) -v window="$(echo "$drain_last - $put_start" | bc)" \
    'BEGIN { printf "%s live: took %.0f MB (%.0f records); after the first object, %.0f MB in %.2f s: %.0f records/s, %.1f MB/s delivered; largest backlog %.1f MB; last byte delivered %.2f s after the puts ended; Sluice CPU %.1f s (%.0f %% of one core, %.1f ms per MB); the rest of the machine (the generator included) %.0f %% of one core\n",
               case, all / 1e6, all / 1024, b / 1e6, s, b / 1024 / s, b / 1e6 / s, max / 1e6, tail, cpu / ticks, 100 * cpu / ticks / window, 1000 * cpu / ticks / (all / 1e6), 100 * others / ticks / window
             printf "RESULT live %s %.0f %.1f\n", case, b / 1024 / s, b / 1e6 / s }' | tee -a "$work/results.txt"
  echo "$case live: $(check "$case" "$data" "$incoming")"
  awk -v n="$(server_metric sluice_log_fsync_seconds_count)" -v sum="$(server_metric sluice_log_fsync_seconds_sum)" \
      -v max="$(server_metric sluice_log_fsync_seconds_max)" -v case="$case" \
    'BEGIN { printf "%s live: fsyncs of the record log: %d, mean %.1f ms, max %.0f ms\n", case, n, 1000 * sum / n, 1000 * max }'
  stop_sluice
  rm -rf "$data"
}

heap() {
  local data="$work/data-heap" gc="$work/gc-heap.log" used live
  echo "== heap: 500 partitions, 128 MiB / 900 s hints, a 512 MiB heap"
  rm -rf "$data"
  start_sluice "$data" "$work/sluice-heap.log" \
    SLUICE_JAVA_OPTS="-Xmx512m -XX:MaxDirectMemorySize=128m -Xlog:gc:file=$gc"
  create_stream p500 "$(destination heap)"
  put_json p500 "$duration" --server-pid "$sluice" | grep -E 'payload|errors|server' || true
  sleep 2 # the pipeline's last pass
  used=$("$JAVA_HOME/bin/jcmd" "$sluice" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub("K.*", "", v); printf "%.0f", v / 1024; exit } }')
  "$JAVA_HOME/bin/jcmd" "$sluice" GC.class_histogram > "$work/histogram-heap.txt" # a full GC: what is live now
  live=$("$JAVA_HOME/bin/jcmd" "$sluice" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub("K.*", "", v); printf "%.0f", v / 1024; exit } }')
  echo "heap: PartitionCount $(metric firehose_PartitionCount), PartitionCountExceeded $(metric firehose_PartitionCountExceeded);" \
    "incoming $(metric firehose_IncomingBytes_total) bytes, delivered $(metric firehose_DeliveryToS3_Bytes_total) bytes (no batch is due)"
  echo "heap: in use $used MiB, live after a full GC $live MiB (of 512); from the GC log: at most $(gc_peaks "$gc")"
  echo "heap: peak RSS $(peak_rss_mib "$sluice") MiB; open files $(ls "/proc/$sluice/fd" | wc -l)"
  echo "heap: largest classes after the full GC:"; sed -n '4,10p' "$work/histogram-heap.txt"
  stop_sluice
  rm -rf "$data"
}

: > "$work/results.txt"
echo "load before: $(uptime)"
for case in $cases; do
  case $case in
    heap) heap ;;
    partitioned | plain) for mode in $modes; do "$mode" "$case"; done ;;
    *) echo "unknown case: $case" >&2; exit 2 ;;
  esac
done
if [ -f "$work/results.txt" ]; then
  awk '$1 == "RESULT" { r[$2 " " $3] = $4 } END { for (m in r) { split(m, k, " "); if (k[2] == "partitioned" && (k[1] " plain") in r) printf "%s: partitioned / plain = %.2f\n", k[1], r[m] / r[k[1] " plain"] } }' "$work/results.txt"
fi
echo "load after: $(uptime)"
