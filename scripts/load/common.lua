-- Shared by the load scripts: each wrk thread reads the bearer tokens load_seed wrote
-- (RAPPORT_LOAD_TOKENS, one a line) and picks customers from them.
local tokens = {}

function load_tokens(path)
  for line in io.lines(path) do
    tokens[#tokens + 1] = line
  end
  return tokens
end

function random_token()
  return tokens[math.random(#tokens)]
end
