-- A LuaSec peer for the Lua tests (run as a child process).
--   luasec_peer.lua server CERT KEY   prints "PORT <n>", serves one client:
--                                     echoes one line, then closes
--   luasec_peer.lua client PORT CA    sends a line, prints the reply
local socket = require "socket"
local ssl = require "ssl"
local mode = arg[1]
io.stdout:setvbuf("line")

if mode == "server" then
  local ctx = assert(ssl.newcontext {
    mode = "server", protocol = "any", certificate = arg[2], key = arg[3],
    options = { "all", "no_sslv2", "no_sslv3", "no_tlsv1", "no_tlsv1_1" },
  })
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  print("PORT " .. port)
  server:settimeout(10)
  local raw = assert(server:accept())
  raw:settimeout(10)
  local conn = assert(ssl.wrap(raw, ctx))
  assert(conn:dohandshake())
  local line = assert(conn:receive("*l"))
  assert(conn:send("luasec echo: " .. line .. "\n"))
  print("SERVER GOT " .. line)
  conn:close()
elseif mode == "client" then
  local ctx = assert(ssl.newcontext {
    mode = "client", protocol = "any", cafile = arg[3], verify = "peer",
    options = { "all", "no_sslv2", "no_sslv3", "no_tlsv1", "no_tlsv1_1" },
  })
  local raw = assert(socket.tcp())
  raw:settimeout(10)
  assert(raw:connect("127.0.0.1", tonumber(arg[2])))
  local conn = assert(ssl.wrap(raw, ctx))
  conn:sni("localhost")
  assert(conn:dohandshake())
  local info = conn:info()
  print("CLIENT CIPHER " .. tostring(info and info.cipher) .. " " ..
        tostring(info and info.protocol))
  assert(conn:send("hello from luasec\n"))
  print("CLIENT GOT " .. assert(conn:receive("*l")))
  conn:close()
end
