-- Interop with LuaSec (OpenSSL): a tlswrap Lua client against a LuaSec
-- server, and a LuaSec client against a tlswrap Lua server. The LuaSec side
-- runs in a child lua5.4 (luasec_peer.lua) under timeout(1).
local H = require "helper"
local socket = H.need("LuaSocket or LuaSec", "socket", "ssl")
local check, eq = H.check, H.eq
local lua = os.getenv("TLSW_LUA") or "lua5.4"
local peer = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "luasec_peer.lua"

-- 1. tlswrap client -> LuaSec server
do
  local pid, out = H.spawn(string.format("%s %s server %s %s", lua, peer,
    H.fixture("server-ec.pem"), H.fixture("server-ec.key")))
  local port = tonumber(H.expect(out, "^PORT (%d+)"))
  check(port, "LuaSec server listening")
  local raw = assert(socket.tcp())
  raw:settimeout(10)
  assert(raw:connect("127.0.0.1", port))
  local conn, err = H.client_ctx():wrap_socket(raw,
    { server_hostname = "localhost" })
  check(conn, "handshake with LuaSec", err)
  if conn then
    conn:settimeout(10)
    print("     " .. tostring(conn:version()) .. " " .. tostring(conn:cipher()))
    conn:send("hello from tlswrap\n")
    eq(conn:receive("*l"), "luasec echo: hello from tlswrap", "LuaSec echo")
    local _, e = conn:receive("*l")
    eq(e, "closed", "LuaSec's close() sent close_notify")
    conn:close()
  end
  eq(H.expect(out, "^SERVER GOT (.*)"), "hello from tlswrap",
     "LuaSec server got the line")
  out:close()
  H.kill(pid)
end

-- 2. LuaSec client -> tlswrap server
do
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  server:settimeout(10)
  local pid, out = H.spawn(string.format("%s %s client %d %s", lua, peer, port,
                                         H.fixture("ca.pem")))
  local raw = server:accept()
  check(raw, "accepted the LuaSec client")
  local conn, err = H.server_ctx():wrap_socket(raw, { server_side = true })
  check(conn, "server handshake with LuaSec", err)
  if conn then
    conn:settimeout(10)
    eq(conn:receive("*l"), "hello from luasec", "line from LuaSec")
    conn:send("hello from tlswrap server\n")
    conn:close()
  end
  local text = out:read("a")
  out:close()
  check(text:find("CLIENT GOT hello from tlswrap server", 1, true),
        "LuaSec client got the reply", text)
  check(text:find("CLIENT CIPHER TLS_", 1, true) or
        text:find("CLIENT CIPHER ", 1, true), "LuaSec client info", text)
  io.write("     ", (text:gsub("\n+$", ""):gsub("\n", "\n     ")), "\n")
  H.kill(pid)
  server:close()
end

H.done()
