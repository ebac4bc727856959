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

local threads_seen = {}

function setup(thread)
  thread:set("id", counter)
  thread:set("threads", tonumber(os.getenv("RAPPORT_LOAD_THREADS") or "2"))
  counter = counter + 1
  threads_seen[#threads_seen + 1] = thread
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

-- What the non-2xx answers were (wrk only counts them): each thread tallies statuses, and
-- done() prints one line, `statuses: 409=2 503=1`, which bench-load.sh shows beside the
-- error figure.
refused = {} -- a global: done() reads each thread's through thread:get

function response(status, headers, body)
  if status < 200 or status > 299 then
    refused[status] = (refused[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads_seen) do
    for status, n in pairs(thread:get("refused") or {}) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    parts[#parts + 1] = string.format("%d=%d", status, n)
  end
  table.sort(parts)
  io.write("statuses: " .. (#parts > 0 and table.concat(parts, " ") or "all 2xx") .. "\n")
end
