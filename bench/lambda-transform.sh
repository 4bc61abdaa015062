#!/usr/bin/env bash
# Throughput of a Lambda processor with a local Java identity function (issue 10), against the same stream
# without a processor, in one run. The function's jar is built here (its source is below), run by AWS's Java
# runtime interface client (the server's test dependency) in 2 processes that Sluice starts and serves the
# Lambda Runtime API to. For each case, `plain` (no processor), `lambda` (Lambda processor, BufferSizeInMBs 1,
# the default) and `lambda3` (BufferSizeInMBs 3):
#  1. Sluice runs with its S3 endpoint on a closed port, so delivery fails, and takes a backlog of 1 KiB JSON
#     records (`bin/bench put --record-data json`, DURATION) into a stream with 5 MiB / 0 s hints;
#  2. Sluice stops (SIGTERM) and starts again on the same data directory with its embedded local store as
#     the S3 destination; the backlog's drain is timed from Sluice's metrics, from the first to the last
#     delivered byte (the function is the identity, so delivered bytes equal the input), with Sluice's CPU
#     and the function processes' CPU over the drain.
# usage: bench/lambda-transform.sh [DURATION] [WORK_DIR] [CASES]   (needs the aws CLI and curl;
#        CASES defaults to "plain lambda lambda3")
# DRAIN_JFR=FILE records a 30 s JFR profile of Sluice from the start of the lambda drain; FUNCTION picks the
# function's handler (lambda-identity.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-20s}"
work="${2:-$(mktemp -d)}"
cases="${3:-plain lambda lambda3}"
port=14581
closed_port=19098 # nothing listens here: S3 delivery fails while the backlog builds
function_arn=arn:aws:lambda:us-east-1:000000000000:function:identity
export JAVA_HOME=$("$root/bin/java-home")
mkdir -p "$work"
. "$root/bench/sluice-drain.sh"
cleanup() {
  [ -n "$sluice" ] && kill "$sluice" 2>/dev/null && wait "$sluice" 2>/dev/null
  rm -rf "$work"/data-*
  true
}
trap cleanup EXIT
trap "exit 143" TERM INT # so that the EXIT trap runs when the script is stopped

# --- the identity function: its jar, the runtime interface client's classpath, its native layer (once)
. "$root/bench/lambda-identity.sh"
sluice_settings=(--set "lambda-function.identity.arn=$function_arn" --set "lambda-function.identity.command=$command"
  --set lambda-function.identity.processes=2 --set lambda-function.identity.timeout=1m)
children_ticks() { local total=0 child; for child in $(pgrep -P "$sluice" || true); do total=$((total + $(cpu_ticks "$child"))); done; echo $total; }

processing() { # CASE -> the ProcessingConfiguration member of the destination, or nothing
  case $1 in
    plain) ;;
    lambda) echo ",\"ProcessingConfiguration\":{\"Enabled\":true,\"Processors\":[{\"Type\":\"Lambda\",\"Parameters\":[{\"ParameterName\":\"LambdaArn\",\"ParameterValue\":\"$function_arn\"}]}]}" ;;
    lambda3) echo ",\"ProcessingConfiguration\":{\"Enabled\":true,\"Processors\":[{\"Type\":\"Lambda\",\"Parameters\":[{\"ParameterName\":\"LambdaArn\",\"ParameterValue\":\"$function_arn\"},{\"ParameterName\":\"BufferSizeInMBs\",\"ParameterValue\":\"3\"}]}]}" ;;
  esac
}

for case in $cases; do
  echo "== $case: a backlog while S3 delivery fails"
  data="$work/data-$case"
  rm -rf "$data"
  # Long back-off while the endpoint is closed: the failing deliveries stay out of the puts' way.
  start_sluice "$data" "$work/sluice-$case-1.log" SLUICE_S3_ENDPOINT="http://127.0.0.1:$closed_port" \
    SLUICE_DELIVERY_MIN_BACKOFF=5s SLUICE_DELIVERY_MAX_BACKOFF=30s
  create_stream bench \
    "{\"RoleARN\":\"arn:aws:iam::000000000000:role/sluice-bench\",\"BucketARN\":\"arn:aws:s3:::sluice-bench\",\"BufferingHints\":{\"SizeInMBs\":5,\"IntervalInSeconds\":0}$(processing "$case")}"
  put_json bench "$duration" | grep -E 'payload|errors' || true
  incoming=$(metric firehose_IncomingBytes_total)
  stop_sluice

  echo "== $case: the backlog's drain into the embedded local store"
  start_sluice "$data" "$work/sluice-$case-2.log"
  cpu0=$(cpu_ticks "$sluice")
  [ "$case" != plain ] && [ -n "${DRAIN_JFR:-}" ] && \
    "$JAVA_HOME/bin/jcmd" "$sluice" JFR.start duration=30s filename="$DRAIN_JFR" settings=profile > /dev/null
  await_delivery "$incoming"
  cpu1=$(cpu_ticks "$sluice"); fcpu=$(children_ticks)
  on_disk=$(find "$data/buckets/sluice-bench" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }')
  objects=$(find "$data/buckets/sluice-bench" -type f | wc -l)
  awk -v case="$case" -v b=$((incoming - drain_first_bytes)) -v s="$(echo "$drain_last - $drain_first" | bc)" -v all="$incoming" \
      -v disk="$on_disk" -v objects="$objects" -v cpu=$((cpu1 - cpu0)) -v fcpu="$fcpu" -v ticks="$(getconf CLK_TCK)" \
    'BEGIN { rate = b / 1e6 / s
             printf "%s: backlog %.0f MB; after the first object, %.0f MB in %.2f s: %.1f MB/s (MB = 10^6 bytes); on disk %.0f MB in %d objects (%s); Sluice CPU %.1f s, function processes CPU %.1f s (their lifetime)\n",
               case, all / 1e6, b / 1e6, s, rate, disk / 1e6, objects, (disk == all ? "= input" : "differs from the input"), cpu / ticks, fcpu / ticks
             printf "RESULT %s %.1f\n", case, rate }' | tee -a "$work/results.txt"
  stop_sluice
  rm -rf "$data"
done
awk '$1 == "RESULT" { r[$2] = $3 } END { if ("plain" in r) for (c in r) if (c != "plain") printf "ratio %s / plain: %.2f\n", c, r[c] / r["plain"] }' "$work/results.txt"
uptime
