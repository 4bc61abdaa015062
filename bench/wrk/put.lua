-- Sends pre-signed Firehose requests with wrk and checks every answer.
--
--   bin/bench put --presign-to DIR ... (the workload: stream, batch, record size, distinct bodies)
--   REQUESTS=DIR wrk -t2 -c16 -d30s --latency -s bench/wrk/put.lua http://127.0.0.1:4573/
--
-- Each connection cycles through DIR/request-<i>.http (whole HTTP/1.1 requests, head and body, signed
-- by `bench put --presign-to`; a signature is accepted for five minutes after it was made). An answer
-- counts as OK when its status is 200 and, for PutRecordBatch, its body says "FailedPutCount": 0 (any spacing); the
-- others as not OK. done() prints the counts and the records/s the OK answers carried.

local dir = os.getenv("REQUESTS") or error("set REQUESTS to the directory bench put --presign-to wrote")
local threads = {}

local function load_requests()
  local requests, records = {}, {} -- every body of a workload carries the same number of records
  local i = 0
  while true do
    local file = io.open(dir .. "/request-" .. i .. ".http", "rb")
    if not file then break end
    local request = file:read("*a")
    file:close()
    requests[#requests + 1] = request
    local _, count = request:gsub('{"Data":"', "")
    records[#records + 1] = count
    i = i + 1
  end
  if #requests == 0 then error("no request-0.http in " .. dir) end
  return requests, records
end

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  requests, records = load_requests()
  batch = requests[1]:find("PutRecordBatch", 1, true) ~= nil
  per_request = records[1]
  next_request = (id * 7) % #requests
  ok, failed, accepted_records = 0, 0, 0
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status, headers, body)
  if status == 200 and (not batch or body:find('"FailedPutCount"%s*:%s*0%f[^%d]')) then
    ok = ok + 1
    accepted_records = accepted_records + per_request
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests_done)
  local all_ok, all_failed, all_records = 0, 0, 0
  for _, thread in ipairs(threads) do
    all_ok = all_ok + thread:get("ok")
    all_failed = all_failed + thread:get("failed")
    all_records = all_records + thread:get("accepted_records")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("checked   %d OK, %d not OK (status other than 200, or records refused)\n",
    all_ok, all_failed))
  io.write(string.format("rates     %.1f OK requests/s, %.1f accepted records/s\n",
    all_ok / seconds, all_records / seconds))
  for _, p in ipairs({50, 99, 99.9}) do
    io.write(string.format("latency   p%s %.3f ms\n", p, latency:percentile(p) / 1000))
  end
end
