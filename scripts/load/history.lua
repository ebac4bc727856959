-- A page of 50 events of a long history (newest first, or a search), by random customers.
package.path = "scripts/load/?.lua;" .. package.path
require "common"

local pages = { "/api/me/history?limit=50", "/api/me/history?limit=50&kind=purchase",
  "/api/me/history?limit=50&q=kaffe", "/api/me/history?limit=50&channel=email" }

function init(args)
  load_tokens(os.getenv("RAPPORT_LOAD_TOKENS"))
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", pages[math.random(#pages)],
    { ["Authorization"] = "Bearer " .. random_token() })
end
