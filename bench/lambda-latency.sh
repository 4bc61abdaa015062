#!/usr/bin/env bash
# Latency a Lambda processor adds with interval 0 (issue 10): `bin/bench freshness --watch` (PutRecord at
# RATE records/s for DURATION, each record's time from its acknowledgement to its object appearing in the
# embedded local store) against a stream `fresh` with 1 MiB / 0 s hints, once without a processor (`plain`)
# and once with a Lambda processor (`lambda`) whose function is a local Java identity (2 processes of AWS's
# runtime interface client, the jar built as bench/lambda-transform.sh builds it). Each case gets a fresh
# Sluice and data directory; the stream is created with the AWS CLI before freshness runs (freshness then
# uses it). The added latency is the difference between the two cases; for the lambda case Sluice's own
# ExecuteProcessing duration summary (per invocation) is printed too.
# usage: bench/lambda-latency.sh [DURATION] [RATE] [WORK_DIR]   (needs the aws CLI and curl)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-30s}"
rate="${2:-20}"
work="${3:-$(mktemp -d)}"
port=14582
function_arn=arn:aws:lambda:us-east-1:000000000000:function:identity
export JAVA_HOME=$("$root/bin/java-home")
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
mkdir -p "$work"
sluice=
cleanup() {
  [ -n "$sluice" ] && kill "$sluice" 2>/dev/null && wait "$sluice" 2>/dev/null
  rm -rf "$work"/data-*
  true
}
trap cleanup EXIT
trap "exit 143" TERM INT # so that the EXIT trap runs when the script is stopped

# --- the identity function
. "$root/bench/lambda-identity.sh"

for case in plain lambda; do
  echo "== $case"
  data="$work/data-$case"
  rm -rf "$data"
  SLUICE_DATA_DIR="$data" SLUICE_PORT=$port SLUICE_HOST=127.0.0.1 "$root/bin/sluice" serve \
    --set "lambda-function.identity.arn=$function_arn" --set "lambda-function.identity.command=$command" \
    --set lambda-function.identity.processes=2 > "$work/sluice-$case.log" 2>&1 &
  sluice=$!
  until grep -qs "Sluice ready" "$work/sluice-$case.log"; do
    kill -0 "$sluice" 2>/dev/null || { echo "Sluice did not start:"; cat "$work/sluice-$case.log"; exit 1; }
    sleep 0.2
  done
  processing=
  [ "$case" = lambda ] && processing=",\"ProcessingConfiguration\":{\"Enabled\":true,\"Processors\":[{\"Type\":\"Lambda\",\"Parameters\":[{\"ParameterName\":\"LambdaArn\",\"ParameterValue\":\"$function_arn\"}]}]}"
  aws --endpoint-url "http://127.0.0.1:$port" firehose create-delivery-stream --delivery-stream-name fresh \
    --delivery-stream-type DirectPut --extended-s3-destination-configuration \
    "{\"RoleARN\":\"arn:aws:iam::000000000000:role/sluice-bench\",\"BucketARN\":\"arn:aws:s3:::sluice-bench\",\"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":0},\"CompressionFormat\":\"UNCOMPRESSED\"$processing}" > /dev/null
  "$root/bin/bench" freshness --endpoint "http://127.0.0.1:$port" --watch "$data" --rate "$rate" \
    --duration "$duration" || echo "(freshness exited with $?)"
  # Sluice's own timing of each invocation (event sent to answer read), for the lambda case.
  curl -s "http://127.0.0.1:$port/metrics" | awk '$1 ~ /^firehose_ExecuteProcessing_Duration_seconds/ {
      sub(/[{].*quantile="/, " p", $1); sub(/".*/, "", $1); sub(/[{].*/, "", $1); printf "%s %s\n", $1, $2 }'
  kill "$sluice"; wait "$sluice" 2>/dev/null || true; sluice=
  rm -rf "$data"
done
uptime
