#!/usr/bin/env bash
# Measures moto's Firehose, the baseline of BENCHMARKS.md: for each scenario a fresh moto_server on a
# free loopback port, its destination bucket, then `bin/bench put --create-stream --server-pid`.
# Every moto started here is killed by its PID on exit, on success or failure.
# Usage: bench/moto-baseline.sh [DURATION=20s] [CONNECTIONS=8] [WARMUP=3s] [OUT_DIR]
# Needs moto_server and the AWS CLI (for the bucket) on PATH. Writes one JSON report per scenario to
# OUT_DIR (default: a new temporary directory) and prints the human-readable reports.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-20s}"
connections="${2:-8}"
warmup="${3:-3s}"
out="${4:-$(mktemp -d)}"
mkdir -p "$out"

moto_pid=""
stop_moto() {
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
    moto_pid=""
  fi
}
trap stop_moto EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run() {
  local name="$1"
  shift
  local port
  port=$(free_port)
  moto_server -H 127.0.0.1 -p "$port" >"$out/moto-$name.log" 2>&1 &
  moto_pid=$!
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/" && break
    sleep 0.1
  done
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
    aws --endpoint-url "http://127.0.0.1:$port" s3api create-bucket --bucket sluice-bench >/dev/null
  "$root/bin/bench" put --endpoint "http://127.0.0.1:$port" --create-stream --server-pid "$moto_pid" \
    --connections "$connections" --duration "$duration" --warmup "$warmup" --json "$@" >"$out/$name.json"
  echo "== moto $name ($connections connections): $out/$name.json"
  python3 - "$out/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
l = r["latencyOk"]
print(f'{r["okRequestsPerSecond"]:.0f} OK req/s, {r["recordsPerSecond"]:.0f} records/s, '
      f'{r["payloadMegabytesPerSecond"]:.2f} MB/s, p50 {l["p50Millis"]:.2f} ms, p99 {l["p99Millis"]:.2f} ms, '
      f'p99.9 {l["p999Millis"]:.2f} ms, errors {r["errors"]}, server CPU {r["server"]["percentOfOneCore"]:.0f}% '
      f'({r["server"]["cpuMillisPerAnsweredRequest"]} ms/request), peak RSS {r["server"]["peakRssBytes"] / 2**20:.0f} MiB, '
      f'generator CPU {r["generator"]["percentOfOneCore"]:.0f}%')
PY
  stop_moto
}

run batch-1KiB --batch 500 --record-size 1KiB
run batch-100B --batch 500 --record-size 100B
run single-1KiB --single --record-size 1KiB
