-- Shared by every wrk script here (run wrk with this directory as cwd so `require "common"` works).
-- Counts 2xx and non-2xx responses per thread and prints one JSON line at the end, which
-- bench/wrk.mjs parses. Settings come from the environment (set by bench/wrk.mjs).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

ok_count, bad_count, first_bad = 0, 0, ""

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok_count = ok_count + 1
  else
    bad_count = bad_count + 1
    if first_bad == "" then
      first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 200)
    end
  end
end

local function json_string(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

function done(summary, latency, requests)
  local ok, bad, sample = 0, 0, ""
  for _, t in ipairs(threads) do
    ok = ok + t:get("ok_count")
    bad = bad + t:get("bad_count")
    if sample == "" then sample = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"ok":%d,"non2xx":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"first_bad":%s}\n',
    summary.requests, summary.duration, ok, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, json_string(sample)))
end

function env(name)
  local v = os.getenv(name)
  if v == nil or v == "" then error(name .. " is not set") end
  return v
end

function post_json(body)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = body
end
