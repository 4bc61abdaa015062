#!/usr/bin/env bash
# Many streams with large buffering hints in a small heap: Sluice runs with a 512 MiB heap; `bin/bench put`
# creates STREAMS streams (SizeInMBs 128, IntervalInSeconds INTERVAL) delivering to the embedded local store
# and puts 1 KiB records round-robin over them for DURATION; the script then waits until every incoming byte
# is delivered (from /metrics), and restarts Sluice on the same data to time recovery. Reported: the put
# run, the live heap when the puts end (every stream holding an open batch), peak RSS, the largest heap
# occupancy after a GC (from the GC log), delivered bytes, recovery time.
# usage: bench/many-streams.sh [STREAMS] [DURATION] [INTERVAL] [WORK_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
streams="${1:-1000}"
duration="${2:-60s}"
interval="${3:-60s}"
work="${4:-$(mktemp -d)}"
port=14574
export JAVA_HOME=$("$root/bin/java-home")
mkdir -p "$work"
sluice=
start_sluice() {
  : > "$work/sluice-$1.log"  # not left to the redirection below, which the job may do after the wait reads
  SLUICE_JAVA_OPTS="-Xmx512m -XX:MaxDirectMemorySize=128m -Xlog:gc:file=$work/gc-$1.log" \
    SLUICE_DATA_DIR="$work/data" SLUICE_PORT=$port \
    "$root/bin/sluice" serve > "$work/sluice-$1.log" 2>&1 &
  sluice=$!
  until grep -qs "Sluice ready" "$work/sluice-$1.log"; do
    kill -0 $sluice 2>/dev/null || { cat "$work/sluice-$1.log" >&2; exit 1; }
    sleep 0.2
  done
}
trap '[ -n "$sluice" ] && kill $sluice 2>/dev/null; true' EXIT
metric_sum() {  # the sum of a counter over every stream
  curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 ~ "^"name"[{]" { s += $2 } END { printf "%.0f\n", s }'
}
peak_rss() { awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$sluice/status"; }
max_heap_after_gc() {  # "Pause Young (Normal) (G1 Evacuation Pause) 300M->120M(512M) 3.1ms": the largest 120M
  grep -o '[0-9]*M->[0-9]*M' "$1" | sed 's/.*->//; s/M//' | sort -n | tail -1
}

start_sluice first
"$root/bin/bench" put --endpoint "http://127.0.0.1:$port" --stream many --streams "$streams" --create-stream \
  --buffer-size 128 --buffer-interval "$interval" --connections 16 --batch 100 --record-size 1KiB \
  --duration "$duration" --warmup 0s --server-pid $sluice
"$JAVA_HOME/bin/jcmd" $sluice GC.class_histogram > "$work/histogram.txt"   # a full GC: what is live now
live_heap=$("$JAVA_HOME/bin/jcmd" $sluice GC.heap_info | awk '/used/ { sub("K", "", $NF); for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub("K.*", "", v); printf "%.0f", v / 1024; exit } }')
echo "live heap when the puts ended (after a full GC): $live_heap MiB of 512"
incoming=$(metric_sum firehose_IncomingBytes_total)
echo "incoming: $incoming bytes in the log over $streams streams; backlog now $(( incoming - $(metric_sum firehose_DeliveryToS3_Bytes_total) )) bytes"
begin=$(date +%s)
until [ "$(metric_sum firehose_DeliveryToS3_Bytes_total)" -ge "$incoming" ]; do
  [ $(( $(date +%s) - begin )) -gt 1200 ] && { echo "not all delivered after 20 minutes" >&2; break; }
  sleep 2
done
delivered=$(metric_sum firehose_DeliveryToS3_Bytes_total)
echo "delivered: $delivered bytes ($(( $(date +%s) - begin )) s after the puts ended), $(find "$work/data/buckets" -type f | wc -l) objects"
echo "first run: peak RSS $(peak_rss), largest heap after GC $(max_heap_after_gc "$work/gc-first.log") MiB of 512"
kill $sluice; wait $sluice 2>/dev/null || true
t0=$(date +%s.%N)
start_sluice second
echo "restart on $(du -sh "$work/data" | cut -f1) of data: ready in $(echo "$(date +%s.%N) - $t0" | bc) s; peak RSS $(peak_rss)"
sleep 5
echo "after restart: largest heap after GC $(max_heap_after_gc "$work/gc-second.log") MiB"
uptime
