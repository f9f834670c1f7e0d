-- Loopback benchmark: tlswrap's Lua module against LuaSec (OpenSSL), both
-- ends in the same library, same certificate (EC P-256 server-ec), same
-- suite (TLS 1.3 TLS_AES_128_GCM_SHA256), server verified by the client.
--
--   lua5.4 bench/lua/bench.lua [CERTDIR] [HANDSHAKES] [MIB]
--
-- TLSW_BENCH_SUITE picks another TLS 1.3 suite (both ends use it).
-- CERTDIR holds the test PKI (tests/fixtures/gen-certs.sh; ctest puts it in
-- <build>/tests/certs). The module is found through LUA_CPATH, e.g.
--   LUA_CPATH='build-h5/lua/?.so;;' lua5.4 bench/lua/bench.lua build-h5/tests/certs
-- The server of each run is a child lua5.4 running this file in server
-- mode. Figures are printed, never asserted.
local socket = require "socket"
local SUITE = os.getenv("TLSW_BENCH_SUITE") or "TLS_AES_128_GCM_SHA256"
local CHUNK = 16384

local function lib_tlswrap(certs)
  local tls = require "tlswrap"
  local L = {}
  function L.server_ctx()
    local c = tls.SSLContext(tls.PROTOCOL_TLS_SERVER)
    assert(c:load_cert_chain(certs .. "/server-ec.pem", certs .. "/server-ec.key"))
    assert(c:set_ciphers { SUITE })
    return c
  end
  function L.client_ctx()
    local c = tls.SSLContext(tls.PROTOCOL_TLS_CLIENT)
    assert(c:load_verify_locations { cafile = certs .. "/ca.pem" })
    assert(c:set_ciphers { SUITE })
    return c
  end
  function L.accept(ctx, raw)
    return assert(ctx:wrap_socket(raw, { server_side = true }))
  end
  function L.connect(ctx, raw)
    local c = assert(ctx:wrap_socket(raw, { server_hostname = "localhost" }))
    assert(c:cipher() == SUITE)
    return c
  end
  return L
end

local function lib_luasec(certs)
  local ssl = require "ssl"
  local L = {}
  function L.server_ctx()
    return assert(ssl.newcontext { mode = "server", protocol = "tlsv1_3",
      certificate = certs .. "/server-ec.pem", key = certs .. "/server-ec.key",
      ciphersuites = SUITE })
  end
  function L.client_ctx()
    return assert(ssl.newcontext { mode = "client", protocol = "tlsv1_3",
      cafile = certs .. "/ca.pem", verify = "peer", ciphersuites = SUITE })
  end
  function L.accept(ctx, raw)
    local c = assert(ssl.wrap(raw, ctx))
    assert(c:dohandshake())
    return c
  end
  function L.connect(ctx, raw)
    local c = assert(ssl.wrap(raw, ctx))
    c:sni("localhost")
    assert(c:dohandshake())
    assert(c:info().cipher == SUITE)
    return c
  end
  return L
end

local function lib(name, certs)
  if name == "tlswrap" then return lib_tlswrap(certs) end
  return lib_luasec(certs)
end

-- Server: "HS" closes at once; "BULK n" reads n bytes, answers "done".
local function serve(name, certs)
  io.stdout:setvbuf("line")
  local L = lib(name, certs)
  local ctx = L.server_ctx()
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  print("PORT " .. port)
  server:settimeout(30)
  while true do
    local raw = server:accept()
    if not raw then return end
    raw:settimeout(30)
    raw:setoption("tcp-nodelay", true)
    local c = L.accept(ctx, raw)
    local cmd = c:receive("*l")
    if cmd == "QUIT" then c:close() return end
    local n = cmd and tonumber(cmd:match("^BULK (%d+)"))
    if n then
      while n > 0 do
        local d, e, part = c:receive(math.min(n, 65536))
        d = d or part
        n = n - #d
        if e then break end
      end
      c:send("done\n")
    end
    c:close()
  end
end

local function run(name, certs, hs_count, mib)
  local lua = arg[-1] or "lua5.4"
  local me = arg[0]
  local srv = assert(io.popen(string.format("exec timeout 300 %s %s server %s %s",
    lua, me, name, certs), "r"))
  local first = srv:read("l")
  local port = tonumber(first and first:match("PORT (%d+)"))
  assert(port, name .. " server did not start (is LUA_CPATH set?)")
  local L = lib(name, certs)
  local ctx = L.client_ctx()
  local function connect()
    local raw = assert(socket.tcp())
    raw:settimeout(30)
    assert(raw:connect("127.0.0.1", port))
    raw:setoption("tcp-nodelay", true)
    return L.connect(ctx, raw)
  end
  -- warm-up (first handshakes fill per-thread caches in both libraries)
  for _ = 1, 10 do local c = connect() c:send("HS\n") c:close() end
  local t0 = socket.gettime()
  for _ = 1, hs_count do
    local c = connect()
    c:send("HS\n")
    c:close()
  end
  local hs = hs_count / (socket.gettime() - t0)
  local total = mib * 1024 * 1024
  local c = connect()
  local block = string.rep("x", CHUNK)
  c:send("BULK " .. total .. "\n")
  t0 = socket.gettime()
  local left = total
  while left > 0 do
    local k = math.min(left, CHUNK)
    assert(c:send(block, 1, k))
    left = left - k
  end
  assert(c:receive("*l") == "done")
  local mbs = total / (socket.gettime() - t0) / 1e6
  c:close()
  c = connect()
  c:send("QUIT\n")
  c:close()
  srv:close()
  return hs, mbs
end

if arg[1] == "server" then
  serve(arg[2], arg[3])
  os.exit(0)
end
local certs = arg[1] or os.getenv("TLSW_TEST_CERTS") or "build/tests/certs"
local hs_count = tonumber(arg[2]) or 300
local mib = tonumber(arg[3]) or 256
print(string.format("loopback, %s, EC P-256 server cert, client verifies; " ..
  "%d handshakes, %d MiB in %d-byte sends", SUITE, hs_count, mib, CHUNK))
print(string.format("%-10s %14s %14s", "module", "handshakes/s", "MB/s"))
for _, name in ipairs { "tlswrap", "luasec" } do
  local hs, mbs = run(name, certs, hs_count, mib)
  print(string.format("%-10s %14.0f %14.0f", name, hs, mbs))
end
