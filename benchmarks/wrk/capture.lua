-- POST assistance sessions, each one twice: the original (201), then the
-- phone's retry with the same UUID and body (200). Run with one connection
-- per thread (-t N -c N) so that each retry follows its original on the same
-- connection, as a phone's would.
--
-- Arguments after "--": the run's tag (8 hex digits, the UUIDs' first group),
-- the JSON body with __UUID__ and __HOUSEHOLD__ in it, the household ids
-- (comma-separated) the sessions go to, in turn, and optionally "once": each
-- session sent once, no retry (for the throughput of new sessions).
-- UUIDs are <tag>-<thread>-4000-8000-<counter>, so the database rows of a run
-- are found by range and counted against "sent".
dofile(os.getenv("WRK_LIB") .. "/report.lua")

function init(args)
  statuses = {}
  sent = 0
  unexpected = 0
  tag = args[1]
  template = args[2]
  households = {}
  for household in string.gmatch(args[3], "[^,]+") do
    table.insert(households, household)
  end
  thread_id = id or 0
  resend = args[4] ~= "once"
  retry = nil
  expecting = {}
  -- wrk builds one request in the first thread to check it, and never sends it.
  checking = thread_id == 1
end

function request()
  local body
  if checking then
    checking = false
    return wrk.format("POST", nil, nil, template)
  elseif retry then
    body = retry
    retry = nil
    table.insert(expecting, 200)
  else
    sent = sent + 1
    local uuid = string.format("%s-%04x-4000-8000-%012x", tag, thread_id, sent)
    local household = households[(sent + thread_id) % #households + 1]
    body = template:gsub("__UUID__", uuid):gsub("__HOUSEHOLD__", household)
    if resend then
      retry = body
    end
    table.insert(expecting, 201)
  end
  return wrk.format("POST", nil, nil, body)
end

function response(status, headers, body)
  count_status(status)
  local expected = table.remove(expecting, 1)
  if status ~= expected then
    unexpected = unexpected + 1
    if unexpected <= 3 then
      io.stderr:write(string.format("capture: %d (expected %s): %s\n",
        status, tostring(expected), string.sub(body, 1, 300)))
    end
  end
end

function done(summary, latency, requests)
  report(summary, latency, {"sent", "unexpected"})
end
