-- Shared by the benchmark scripts (loaded with dofile): counts each thread's
-- responses by status and prints the run as one JSON line from done(), the
-- line benchmarks/http_load.py reads. Latencies are in microseconds.

threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function count_status(status)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

local function merged(name)
  local total = {}
  for _, thread in ipairs(threads) do
    local part = thread:get(name)
    if type(part) == "table" then
      for key, n in pairs(part) do
        total[key] = (total[key] or 0) + n
      end
    elseif type(part) == "number" then
      total["n"] = (total["n"] or 0) + part
    end
  end
  return total
end

local function json_object(map)
  local parts = {}
  for key, value in pairs(map) do
    table.insert(parts, string.format('"%s": %s', key, tostring(value)))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function report(summary, latency, extra)
  local fields = {
    requests = summary.requests,
    duration_us = summary.duration,
    p50_us = latency:percentile(50),
    p95_us = latency:percentile(95),
    p99_us = latency:percentile(99),
    max_us = latency.max,
    statuses = json_object(merged("statuses")),
    errors = json_object({
      connect = summary.errors.connect,
      read = summary.errors.read,
      write = summary.errors.write,
      timeout = summary.errors.timeout,
    }),
  }
  for _, name in ipairs(extra or {}) do
    fields[name] = merged(name)["n"] or 0
  end
  io.write("WRK_JSON ", json_object(fields), "\n")
end
