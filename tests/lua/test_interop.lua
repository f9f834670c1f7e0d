-- Real sockets on 127.0.0.1 with real peers: the Lua client against the
-- tlswrap C echo server and `openssl s_server`, and a Lua server against
-- `openssl s_client`. Children run under timeout(1) and are killed at the end.
local H = require "helper"
local socket = H.need("LuaSocket", "socket")
local tls = require "tlswrap"
local check, eq = H.check, H.eq

local function connect(port)
  local s = assert(socket.tcp())
  s:settimeout(10)
  assert(s:connect("127.0.0.1", port))
  return s
end

-- 1. Lua client vs the tlswrap C echo server ---------------------------
do
  local pid, out = H.spawn(string.format("%s %s %s 1",
    os.getenv("TLSW_LUA_ECHO_SERVER"), H.fixture("server-rsa.pem"),
    H.fixture("server-rsa.key")))
  local port = tonumber(H.expect(out, "^PORT (%d+)"))
  check(port, "C echo server listening")
  -- The message trace (ctx:set_msg_callback), read as the handshake runs.
  local ctx = H.client_ctx()
  local trace = {}
  check(ctx:set_msg_callback(function(m)
    trace[#trace + 1] = (m.sent and ">" or "<") .. " " .. m.content ..
      (m.handshake and (" " .. m.handshake) or "") ..
      (m.encrypted and "*" or "")
  end), "set_msg_callback")
  local conn, err = ctx:wrap_socket(connect(port),
    { server_hostname = "localhost" })
  check(conn, "handshake with the C server", err)
  conn:settimeout(10)
  eq(conn:send("hello C\n"), 8, "send to C server")
  eq(conn:receive("*l"), "hello C", "echo line back")
  eq(trace[1], "> Handshake ClientHello", "trace: ClientHello sent first")
  eq(trace[2], "< Handshake ServerHello", "trace: ServerHello received")
  local enc = 0
  for _, t in ipairs(trace) do
    if t:find("ApplicationData%*$") then enc = enc + 1 end
  end
  check(enc >= 2, "trace: encrypted records both ways", table.concat(trace, ", "))
  check(ctx:set_msg_callback(nil), "set_msg_callback(nil) turns it off")
  local big = string.rep("0123456789abcdef", 8192) -- 128 KiB
  eq(conn:send(big), #big, "send 128 KiB")
  eq(conn:receive(#big), big, "128 KiB echoed")
  check(conn:getfd() >= 0, "getfd() is the socket's descriptor")
  conn:close()
  out:close()
  H.kill(pid)
end

-- 1b. The same server through a send/receive table over a non-blocking
-- LuaSocket object (LuaSocket's float counts and partial results), driven
-- by socket.select through the table's getfd.
do
  local pid, out = H.spawn(string.format("%s %s %s 1",
    os.getenv("TLSW_LUA_ECHO_SERVER"), H.fixture("server-ec.pem"),
    H.fixture("server-ec.key")))
  local port = tonumber(H.expect(out, "^PORT (%d+)"))
  local raw = connect(port)
  raw:settimeout(0)
  local t = {
    send = function(_, d) return raw:send(d) end,
    receive = function(_, n) return raw:receive(n) end,
    getfd = function() return raw:getfd() end,
    close = function() return raw:close() end,
  }
  local conn, e = H.client_ctx():wrap_socket(t, { server_hostname = "localhost" })
  -- Usually the first step blocks; on a fast build the C server can answer
  -- on loopback before the client's first read, and the handshake is then
  -- done at once: both are right, an error is not.
  check(conn and (e == "wantread" or e == nil),
    "object transport: handshake would block or is done", e)
  eq(conn:getfd(), raw:getfd(), "getfd() forwards to the object")
  local function loop(fn)
    for _ = 1, 10000 do
      local r, err, part = fn()
      if r then return r end
      if err == "wantread" then socket.select({ conn }, nil, 5)
      elseif err == "wantwrite" then socket.select(nil, { conn }, 5)
      else return nil, err, part end
    end
  end
  check(loop(function() return conn:dohandshake() end), "handshake via select")
  local big = string.rep("abcdefgh", 40000) -- 320 kB
  local sent = 0
  local got = {}
  local nget = 0
  -- interleave: the echo server writes back while we still send
  while nget < #big do
    if sent < #big then
      local i, err, last = conn:send(big, sent + 1)
      sent = i or last
      if not (i or err == "wantwrite" or err == "wantread") then
        check(false, "send", err)
        break
      end
    end
    local d, err, part = conn:receive(#big - nget)
    d = d or part
    got[#got + 1] = d
    nget = nget + #d
    if err and err ~= "wantread" and err ~= "wantwrite" then
      check(false, "receive", err)
      break
    end
    if #d == 0 and sent >= #big then socket.select({ conn }, nil, 5) end
  end
  eq(table.concat(got), big, "320 kB echoed through the object transport")
  conn:close()
  out:close()
  H.kill(pid)
end

-- 2. Lua client vs openssl s_server (-rev reverses each line) ------------
do
  local pid, out = H.spawn(string.format(
    "openssl s_server -accept 127.0.0.1:0 -naccept 1 -rev -cert %s -key %s",
    H.fixture("server-ec.pem"), H.fixture("server-ec.key")))
  local port = tonumber(H.expect(out, "^ACCEPT .*:(%d+)$"))
  check(port, "s_server listening")
  local ctx = H.client_ctx()
  assert(ctx:set_ciphers { "TLS_AES_256_GCM_SHA384" })
  local conn, err = ctx:wrap_socket(connect(port),
                                    { server_hostname = "localhost" })
  check(conn, "handshake with s_server", err)
  if conn then
    eq(conn:cipher(), "TLS_AES_256_GCM_SHA384", "negotiated the set cipher")
    eq(conn:version(), "TLSv1.3", "TLS 1.3 with s_server")
    conn:settimeout(10)
    conn:send("hello openssl\n")
    eq(conn:receive("*l"), "lssnepo olleh", "s_server reversed the line")
    conn:close()
  end
  out:close()
  H.kill(pid)
end

-- 2b. ALPN with s_server -alpn (CPython's names) ---------------------
do
  local pid, out = H.spawn(string.format(
    "openssl s_server -accept 127.0.0.1:0 -naccept 1 -rev -cert %s -key %s " ..
    "-alpn mqtt,http/1.1", H.fixture("server-ec.pem"),
    H.fixture("server-ec.key")))
  local port = tonumber(H.expect(out, "^ACCEPT .*:(%d+)$"))
  check(port, "s_server -alpn listening")
  local ctx = H.client_ctx()
  local bad_ok, bad_err = pcall(ctx.set_alpn_protocols, ctx, { "a,b" })
  check(not bad_ok and tostring(bad_err):find("without commas", 1, true),
        "a name with a comma is refused", bad_err)
  check(ctx:set_alpn_protocols { "h2", "http/1.1" }, "set_alpn_protocols")
  local conn, err = ctx:wrap_socket(connect(port),
                                    { server_hostname = "localhost" })
  check(conn, "handshake with s_server -alpn", err)
  if conn then
    eq(conn:selected_alpn_protocol(), "http/1.1", "ALPN agreed: http/1.1")
    conn:close()
  end
  out:close()
  H.kill(pid)
end

-- 2c. Versions and resumption against s_server (CPython's names) ------
do
  local pid, out = H.spawn(string.format(
    "openssl s_server -accept 127.0.0.1:0 -naccept 4 -rev -cert %s -key %s",
    H.fixture("server-ec.pem"), H.fixture("server-ec.key")))
  local port = tonumber(H.expect(out, "^ACCEPT .*:(%d+)$"))
  check(port, "s_server for versions and resumption")
  local ctx = H.client_ctx()
  eq(ctx.minimum_version, "TLSv1.2", "minimum_version defaults to TLSv1.2")
  eq(ctx.maximum_version, "TLSv1.3", "maximum_version defaults to TLSv1.3")
  local bad_ok = pcall(function() ctx.minimum_version = "TLSv1.1" end)
  check(not bad_ok, "minimum_version = TLSv1.1 raises")
  local ok13 = pcall(function() ctx.maximum_version = "TLSv1.2" end)
  check(ok13, "maximum_version = TLSv1.2")
  for round = 1, 2 do
    -- TLS 1.2 first, then TLS 1.3 (maximum_version back to the default).
    local saved
    for n = 1, 2 do
      local conn, err = ctx:wrap_socket(connect(port),
        { server_hostname = "localhost", session = saved })
      check(conn, "handshake " .. round .. "." .. n, err)
      if not conn then break end
      eq(conn:version(), round == 1 and "TLSv1.2" or "TLSv1.3",
         "version of round " .. round)
      eq(conn:session_reused(), n == 2, "session_reused " .. round .. "." .. n)
      conn:settimeout(10)
      conn:send("abc\n")
      eq(conn:receive("*l"), "cba", "echo after the handshake")
      if n == 1 then
        saved = conn:session()
        check(type(saved) == "string" and #saved > 7, "conn:session() bytes")
      end
      conn:close()
    end
    ctx.maximum_version = nil
  end
  out:close()
  H.kill(pid)
end

-- 3. Lua server vs openssl s_client -----------------------------------
do
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  server:settimeout(10)
  local pid, out = H.spawn(string.format(
    "sh -c 'printf \"hello from s_client\\n\" | openssl s_client -connect " ..
    "127.0.0.1:%d -servername localhost -CAfile %s -verify_return_error " ..
    "-ign_eof -quiet -tls1_2'", port, H.fixture("ca.pem")))
  local raw = server:accept()
  check(raw, "accepted s_client")
  local conn, err = H.server_ctx("rsa"):wrap_socket(raw, { server_side = true })
  check(conn, "server handshake with s_client", err)
  if conn then
    conn:settimeout(10)
    eq(conn:version(), "TLSv1.2", "s_client forced TLS 1.2")
    check((conn:cipher() or ""):match("^TLS_ECDHE_RSA_WITH_"),
          "an ECDHE-RSA suite: " .. tostring(conn:cipher()))
    eq(conn:receive("*l"), "hello from s_client", "line from s_client")
    eq(conn:send("hello from lua\n"), 15, "reply")
    conn:close()
  end
  local text = out:read("a")
  out:close()
  check(text:find("hello from lua", 1, true), "s_client printed the reply",
        text)
  H.kill(pid)
  server:close()
end

-- 4. Blocking timeouts on a real socket --------------------------------
do
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  local raw = connect(port)
  local peer = server:accept()
  local conn = assert(H.client_ctx():wrap_socket(raw,
    { server_hostname = "localhost", do_handshake_on_connect = false }))
  conn:settimeout(0.2)
  local t0 = socket.gettime()
  local ok, e = conn:dohandshake()
  local dt = socket.gettime() - t0
  eq(e, "wantread", "a silent server: wantread after the timeout")
  check(dt >= 0.15, "the handshake waited for the timeout")
  peer:close()
  conn:settimeout(5)
  ok, e = conn:dohandshake()
  check(not ok and e ~= "wantread" and e ~= "closed",
        "a peer gone during the handshake: message", e)
  print("     message: " .. tostring(e))
  conn:close()

  -- Closing the LuaSocket object behind the connection's back: the
  -- descriptor number is never used again (it may name another file).
  local raw2 = connect(port)
  local peer2 = server:accept()
  local conn2 = assert(H.client_ctx():wrap_socket(raw2,
    { server_hostname = "localhost", do_handshake_on_connect = false }))
  raw2:close()
  local r, e2 = conn2:send("x")
  eq(e2, "closed", "socket closed underneath: closed")
  eq(conn2:getfd(), -1, "and getfd() is -1")
  conn2:close()
  peer2:close()
  server:close()
end

H.done()
