#!/usr/bin/env bash
# Issue 16's scenarios in one run, moto and Sluice side by side, the load sent by wrk (an independent
# generator, written in C) from requests `bin/bench put --presign-to` signed: for each scenario a fresh
# server on its defaults, its stream (ExtendedS3, bench's default hints), a warm-up (below), then DURATION
# measured. Sluice delivers to its embedded local store, as a user gets it, except in "delivery off",
# where its S3 endpoint is a closed port and its log's budget 48 GiB (at 830k records/s the default 16 GiB
# filled in the measurement's last second). Every answer is checked (bench/wrk/put.lua). Then the put
# latency at RATE requests/s of 500 x 1 KiB (default 200, half of what this 2-core machine takes; open
# loop, `bin/bench put --rate`), without and with another process writing to the same disk.
# The whole sequence runs REPEAT times (default 3), round after round, so that drift of the machine falls on
# every scenario alike; each round prints its rows as it goes, and a summary at the end gives per scenario
# the median of the rounds (peak RSS: the largest) and the goals' ratios computed from those medians.
# Prints, per scenario and round: requests/s and records/s, wrk's latency, the server's CPU per answered
# request (user + system, from /proc/PID/stat over the measured window) and its peak RSS.
# Warm-up: moto 5 s (an interpreter: nothing to warm); Sluice WARMUP (default 30 s), because its JIT
# compiler is still at work for 30-40 s under these loads (C2 took 16 % of the server's CPU from 10 to 20 s
# into a 500 x 1 KiB run, 8 % from 20 to 30 s, 2 % after), and a running server is measured, not a start.
# usage: [RATE=200] [REPEAT=3] [WARMUP=30s] bench/delivery-running.sh [DURATION=20s] [WORK_DIR]
# Needs wrk (Debian's package), moto_server, the AWS CLI and curl. Every server and the disk writer are
# stopped by their PID on exit, on success or failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-20s}"
work="${2:-$(mktemp -d)}"
rate="${RATE:-200}"
repeat="${REPEAT:-3}"
warmup="${WARMUP:-30s}"
mkdir -p "$work"
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
ticks=$(getconf CLK_TCK)
server= writer= server_kind=
# stop: the server, and its data (a Sluice scenario leaves GBs of log and objects, whose writeback would
# go on under the next scenarios).
stop() {
  if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; server=; fi
  rm -rf "$work"/data-*
}
trap 'stop; [ -n "$writer" ] && kill "$writer" 2> /dev/null; rm -rf "$work"/noise*; true' EXIT
trap 'exit 130' INT TERM
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_moto() {
  server_kind=moto
  port=$(free_port)
  moto_server -H 127.0.0.1 -p "$port" > "$work/moto.log" 2>&1 &
  server=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/"; do sleep 0.1; done
  aws --endpoint-url "http://127.0.0.1:$port" s3api create-bucket --bucket sluice-bench > /dev/null
}

# start_sluice NAME [VARIABLE=VALUE ...]: bin/sluice serve on its defaults and a fresh data directory.
start_sluice() {
  local name=$1
  shift
  server_kind=sluice
  port=$(free_port)
  # Emptied here, not by the redirection below: that runs in the started job, maybe after the wait has read
  # the last round's "Sluice ready" from the same file.
  : > "$work/sluice-$name.log"
  env "$@" SLUICE_DATA_DIR="$work/data-$name" SLUICE_PORT="$port" "$root/bin/sluice" serve > "$work/sluice-$name.log" 2>&1 &
  server=$!
  until grep -qs "Sluice ready" "$work/sluice-$name.log"; do sleep 0.2; done
}

# measure NAME CONNECTIONS WARM-UP BENCH-PUT-OPTIONS...: the stream, the signed requests, warm-up, measurement.
measure() {
  local name=$1 connections=$2 warmup=$3
  shift 3
  local url="http://127.0.0.1:$port"
  "$root/bin/bench" put --endpoint "$url" --create-stream "$@" --presign-to "$work/requests-$name" > /dev/null
  REQUESTS="$work/requests-$name" wrk -t2 -c"$connections" -d"$warmup" -s "$root/bench/wrk/put.lua" "$url/" > /dev/null
  if [ "$server_kind" = sluice ]; then
    # The warm-up's records go with its stream, so that the measurement starts on an empty stream as after a
    # short warm-up (with delivery off, 30 s of puts would also fill the log), on a warm server.
    aws --endpoint-url "$url" firehose delete-delivery-stream --delivery-stream-name bench > /dev/null
    while aws --endpoint-url "$url" firehose describe-delivery-stream --delivery-stream-name bench > /dev/null 2>&1; do
      sleep 0.5
    done
    "$root/bin/bench" put --endpoint "$url" --create-stream "$@" --presign-to "$work/requests-$name" > /dev/null
  fi
  local cpu0 cpu1
  cpu0=$(awk '{print $14 + $15}' "/proc/$server/stat")
  REQUESTS="$work/requests-$name" wrk -t2 -c"$connections" -d"$duration" --latency -s "$root/bench/wrk/put.lua" "$url/" \
    > "$work/$name.wrk"
  cpu1=$(awk '{print $14 + $15}' "/proc/$server/stat")
  awk -v name="$name" -v c="$connections" -v cpu=$((cpu1 - cpu0)) -v ticks="$ticks" \
      -v rss="$(awk '/VmHWM/ {print $2}' "/proc/$server/status")" '
    /^checked/ { ok = $2; bad = $4 }
    /^rates/ { rps = $2; recs = $5 }
    /^latency/ { lat = lat " " $2 " " $3 " ms" }
    END { printf "%-34s %3d conn  %9.1f req/s  %10.0f records/s  not OK %d  latency%s  server CPU %.3f ms/request  peak RSS %.0f MiB\n",
          name, c, rps, recs, bad, lat, cpu / ticks * 1000 / ok, rss / 1024
          printf "%s\trate\t%s\t%s\t%.3f\t%.0f\n", name, rps, recs, cpu / ticks * 1000 / ok, rss / 1024 >> results }' \
    results="$work/results.tsv" "$work/$name.wrk"
}

