-- DTLS 1.2 over real UDP sockets on 127.0.0.1, both ends in this process:
-- a LuaSocket udp{connected} client (descriptor path) against a server on
-- an unconnected socket behind a send/receive object, with the stateless
-- cookie exchange ("Hello Verify Required", then a fresh wrap).
local H = require "helper"
local socket = H.need("LuaSocket", "socket")
local tls = require "tlswrap"
if not tls.HAS_DTLS then
  print("backend without DTLS: skipped")
  os.exit(77)
end
local check, eq = H.check, H.eq

local sctx = tls.SSLContext(tls.PROTOCOL_DTLS_SERVER)
assert(sctx:load_cert_chain(H.fixture("server-ec.pem"),
                            H.fixture("server-ec.key")))
local cctx = tls.SSLContext(tls.PROTOCOL_DTLS_CLIENT)
assert(cctx:load_verify_locations { cafile = H.fixture("ca.pem") })

local srvsock = assert(socket.udp())
assert(srvsock:setsockname("127.0.0.1", 0))
local sip, sport = srvsock:getsockname()
srvsock:settimeout(5)

-- Usage errors
local loose = assert(socket.udp())
local ok, err = pcall(cctx.wrap_socket, cctx, loose, { server_hostname = "x" })
check(not ok and tostring(err):find("setpeername"),
      "unconnected UDP socket raises", err)
local tcp = assert(socket.tcp())
ok, err = pcall(cctx.wrap_socket, cctx, tcp, { server_hostname = "x" })
check(not ok and tostring(err):find("udp{connected}"),
      "DTLS over a TCP object raises", err)
tcp:close()
loose:close()

local cli_udp = assert(socket.udp())
assert(cli_udp:setpeername(sip, sport))
local cli = assert(cctx:wrap_socket(cli_udp, { server_hostname = "localhost",
                                                do_handshake_on_connect = false }))
cli:settimeout(0)

-- The server's transport for one peer: datagrams from that address only,
-- the first one handed in by the caller (it was read to learn the address).
local function peer_transport(first, ip, port)
  local q = { first }
  return {
    send = function(_, d) return srvsock:sendto(d, ip, port) and #d end,
    receive = function(_, n)
      if #q > 0 then return table.remove(q, 1) end
      srvsock:settimeout(0)
      local d, fip, fport = srvsock:receivefrom()
      srvsock:settimeout(5)
      if not d then return nil, "timeout" end
      if fip ~= ip or fport ~= port then return nil, "timeout" end -- another peer
      return d
    end,
  }
end

-- 0. A lost ClientHello is sent again when the timer fires.
local _, e = cli:dohandshake()
eq(e, "wantread", "client sent its ClientHello")
check(srvsock:receivefrom(), "server got it (and drops it)")
local wait = cli:dtls_timeout()
check(type(wait) == "number" and wait > 0 and wait <= 1.5,
      "retransmission timer running: " .. tostring(wait) .. " s")
_, e = cli:dohandshake()
eq(e, "wantread", "calling early resends nothing")
srvsock:settimeout(0)
check(srvsock:receivefrom() == nil, "no datagram before the timer")
srvsock:settimeout(5)
socket.sleep(wait + 0.05)
eq(cli:dtls_timeout(), 0, "timer fired")
_, e = cli:dohandshake()
eq(e, "wantread", "dohandshake after the timer")

-- 1. ClientHello without a cookie -> HelloVerifyRequest, no state kept.
local d1, ip, port = srvsock:receivefrom()
check(d1, "server got the first datagram")
local client_id = ip .. ":" .. port
local conn
conn, e = sctx:wrap_socket(peer_transport(d1, ip, port),
                           { server_side = true, client_id = client_id })
eq(conn, nil, "first wrap gives no connection")
eq(e, "Hello Verify Required", "error string: Hello Verify Required")

-- A first datagram that is no ClientHello ends the fresh session at once.
conn, e = sctx:wrap_socket(peer_transport("garbage", ip, port),
                           { server_side = true, client_id = client_id })
