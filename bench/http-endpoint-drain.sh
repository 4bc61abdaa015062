#!/usr/bin/env bash
# Measures HTTP endpoint delivery alone: with the endpoint down, `bin/bench put` fills a backlog of
# 1 KiB records (about 2 GB in 20 s); then nginx (Debian's nginx-light, a do-nothing receiver that
# echoes the request id) starts, and the backlog's delivery is timed from nginx's access log.
# DESTINATION=splunk measures Splunk delivery the same way: nginx is then a do-nothing HTTP Event
# Collector answering every raw request {"text":"Success","code":0,"ackId":0} and every
# acknowledgement query {"acks":{"0":true}}, so each batch costs a request and one ack query.
# usage: bench/http-endpoint-drain.sh [MAX_IN_FLIGHT] [WORK_DIR]   (needs nginx and the aws CLI)
set -euo pipefail
command -v nginx >/dev/null || { echo "http-endpoint-drain: needs nginx (Debian: apt-get install nginx-light)" >&2; exit 1; }
root="$(cd "$(dirname "$0")/.." && pwd)"
in_flight="${1:-8}"
work="${2:-$(mktemp -d)}"
destination="${DESTINATION:-http-endpoint}"
port=14573
sink=18080
export JAVA_HOME=$("$root/bin/java-home")
mkdir -p "$work"
cat > "$work/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
  log_format drain '\$msec \$status';
  access_log $work/access.log drain;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  client_max_body_size 100m;
  server {
    listen 127.0.0.1:$sink;
    default_type application/json;
    location / {
      return 200 '{"requestId":"\$http_x_amz_firehose_request_id","timestamp":0}';
    }
    location /services/collector/raw {
      return 200 '{"text":"Success","code":0,"ackId":0}';
    }
    location /services/collector/ack {
      access_log off;
      return 200 '{"acks":{"0":true}}';
    }
  }
}
CONF
rm -f "$work/access.log"
SLUICE_DELIVERY_MAX_IN_FLIGHT="$in_flight" SLUICE_DATA_DIR="$work/data" SLUICE_PORT=$port \
  SLUICE_HTTP_ENDPOINT_ALLOW_HTTP=true SLUICE_HTTP_ENDPOINT_MAX_BACKOFF=1s \
  "$root/bin/sluice" serve > "$work/sluice.log" 2>&1 &
sluice=$!
trap 'kill $sluice 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; true' EXIT
until grep -q "Sluice ready" "$work/sluice.log"; do sleep 1; done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
failed='"S3Configuration":{"RoleARN":"arn:aws:iam::000000000000:role/r","BucketARN":"arn:aws:s3:::drain"}'
if [ "$destination" = splunk ]; then
  aws --endpoint-url "http://127.0.0.1:$port" firehose create-delivery-stream --delivery-stream-name drain \
    --splunk-destination-configuration "{\"HECEndpoint\":\"http://127.0.0.1:$sink\",\"HECEndpointType\":\"Raw\",
      \"HECToken\":\"bench\",\"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":0},
      \"RetryOptions\":{\"DurationInSeconds\":7200},$failed}" > /dev/null
else
  aws --endpoint-url "http://127.0.0.1:$port" firehose create-delivery-stream --delivery-stream-name drain \
    --http-endpoint-destination-configuration "{\"EndpointConfiguration\":{\"Url\":\"http://127.0.0.1:$sink/\"},
      \"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":0},\"RetryOptions\":{\"DurationInSeconds\":7200},
      $failed}" > /dev/null
fi
sleep 2
"$root/bin/bench" put --endpoint "http://127.0.0.1:$port" --stream drain --connections 8 --batch 500 \
  --record-size 1KiB --duration 20s --warmup 1s | grep payload
cpu0=$(awk '{print $14+$15}' "/proc/$sluice/stat")
[ -n "${DRAIN_JFR:-}" ] && "$JAVA_HOME/bin/jcmd" $sluice JFR.start duration=15s filename="$DRAIN_JFR" settings=profile > /dev/null
nginx -c "$work/nginx.conf" -p "$work" &
previous=-1
while sleep 2; do
  n=$(wc -l < "$work/access.log" 2>/dev/null || echo 0)
  [ "$n" = "$previous" ] && break
  previous=$n
done
cpu1=$(awk '{print $14+$15}' "/proc/$sluice/stat")
awk -v cpu=$((cpu1 - cpu0)) -v ticks="$(getconf CLK_TCK)" '
  NR == 1 { start = $1 } { end = $1; if ($2 != 200) bad++ }
  END { printf "delivered %d requests of ~1 MiB in %.2f s: %.1f requests/s, ~%.0f MB/s of payload; non-200: %d; Sluice CPU %.1f s (%.2f ms per request)\n",
        NR, end - start, NR / (end - start), NR / (end - start) * 1.0486, bad, cpu / ticks, cpu / ticks * 1000 / NR }' "$work/access.log"
uptime