throughput() {
  start_moto; measure "moto 500 x 1 KiB" 4 5s --batch 500 --record-size 1KiB; stop
  start_moto; measure "moto 500 x 100 B" 4 5s --batch 500 --record-size 100B; stop
  start_moto; measure "moto PutRecord 1 KiB" 4 5s --single --record-size 1KiB; stop
  start_sluice off SLUICE_S3_ENDPOINT=http://127.0.0.1:1 SLUICE_LOG_MAX_SIZE=48GiB
  measure "Sluice 500 x 1 KiB, delivery off" 16 "$warmup" --batch 500 --record-size 1KiB; stop
  start_sluice on; measure "Sluice 500 x 1 KiB" 16 "$warmup" --batch 500 --record-size 1KiB; stop
  start_sluice b100; measure "Sluice 500 x 100 B" 16 "$warmup" --batch 500 --record-size 100B; stop
  start_sluice single; measure "Sluice PutRecord 1 KiB" 64 "$warmup" --single --record-size 1KiB; stop
}

latency() {
  local name=$1
  start_sluice "$name"
  "$root/bin/bench" put --endpoint "http://127.0.0.1:$port" --create-stream --batch 500 --record-size 1KiB \
    --connections 16 --rate "$rate" --duration "$duration" --warmup "$warmup" --server-pid "$server" \
    | awk -v name="$name" -v results="$work/results.tsv" '
        /^latency OK/ { sub(/^latency OK */, ""); l = $0; p50 = $2; p99 = $5 } /^server/ { s = $0 }
        END { printf "%-34s %s\n%-34s %s\n", name, l, "", s; printf "%s\tlatency\t%s\t%s\n", name, p50, p99 >> results }'
  stop
}
# disk_writer: another process writing to the same disk, until killed.
disk_writer() {
  n=0
  while :; do
    dd if=/dev/zero of="$work/noise" bs=1M count=20 conv=notrunc,fdatasync status=none; n=$((n + 1)); echo $n > "$work/noise.count"
    sleep 0.1
  done
}

# median_of NAME FIELD: the median of a scenario's rounds (field 3 onwards of results.tsv); max_of likewise.
median_of() {
  awk -F'\t' -v name="$1" -v f="$2" '$1 == name { print $f }' "$work/results.tsv" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
max_of() {
  awk -F'\t' -v name="$1" -v f="$2" '$1 == name && $f > m { m = $f } END { print m + 0 }' "$work/results.tsv"
}

: > "$work/results.tsv"
echo "== $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), measured $duration per scenario after $warmup of warm-up (moto: 5s), $repeat rounds"
for round in $(seq "$repeat"); do
  echo "== round $round of $repeat"
  throughput
  echo "== put latency at $rate requests/s of 500 x 1 KiB, open loop, delivery running"
  latency "half load"
  disk_writer &
  writer=$!
  written_from=$(date +%s.%N)
  latency "half load, disk writer"
  kill "$writer"; wait "$writer" 2> /dev/null || true; writer=
  awk -v n="$(cat "$work/noise.count")" -v s="$(echo "$(date +%s.%N) - $written_from" | bc)" \
    'BEGIN { printf "(disk writer: 20 MiB overwritten and fdatasync'"'"'d, then 0.1 s of pause, in a loop: %.0f MB/s on average)\n", n * 20 * 1.048576 / s }'
done

echo "== summary: median of $repeat rounds (peak RSS: the largest)"
for name in "moto 500 x 1 KiB" "moto 500 x 100 B" "moto PutRecord 1 KiB" "Sluice 500 x 1 KiB, delivery off" \
    "Sluice 500 x 1 KiB" "Sluice 500 x 100 B" "Sluice PutRecord 1 KiB"; do
  printf "%-34s %9.1f req/s  %10.0f records/s  server CPU %.3f ms/request  peak RSS %.0f MiB\n" "$name" \
    "$(median_of "$name" 3)" "$(median_of "$name" 4)" "$(median_of "$name" 5)" "$(max_of "$name" 6)"
done
for name in "half load" "half load, disk writer"; do
  printf "%-34s p50 %.3f ms  p99 %.3f ms\n" "$name" "$(median_of "$name" 3)" "$(median_of "$name" 4)"
done
awk -v on="$(median_of "Sluice 500 x 1 KiB" 4)" -v off="$(median_of "Sluice 500 x 1 KiB, delivery off" 4)" \
    -v moto="$(median_of "moto 500 x 1 KiB" 4)" \
    'BEGIN { printf "500 x 1 KiB: %.1f x moto; delivery running %+.0f %% against delivery off\n", on / moto, (on / off - 1) * 100 }'
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg)"
