-- GET with the session cookie (BENCH_COOKIE) and a new nc= argument on every request.
-- The answer cache (src/http/cache.h) keys on the query string, so it never hits:
-- this measures what the handler and its queries cost, request after request.
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
local n = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  n = math.random(1, 1000000000)
end

function request()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "nc=" .. n)
end
