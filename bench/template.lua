-- wrk script of bench/scale.sh: GET a path template whose {name}
-- placeholders are replaced, for every request, by a random value of
-- parameter name from a parameter file, as bench/seqload does:
--
--   wrk -s bench/template.lua http://127.0.0.1:8098 -- PARAMS '/api/v1/movies/{movie}'
--
-- The file has name=value lines, a name repeated for each of its values;
-- a value lo..hi stands for every integer from lo to hi.
local params, template = {}, nil
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

function init(args)
  template = args[2]
  for line in io.lines(args[1]) do
    local name, value = line:match("^([%w_]+)=(.*)$")
    if name then
      local lo, hi = value:match("^(%d+)%.%.(%d+)$")
      params[name] = params[name] or {}
      if lo then
        table.insert(params[name], { tonumber(lo), tonumber(hi) })
      else
        table.insert(params[name], value)
      end
    end
  end
  math.randomseed(os.time() * 100 + (thread_id or 0))
end

local function pick(name)
  local values = params[name]
  local v = values[math.random(#values)]
  if type(v) == "table" then
    return tostring(math.random(v[1], v[2]))
  end
  return v
end

request = function()
  local path = template:gsub("{([%w_]+)}", pick)
  return wrk.format("GET", path)
end