check(conn == nil and type(e) == "string" and #e > 0,
      "junk as a first datagram: message", e)

-- Missing client_id is a usage problem reported as a message.
conn, e = sctx:wrap_socket(peer_transport(d1, ip, port), { server_side = true })
check(conn == nil and e:find("client_id"), "DTLS server needs client_id", e)

-- 2. ClientHello with the cookie -> a fresh wrap runs the handshake.
_, e = cli:dohandshake()
eq(e, "wantread", "client answered the cookie")
local d2 = srvsock:receivefrom()
local srv
srv, e = sctx:wrap_socket(peer_transport(d2, ip, port),
                          { server_side = true, client_id = client_id })
check(srv and (e == "wantread" or e == nil),
      "second wrap accepted the cookie", e)
local hs = H.handshake(cli, srv)
check(hs, "DTLS handshake done")
eq(cli:version(), "DTLSv1.2", "version")
eq(srv:version(), "DTLSv1.2", "server version")
check(cli:getpeercert() == H.readfile("server-ec.der"), "peer cert")

-- 3. Records both ways: one datagram per send, one record per receive.
eq(cli:send("ping"), 4, "client send")
local r
for _ = 1, 100 do
  r, e = srv:receive()
  if r then break end
  socket.sleep(0.001)
end
eq(r, "ping", "server got one record")
-- Junk from the server's address is dropped; the next record is read.
local cip, cport = cli_udp:getsockname()
srvsock:sendto("\23\254\253junk that is no record", cip, cport)
srv:send("after junk")
cli:settimeout(5)
eq(cli:receive(), "after junk", "junk datagram dropped, record read")
cli:settimeout(0)
eq(srv:send("pong!"), 5, "server send")
cli:settimeout(5)
eq(cli:receive(2), "po", "receive(n) truncates a record like recv(2)")
srv:send("again")
eq(cli:receive(), "again", "the rest of a record is not kept")
r, e = cli:send(string.rep("x", 20000))
check(r == nil and e:find("DTLS"), "an oversize datagram is refused", e)
eq(cli:send("still ok"), 8, "a refused send is not fatal")
check(not pcall(cli.receive, cli, "*l"), "line patterns raise on DTLS")
eq(cli:dtls_timeout(), nil, "no retransmission timer after the handshake")

cli:close()
srv:settimeout(5)
eq(srv:receive(), "still ok", "the record after the refused one")
for _ = 1, 100 do
  r, e = srv:receive()
  if e ~= "wantread" then break end
  socket.sleep(0.001)
end
eq(e, "closed", "close_notify reaches the server")
srv:close()
srvsock:close()

-- 4. A blocking client (descriptor path) against `openssl s_server -dtls1_2`,
-- which runs its own cookie exchange and prints what it receives. Its
-- stdin must stay open (EOF there ends it): sleep feeds it nothing.
-- Killing timeout(1) kills its whole process group, sleep included.
do
  local pid, out = H.spawn(string.format(
    "sh -c 'sleep 30 | openssl s_server -dtls1_2 -accept 127.0.0.1:0 " ..
    "-naccept 1 -cert %s -key %s'",
    H.fixture("server-ec.pem"), H.fixture("server-ec.key")))
  local oport = tonumber(H.expect(out, "^ACCEPT .*:(%d+)$"))
  check(oport, "openssl DTLS server listening")
  local udp = assert(socket.udp())
  assert(udp:setpeername("127.0.0.1", oport))
  local c, ce = cctx:wrap_socket(udp, { server_hostname = "localhost",
                                        timeout = 10 })
  check(c, "blocking DTLS handshake with openssl", ce)
  if c then
    eq(c:version(), "DTLSv1.2", "DTLS 1.2 with openssl")
    eq(c:send("hello openssl dtls\n"), 19, "datagram to openssl")
    c:close() -- close_notify ends s_server (-naccept 1)
  end
  check(H.expect(out, "(hello openssl dtls)"), "openssl printed it")
  H.kill(pid)
  out:close()
end

H.done()
