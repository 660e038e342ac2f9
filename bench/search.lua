-- wrk script: the classic multi-filter search ("movies from a country,
-- released since a date, longer than 2h15, in genre Action or Drama, with
-- poster and director", with its exact total) for random countries and
-- years, so that no two consecutive requests are alike.
math.randomseed(os.time())
request = function()
  local path = string.format(
    "/api/v1/movies?country=%d&released_from=%d-01-01&min_duration=136&genre=Action&genre=Drama&sort=-release_date",
    math.random(1, 50), math.random(1950, 2020))
  return wrk.format("GET", path)
end
