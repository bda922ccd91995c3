-- wrk script: POST /orders with a customer's JWT, then a one-line JSON summary for bench.sh.
-- wrk -t2 -c50 -d60s -s loadtest/post-order.lua http://127.0.0.1:8080/orders
-- Reads BENCH_TOKEN (the access token) and BENCH_ORDER (the JSON body) from the environment.

local token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
local order = os.getenv("BENCH_ORDER")
  or '{"items":[{"menuItemId":"latte","qty":1}],"card":"4242424242424242","address":"1 Main St"}'

wrk.method = "POST"
wrk.body = order
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

-- Answers other than 201 are counted per thread and added up in done().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  if status ~= 201 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local merged = {}
  local bad = 0
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses")
    for status, count in pairs(seen) do
      merged[status] = (merged[status] or 0) + count
      bad = bad + count
    end
  end
  local other = {}
  for status, count in pairs(merged) do
    other[#other + 1] = string.format('"%d":%d', status, count)
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"non201":%d,"statuses":{%s},' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,' ..
    '"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"p999_ms":%.2f,"max_ms":%.2f,"mean_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), bad,
    table.concat(other, ","), errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000))
end
