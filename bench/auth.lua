-- GET with the session cookie of a signed-in user (BENCH_COOKIE="tj_session=…").
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
