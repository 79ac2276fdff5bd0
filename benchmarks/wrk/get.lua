-- GET the URL given to wrk (headers come from -H); see report.lua.
dofile(os.getenv("WRK_LIB") .. "/report.lua")

function init(args)
  statuses = {}
end

function response(status, headers, body)
  count_status(status)
end

function done(summary, latency, requests)
  report(summary, latency)
end
