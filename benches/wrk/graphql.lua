-- wrk script: POSTs one GraphQL request body again and again and counts the replies that
-- carry GraphQL errors (HTTP 200 with "errors") besides wrk's own non-2xx count.
--   BODY_FILE  file holding the JSON body ({"query": ..., "variables": ...})
--   TOKEN      bearer token (optional)
-- At the end it prints one line for benches/run.sh:
--   RESULT requests=<n> rps=<n> p50_ms=<n> p99_ms=<n> graphql_errors=<n> http_errors=<n> socket_errors=<n>

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
  local body = file:read("*a")
  file:close()
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
  local token = os.getenv("TOKEN")
  if token ~= nil and token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  request_body = wrk.format("POST", nil, headers, body)
  graphql_errors = 0
  http_errors = 0
end

function request()
  return request_body
end

function response(status, headers, body)
  if status ~= 200 then
    http_errors = http_errors + 1
  elseif string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
  end
end

function done(summary, latency, requests)
  local graphql, http = 0, 0
  for _, thread in ipairs(threads) do
    graphql = graphql + thread:get("graphql_errors")
    http = http + thread:get("http_errors")
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f graphql_errors=%d http_errors=%d socket_errors=%d\n",
    summary.requests,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    graphql, http, socket))
end
