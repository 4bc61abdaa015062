# Sourced by the benchmarks that run Sluice with its embedded local store and time the delivery of what was
# put (lambda-transform.sh, partition-delivery.sh): starting and stopping Sluice, creating a stream with the
# AWS CLI, putting 1 KiB JSON records, reading /metrics, waiting for a backlog's delivery.
# Needs $root, $port and $JAVA_HOME; the caller may fill the array sluice_settings with `serve` options.
# Sets $sluice, the pid of the Sluice it started (empty when none runs): the caller's EXIT trap stops it.
sluice=
sluice_settings=()
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=

# NAME: the sum of a counter (or gauge) over every stream, from Sluice's /metrics.
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 ~ "^"name"[{]" { s += $2 } END { printf "%.0f\n", s }'; }
# NAME: one of Sluice's own (untagged) metrics, e.g. sluice_log_fsync_seconds_max.
server_metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1" '$1 == name { print $2; exit }'; }
# PID: its CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The machine's busy CPU time so far (every core: user, nice, system, irq, softirq, steal), in clock ticks.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
# PID: its peak resident set size, in MiB.
peak_rss_mib() { awk '/VmHWM/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }
# GC_LOG (-Xlog:gc): the largest heap occupancy before a GC and after one, from lines such as
# "Pause Young (Normal) (G1 Evacuation Pause) 300M->120M(512M) 3.1ms".
gc_peaks() {
  grep -o '[0-9]*M->[0-9]*M' "$1" | tr -d M | awk -F'->' '$1 > b { b = $1 } $2 > a { a = $2 } END { printf "%d MiB before a GC, %d MiB after one\n", b, a }'
}

# DATA_DIR LOG [ENV=VALUE ...]: starts Sluice on 127.0.0.1:$port and waits until it is ready.
start_sluice() {
  local data=$1 log=$2; shift 2
  env "$@" SLUICE_DATA_DIR="$data" SLUICE_PORT="$port" SLUICE_HOST=127.0.0.1 \
    "$root/bin/sluice" serve "${sluice_settings[@]}" > "$log" 2>&1 &
  sluice=$!
  until grep -qs "Sluice ready" "$log"; do
    kill -0 "$sluice" 2>/dev/null || { echo "Sluice did not start:"; cat "$log"; sluice=; exit 1; }
    sleep 0.2
  done
}
stop_sluice() { kill "$sluice"; wait "$sluice" 2>/dev/null || true; sluice=; }

# NAME DESTINATION_JSON [DESTINATION_OPTION]: creates a DirectPut stream with that destination configuration
# (DESTINATION_OPTION is the AWS CLI's option for it, default --extended-s3-destination-configuration); waits until ACTIVE.
create_stream() {
  aws --endpoint-url "http://127.0.0.1:$port" firehose create-delivery-stream --delivery-stream-name "$1" \
    --delivery-stream-type DirectPut "${3:---extended-s3-destination-configuration}" "$2" > /dev/null
  until [ "$(aws --endpoint-url "http://127.0.0.1:$port" firehose describe-delivery-stream --delivery-stream-name "$1" \
      --query DeliveryStreamDescription.DeliveryStreamStatus --output text)" = ACTIVE ]; do sleep 0.2; done
}

# STREAM DURATION [bin/bench put options ...]: 1 KiB JSON records, 500 per request, from $put_connections
# connections (default 8).
put_json() {
  local stream=$1 duration=$2; shift 2
  "$root/bin/bench" put --endpoint "http://127.0.0.1:$port" --stream "$stream" --record-data json --record-size 1KiB \
    --connections "${put_connections:-8}" --batch 500 --duration "$duration" --warmup 1s "$@"
}

# NAME: sets $polled to the sum of a counter over every stream, read from /metrics with bash builtins only: no
# process is started (a curl and an awk every 0.1 s take about half a core of this 2-core machine from what is
# being measured). Counters are whole numbers; Java may print them as 5.5296E8.
poll_metric() {
  local name=$1 line value mantissa exponent fraction digits fd
  polled=0
  { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
  printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&"$fd"
  while IFS= read -r line <&"$fd"; do
    [[ $line == "$name{"* ]] || continue
    value=${line##* }; value=${value%$'\r'}
    mantissa=${value%%[eE]*}; exponent=0; fraction=
    [[ $value == *[eE]* ]] && exponent=$((${value##*[eE]}))
    [[ $mantissa == *.* ]] && fraction=${mantissa#*.}
    digits=$((10#${mantissa%%.*}$fraction)); exponent=$((exponent - ${#fraction}))
    while [ "$exponent" -gt 0 ]; do digits=$((digits * 10)); exponent=$((exponent - 1)); done
    while [ "$exponent" -lt 0 ]; do digits=$((digits / 10)); exponent=$((exponent + 1)); done
    polled=$((polled + digits))
  done
  exec {fd}>&-
}

# INCOMING [METRIC]: waits until Sluice has delivered INCOMING bytes to S3 (every stream), or INCOMING of what the
# counter METRIC counts (default firehose_DeliveryToS3_Bytes_total), polling /metrics every 0.1 s without starting
# a process (poll_metric; the pause is a read that times out on a FIFO no one writes to).
# Sets drain_first (when the first delivered byte was seen, epoch seconds), drain_first_bytes (what had been
# delivered then) and drain_last (when the last byte was seen). Exits if Sluice stops.
await_delivery() {
  local incoming=$1 counter=${2:-firehose_DeliveryToS3_Bytes_total} now pause
  drain_first= drain_first_bytes= drain_last=
  [ -p "$work/pause.fifo" ] || mkfifo "$work/pause.fifo"
  exec {pause}<>"$work/pause.fifo"
  while :; do
    now=$EPOCHREALTIME; poll_metric "$counter"
    [ -z "$drain_first" ] && [ "$polled" -gt 0 ] && { drain_first=$now; drain_first_bytes=$polled; }
    [ "$polled" -ge "$incoming" ] && { drain_last=$now; break; }
    kill -0 "$sluice" 2>/dev/null || { echo "Sluice stopped"; exit 1; }
    read -r -t 0.1 -u "$pause" || true
  done
  exec {pause}>&-
}
