-- GET /api/me/profile as a random customer: the read every page of the portal starts with.
package.path = "scripts/load/?.lua;" .. package.path
require "common"

function init(args)
  load_tokens(os.getenv("RAPPORT_LOAD_TOKENS"))
  math.randomseed(os.time() + (id or 0))
end

function request()
  return wrk.format("GET", "/api/me/profile", { ["Authorization"] = "Bearer " .. random_token() })
end
