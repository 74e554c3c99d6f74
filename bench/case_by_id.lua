-- GET /api/cases/:id for ids drawn at random from BENCH_IDS (a file, one id a line:
-- cases the signed-in user may read). The requests are formatted once in init() so
-- that wrk's Lua costs little per request. BENCH_NOCACHE=1 adds a new nc= argument
-- to every request so that the answer cache never hits (see nocache.lua).
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
local ids, reqs = {}, {}
local nocache = os.getenv("BENCH_NOCACHE") == "1"
local n = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_IDS")) do
    ids[#ids + 1] = line
    reqs[#reqs + 1] = wrk.format("GET", "/api/cases/" .. line)
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  n = math.random(1, 1000000000)
end

function request()
  local i = math.random(#ids)
  if nocache then
    n = n + 1
    return wrk.format("GET", "/api/cases/" .. ids[i] .. "?nc=" .. n)
  end
  return reqs[i]
end
