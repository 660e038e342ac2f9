-- wrk script: GET /api/v1/movies/{id} for random ids of the benchmark
-- catalog (1 .. MOVIES, from the environment, default 10000).
local movies = tonumber(os.getenv("MOVIES") or "10000")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/movies/" .. math.random(1, movies))
end
