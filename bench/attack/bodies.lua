-- wrk script: POSTs the JSON bodies of a file (one body per line) to /graphql in turn,
-- anonymously or with the bearer token given after the file, and counts the answers by
-- HTTP status and GraphQL error code.
--
--   wrk -t1 -c4 -d20s -s bodies.lua http://127.0.0.1:PORT -- bodies.jsonl [TOKEN]
--
-- At the end it prints lines the bench parses:
--   ANSWER <status> <code> <count>      (code is "none" when the body names no error code)
--   SUMMARY requests=… errors_connect=… errors_read=… errors_write=… errors_timeout=…
--   LATENCY p50_us=… p99_us=… max_us=…

local bodies = {}
local next_body = 0
counts = {}
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   for line in io.lines(args[1]) do
      if #line > 0 then
         table.insert(bodies, line)
      end
   end
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   if args[2] and #args[2] > 0 then
      wrk.headers["Authorization"] = "Bearer " .. args[2]
   end
end

function request()
   next_body = next_body % #bodies + 1
   return wrk.format(nil, "/graphql", nil, bodies[next_body])
end

function response(status, headers, body)
   local code = string.match(body, '"code"%s*:%s*"([A-Z_]+)"') or "none"
   local key = status .. " " .. code
   counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
   local total = {}
   for _, thread in ipairs(threads) do
      for key, n in pairs(thread:get("counts")) do
         total[key] = (total[key] or 0) + n
      end
   end
   for key, n in pairs(total) do
      io.write(string.format("ANSWER %s %d\n", key, n))
   end
   io.write(string.format(
      "SUMMARY requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d\n",
      summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.timeout))
   io.write(string.format("LATENCY p50_us=%d p99_us=%d max_us=%d\n",
      latency:percentile(50), latency:percentile(99), latency.max))
end
