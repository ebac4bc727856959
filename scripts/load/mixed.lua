-- 80% reads (profile, preferences, consents) by random customers, 20% profile saves.
--
-- A save must name the version it replaces (If-Match). Each thread owns its own customers
-- (every THREADS-th token) and saves them in turn, counting their versions itself: a
-- customer comes round again only after the thread's other customers (hundreds, against a
-- few dozen requests in flight), so its previous save is long answered and the count is
-- right. A wrong count would show as 409s among wrk's "Non-2xx" responses.
package.path = "scripts/load/?.lua;" .. package.path
require "common"

local counter = 1

function setup(thread)
  thread:set("id", counter)
  thread:set("threads", tonumber(os.getenv("RAPPORT_LOAD_THREADS") or "2"))
  counter = counter + 1
end

local mine, versions, turn = {}, {}, 0
local reads = { "/api/me/profile", "/api/me/preferences", "/api/me/consents" }

function init(args)
  local all = load_tokens(os.getenv("RAPPORT_LOAD_TOKENS"))
  for i = id, #all, threads do
    mine[#mine + 1] = all[i]
    versions[#versions + 1] = 1
  end
  math.randomseed(os.time() + id)
end

function request()
  if math.random(5) == 1 then
    turn = turn % #mine + 1
    local version = versions[turn]
    versions[turn] = version + 1
    local body = string.format(
      '{"name":"Kund %d","email":"kund%d@example.se","phone":"","preferred_contact":"email"}',
      version, turn)
    return wrk.format("PUT", "/api/me/profile", {
      ["Authorization"] = "Bearer " .. mine[turn],
      ["If-Match"] = string.format('"%d"', version),
      ["Content-Type"] = "application/json",
    }, body)
  end
  return wrk.format("GET", reads[math.random(#reads)],
    { ["Authorization"] = "Bearer " .. random_token() })
end
