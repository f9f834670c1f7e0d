-- N in-process connections (handshake, echo, close or plain collection),
-- run under valgrind by ctest: every path that frees a session is taken.
local H = require "helper"
local n = tonumber(arg[1]) or 1000
local cctx, sctx = H.client_ctx(), H.server_ctx()
for i = 1, n do
  local cli, srv, ok = H.pair(cctx, sctx)
  assert(ok, "handshake " .. i)
  assert(cli:send("ping " .. i) == #("ping " .. i))
  assert(srv:receive(#("ping " .. i)) == "ping " .. i)
  if i % 3 == 0 then
    cli:close()
    assert(select(2, srv:receive("*l")) == "closed")
    srv:close()
  elseif i % 3 == 1 then
    local c <close> = cli -- __close
  end
  -- i % 3 == 2: left to the collector
  if i % 100 == 0 then collectgarbage() end
end
-- A failing handshake also frees everything.
local other = require("tlswrap").SSLContext(0)
assert(other:load_verify_locations { cafile = H.fixture("other-ca.pem") })
for _ = 1, 10 do
  local _, _, ok = H.pair(other, sctx)
  assert(not ok)
end
cctx, sctx, other = nil, nil, nil
collectgarbage()
collectgarbage()
print("leak loop: " .. n .. " connections")
