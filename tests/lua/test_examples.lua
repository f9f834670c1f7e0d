-- The examples under examples/lua work: the select-based echo server
-- serves two clients at once, and the client example talks to it.
local H = require "helper"
local socket = H.need("LuaSocket", "socket")
local check, eq = H.check, H.eq
local lua = os.getenv("TLSW_LUA") or "lua5.4"
local dir = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../../examples/lua/"
local cpath = package.cpath:match("^[^;]*")
local run = string.format("env LUA_CPATH='%s;;' %s", cpath, lua)

local pid, out = H.spawn(string.format("%s %secho_server.lua %s %s 0 3", run,
  dir, H.fixture("server-ec.pem"), H.fixture("server-ec.key")), 30, true)
local port = tonumber(H.expect(out, "^PORT (%d+)"))
check(port, "echo server example listening")

-- Two clients interleaved: the server must serve both without blocking.
local function client()
  local raw = assert(socket.tcp())
  raw:settimeout(10)
  assert(raw:connect("127.0.0.1", port))
  local c = assert(H.client_ctx():wrap_socket(raw,
                   { server_hostname = "localhost" }))
  c:settimeout(10)
  return c
end
local a, b = client(), client()
a:send("from a\n")
b:send("from b\n")
eq(b:receive("*l"), "from b", "second client served while first is idle")
eq(a:receive("*l"), "from a", "first client served")
local big = string.rep("z", 100000)
a:send(big)
eq(a:receive(#big), big, "100 kB echoed")
a:close()
b:close()

-- The client example against `openssl s_server -www` (an HTTP status page,
-- then close_notify).
local wpid, wout = H.spawn(string.format(
  "openssl s_server -accept 127.0.0.1:0 -naccept 1 -www -cert %s -key %s",
  H.fixture("server-ec.pem"), H.fixture("server-ec.key")))
local wport = tonumber(H.expect(wout, "^ACCEPT .*:(%d+)$"))
local f = io.popen(string.format("%s %sclient.lua localhost %d %s 2>&1", run,
  dir, wport, H.fixture("ca.pem")))
local text = f:read("a")
f:close()
check(text:find("connected: TLSv1.3", 1, true), "client example connected",
      text)
check(text:find("HTTP/1.0 200 ok", 1, true), "client example got the page",
      text)
check(not text:find("warning", 1, true), "page ended with close_notify", text)
wout:close()
H.kill(wpid)

-- A third client ends the echo server example (MAX_CLIENTS 3).
client():close()
local rest = out:read("a")
out:close()
check(not rest:find("failed"), "server example saw no failure", rest)
H.kill(pid)
H.done()
