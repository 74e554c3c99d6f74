-- POST /api/cases: a new walk-in case with two parties (one with an identity
-- number, so it is validated, sealed and indexed), as the signed-in user, with the
-- session cookie and the CSRF header.
wrk.method = "POST"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
wrk.headers["Content-Type"] = "application/json"
local n = 0
local tag

function init(args)
  tag = tostring({}):sub(8)
end

function request()
  n = n + 1
  local body = string.format(
    '{"title":"压测%s-%d号邻里纠纷","source":"walk_in","dispute_type":"neighbour",' ..
    '"facts":"双方因宅基地边界和排水沟走向发生争执，多次协商未果，申请调解。",' ..
    '"claims":"恢复排水沟原状","amount":200000,"place":"东关村",' ..
    '"parties":[{"role":"applicant","name":"张某某","id_number":"11010519491231002X",' ..
    '"phone":"13800138000","address":"东关村3组12号"},' ..
    '{"role":"respondent","name":"李某某","phone":"13900139000"}]}', tag, n)
  return wrk.format(nil, nil, nil, body)
end
