-- wrk script: checks that every response is a complete feed.
-- Counts responses that are not 200 or whose body does not run from BEGIN:VCALENDAR to a final
-- END:VCALENDAR, and prints the totals of all threads at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  checked = 0
  bad = 0
end

function response(status, headers, body)
  checked = checked + 1
  if status ~= 200
    or body:sub(1, 17) ~= "BEGIN:VCALENDAR\r\n"
    or body:sub(-15) ~= "END:VCALENDAR\r\n"
    or tonumber(headers["Content-Length"] or headers["content-length"] or -1) ~= #body then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total_checked, total_bad = 0, 0
  for _, thread in ipairs(threads) do
    total_checked = total_checked + thread:get("checked")
    total_bad = total_bad + thread:get("bad")
  end
  io.write(string.format("checked bodies: %d\nbad bodies: %d\n", total_checked, total_bad))
  local e = summary.errors
  io.write(string.format("requests: %d\nerrors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.requests, e.connect, e.read, e.write, e.status, e.timeout))
end
