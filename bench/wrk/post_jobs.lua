-- wrk script of the bench's front-door row (S7, bench/frontdoor.py): POST /jobs with the bench's three
-- hello-world programs in rotation, every other request the realistic variant with stdin and limits.
--   wrk -t2 -c64 -d10s --latency -s bench/wrk/post_jobs.lua http://localhost:8080
-- The requests are formatted once per thread (init), so the script costs wrk nothing per request.
-- done() prints one line "FRONTDOOR {json}": counts, socket errors by kind, status errors (wrk counts
-- every answer >= 400 there: a 429 or 503 is an error for this row) and latency percentiles in ms
-- from wrk's own histogram (exact to the microsecond, unlike the text of --latency).

local bodies = {
  '{"language":"python","code":"print(\'Hello, World!\')"}',
  '{"language":"python","code":"print(input())","stdin":"Hello, World!\\n","limits":{"timeMs":2000,"memoryMb":128}}',
  '{"language":"javascript","code":"console.log(\'Hello, World!\')"}',
  '{"language":"javascript","code":"console.log(require(\'fs\').readFileSync(0, \'utf8\').trim())",'
    .. '"stdin":"Hello, World!\\n","limits":{"timeMs":2000,"memoryMb":128}}',
  '{"language":"ruby","code":"puts \'Hello, World!\'"}',
  '{"language":"ruby","code":"puts gets","stdin":"Hello, World!\\n","limits":{"timeMs":2000,"memoryMb":128}}',
}

local requests = {}
local next_index = 1
local thread_number = 0

function setup(thread)
  -- Each thread starts at another body, so two threads do not send the same sequence in step.
  thread:set("offset", thread_number)
  thread_number = thread_number + 1
end

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", "/jobs", headers, body)
  end
  next_index = (offset or 0) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

function done(summary, latency, requests_stats)
  local function ms(us) return us / 1000.0 end
  local e = summary.errors
  local out = {
    requests = summary.requests,
    duration_s = summary.duration / 1e6,
    bytes = summary.bytes,
    errors = { connect = e.connect, read = e.read, write = e.write, status = e.status, timeout = e.timeout },
    latency_ms = {
      min = ms(latency.min), mean = ms(latency.mean), max = ms(latency.max), stdev = ms(latency.stdev),
      p50 = ms(latency:percentile(50)), p90 = ms(latency:percentile(90)), p95 = ms(latency:percentile(95)),
      p99 = ms(latency:percentile(99)), p999 = ms(latency:percentile(99.9)),
    },
  }
  local function encode(v)
    if type(v) == "table" then
      local fields = {}
      for k, x in pairs(v) do
        fields[#fields + 1] = string.format('"%s":%s', k, encode(x))
      end
      return "{" .. table.concat(fields, ",") .. "}"
    end
    if v == math.floor(v) then
      return string.format("%d", v)
    end
    return string.format("%.3f", v)
  end
  io.write("FRONTDOOR " .. encode(out) .. "\n")
end
