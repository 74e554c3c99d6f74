-- GET /api/cases/:id for ids drawn at random from BENCH_IDS (a file, one id a line:
-- cases the signed-in user may read).
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
local ids = {}

function init(args)
  for line in io.lines(os.getenv("BENCH_IDS")) do
    ids[#ids + 1] = line
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  return wrk.format("GET", "/api/cases/" .. ids[math.random(#ids)])
end
