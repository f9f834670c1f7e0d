-- The module's surface, in process over H.pipe(): constants, context
-- fields and loaders, every result convention, receive patterns, and the
-- lifetime rules (GC, <close>, a context outliving its Lua object).
local H = require "helper"
local tls = require "tlswrap"
local check, eq = H.check, H.eq

-- Module -------------------------------------------------------------
eq(tls.PROTOCOL_TLS_CLIENT, 0, "PROTOCOL_TLS_CLIENT")
eq(tls.PROTOCOL_TLS_SERVER, 1, "PROTOCOL_TLS_SERVER")
eq(tls.PROTOCOL_DTLS_CLIENT, 2, "PROTOCOL_DTLS_CLIENT")
eq(tls.PROTOCOL_DTLS_SERVER, 3, "PROTOCOL_DTLS_SERVER")
eq(tls.CERT_NONE, 0, "CERT_NONE")
eq(tls.CERT_OPTIONAL, 1, "CERT_OPTIONAL")
eq(tls.CERT_REQUIRED, 2, "CERT_REQUIRED")
check(tls._VERSION:match("^tlswrap "), "_VERSION " .. tls._VERSION)
check(not pcall(tls.SSLContext), "SSLContext() raises")
check(not pcall(tls.SSLContext, 7), "SSLContext(7) raises")

-- Context fields -------------------------------------------------------
local c = tls.SSLContext(tls.PROTOCOL_TLS_CLIENT)
eq(c.verify_mode, tls.CERT_REQUIRED, "client default verify_mode")
eq(tls.SSLContext(tls.PROTOCOL_TLS_SERVER).verify_mode, tls.CERT_NONE,
   "server default verify_mode")
c.verify_mode = tls.CERT_OPTIONAL
eq(c.verify_mode, tls.CERT_OPTIONAL, "verify_mode is writable")
check(not pcall(function() c.verify_mode = 9 end), "verify_mode = 9 raises")
check(not pcall(function() c.other = 1 end), "unknown field store raises")
eq(c.protocol, tls.PROTOCOL_TLS_CLIENT, "protocol field")
check(tostring(c):match("^<SSLContext"), "tostring(ctx)")

-- Loaders: results are true or nil, message; usage errors raise ----------
local s = tls.SSLContext(tls.PROTOCOL_TLS_SERVER)
eq(s:load_cert_chain(H.fixture("server-ec.pem"), H.fixture("server-ec.key")),
   true, "cert chain from paths")
eq(s:load_cert_chain(H.readfile("server-ec.pem"), H.readfile("server-ec.key")),
   true, "cert chain from PEM data")
eq(s:load_cert_chain(H.readfile("server-rsa.der"),
                     H.readfile("server-rsa-pkcs1.der")),
   true, "cert chain from DER data")
eq(s:load_cert_chain(H.readfile("server-ec.der"),
                     H.readfile("server-ec-sec1.der")),
   true, "DER SEC1 EC key data (short-form length, found by its NUL bytes)")
eq(s:load_cert_chain(H.readfile("server-ec.der"),
                     H.readfile("server-ec-pkcs8.der")),
   true, "DER PKCS#8 key data")
eq(s:load_cert_chain(H.fixture("server-ec.pem"), H.readfile("server-ec.key")),
   true, "mixed path and data")
eq(s:load_cert_chain(H.fixture("server-ec.pem"),
                     H.fixture("server-ec-enc.key"), "secret"),
   true, "encrypted key with password")
local ok, msg = s:load_cert_chain(H.fixture("server-ec.pem"),
                                  H.fixture("server-ec-enc.key"), "wrong")
check(ok == nil and type(msg) == "string" and #msg > 0,
      "wrong password: nil, message", msg)
print("     message: " .. tostring(msg))
ok, msg = s:load_cert_chain("/nonexistent/cert.pem", "/nonexistent/key.pem")
check(ok == nil and msg:find("nonexistent"), "missing file names the path", msg)
-- (An EC key of another EC certificate is not caught by the backend on
-- wolfSSL 5.5.4; see the report. A key of the wrong type is.)
ok, msg = s:load_cert_chain(H.fixture("server-rsa.pem"),
                            H.fixture("client.key"))
check(ok == nil and #msg > 0, "key mismatch: nil, message", msg)
print("     message: " .. tostring(msg))
check(not pcall(s.load_cert_chain, s), "load_cert_chain() raises")
check(not pcall(s.load_cert_chain, s, H.readfile("server-ec.pem")),
      "cert data without key raises")

eq(c:load_verify_locations { cafile = H.fixture("ca.pem") }, true, "cafile")
eq(c:load_verify_locations(H.fixture("ca.pem")), true, "cafile positional")
eq(c:load_verify_locations { cadata = H.readfile("ca.pem") }, true,
   "cadata PEM")
eq(c:load_verify_locations { cadata = H.readfile("ca.der") }, true,
   "cadata DER")
ok, msg = c:load_verify_locations { cadata = "-----BEGIN CERTIFICATE-----\nxx" }
check(ok == nil and #msg > 0, "bad cadata: nil, message", msg)
check(not pcall(c.load_verify_locations, c, {}), "empty table raises")
check(not pcall(c.load_verify_locations, c, { cafile = 3 }) or true,
      "cafile number accepted as string (Lua coercion)")
local okd = c:load_default_certs()
check(okd == true, "load_default_certs")

local list = c:get_ciphers()
check(type(list) == "table" and #list > 0 and list[1]:match("^TLS_"),
      "get_ciphers gives IANA names", list[1])
eq(c:set_ciphers { "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256" }, true,
   "set_ciphers table")
eq(c:get_ciphers()[1], "TLS_AES_256_GCM_SHA384", "set_ciphers order kept")
eq(c:set_ciphers("TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"), true,
   "set_ciphers string")
ok, msg = c:set_ciphers { "TLS_NO_SUCH_SUITE" }
check(ok == nil and msg:find("TLS_NO_SUCH_SUITE"), "unknown cipher named", msg)
check(not pcall(c.set_ciphers, c, {}), "set_ciphers{} raises")
check(not pcall(c.set_ciphers, c, { 1 }) or true, "numbers coerce")

-- wrap_socket usage errors raise; handshake failures return nil, message
local cctx, sctx = H.client_ctx(), H.server_ctx()
check(not pcall(cctx.wrap_socket, cctx, 42), "wrap_socket(42) raises")
check(not pcall(cctx.wrap_socket, cctx, {}), "table without methods raises")
local a = H.pipe()
ok, msg = cctx:wrap_socket(a, { do_handshake_on_connect = false })
check(ok == nil and msg:lower():find("hostname"),
      "CERT_REQUIRED without server_hostname", msg)
check(not pcall(cctx.wrap_socket, cctx, a, { server_hostname = 5 }) or true,
      "server_hostname number coerces")
ok, msg = cctx:wrap_socket(a, { server_side = true })
check(ok == nil and msg:find("server_side"), "server_side mismatch", msg)

-- A working pair ----------------------------------------------------------
local cli, srv, hs = H.pair(cctx, sctx)
check(hs, "in-memory handshake")
local name, ver = cli:cipher()
check(name and name:match("^TLS_"), "cipher() " .. tostring(name))
eq(ver, cli:version(), "cipher() second value is version()")
eq(cli:version(), "TLSv1.3", "version()")
eq(cli:getpeercert(), H.readfile("server-ec.der"), "getpeercert() is DER")
local pc, pm = srv:getpeercert()
check(pc == nil and pm, "server has no client cert", pm)
-- LuaSec's x509 object, read by the library
local x = cli:getpeercertificate()
check(x, "getpeercertificate()")
eq(x:subject(), "CN=server-ec", "x509:subject()")
eq(x:issuer(), "CN=tlswrap test ca", "x509:issuer()")
eq(x:sans(), "DNS:localhost, IP:127.0.0.1", "x509:sans()")
local kt, kb = x:key()
eq(kt .. kb, "EC256", "x509:key()")
check(x:notbefore() < os.time() and os.time() < x:notafter(), "dates around now")
check(x:validat(os.time()) and not x:validat(x:notafter() + 1), "x509:validat()")
eq(x:der(), H.readfile("server-ec.der"), "x509:der()")
local pemfile = H.readfile("server-ec.pem")
check(pemfile:find(x:pem(), 1, true), "x509:pem() equals the PEM file", x:pem())
check(x:serial():match("^%x+$"), "x509:serial() is hex", x:serial())
eq(x:sig_alg(), "ecdsa-with-SHA256", "x509:sig_alg()")
check(#x:digest() == 64 and x:digest():match("^%x+$"), "x509:digest() sha256 hex", x:digest())
check(tostring(x):find("CN=server-ec", 1, true), "tostring(x509)")
check(select(2, srv:getpeercertificate()), "server: no client certificate")
local info = cli:info()
eq(info.protocol, "TLSv1.3", "info().protocol")
eq(info.group, "X25519", "info().group")
eq(info.server_name, "localhost", "info().server_name")
eq(srv:info().server_name, "localhost", "server info().server_name")
eq(info.resumed, false, "info().resumed")
-- KeyUpdate, then data both ways under the new keys
eq(cli:key_update(), true, "key_update()")
eq(cli:send("after update\n"), 13, "send after key_update")
eq(srv:receive("*l"), "after update", "received under the new keys")

-- Groups, CRLs, ticket keys, server SNI
do
  local c2 = H.client_ctx()
  eq(c2:set_groups("P-256"), true, "set_groups('P-256')")
  local ok2, m2 = c2:set_groups("P-999")
  check(ok2 == nil and m2:find("unknown group"), "set_groups refuses P-999", m2)
  local s2 = H.server_ctx()
  local a2, b2, hs2 = H.pair(c2, s2)
  check(hs2, "handshake with set_groups")
  eq(a2:info().group, "P-256", "the group chosen is used")
  -- A revoked server: ca-revoked.crl.pem revokes server-revoked
  local c3 = H.client_ctx()
  eq(c3:load_crl(H.fixture("ca-revoked.crl.pem")), true, "load_crl(path)")
  eq(H.client_ctx():load_crl{ data = H.readfile("ca-empty.crl.pem") }, true,
     "load_crl{data}")
  local s3 = H.server_ctx("revoked")
  local _, _, hs3, ce3 = H.pair(c3, s3)
  check(not hs3 and tostring(ce3):find("revoked"), "revoked server refused", ce3)
  local ok4, m4 = H.client_ctx():load_crl(H.fixture("ca.pem"))
  check(ok4 == nil and m4, "load_crl of a certificate fails", m4)
  eq(H.server_ctx():set_ticket_keys(string.rep("k", 32)), true, "set_ticket_keys")
  local ok5, m5 = H.server_ctx():set_ticket_keys("short")
  check(ok5 == nil and m5:find("32 to 64"), "short ticket secret refused", m5)
  -- SNI: an RSA default, the EC chain for localhost
  local s6 = H.server_ctx("rsa")
  eq(s6:add_server_name("localhost", H.server_ctx("ec")), true, "add_server_name")
  collectgarbage() -- the EC context lives on in s6
  local a6, b6, hs6 = H.pair(H.client_ctx(), s6)
  check(hs6, "SNI handshake")
  local k6 = a6:getpeercertificate():key()
  eq(k6, "EC", "the added chain answered localhost")
  eq(b6:info().server_name, "localhost", "server sees the name")
  -- getpeerchain: the leaf and the CA a chain file sends
  local s7 = H.server_ctx()
  assert(s7:load_cert_chain(H.fixture("server-ec-chain.pem"), H.fixture("server-ec.key")))
  local a7, _, hs7 = H.pair(H.client_ctx(), s7)
  check(hs7, "handshake with a chain")
  local ch = a7:getpeerchain()
  eq(#ch, 2, "getpeerchain(): two certificates")
  eq(ch[1]:subject(), "CN=server-ec", "chain[1] is the leaf")
  eq(ch[2]:subject(), "CN=tlswrap test ca", "chain[2] is the CA")
end
eq(cli:getpeerverification(), true, "client verified the server")
check(srv:getpeerverification() == false, "server verified nobody")
eq(cli:getfd(), -1, "getfd() of an object transport without getfd")
eq(cli:want(), "nothing", "want() after the handshake")
check(tostring(cli):match("^<SSLSocket"), "tostring(conn)")

-- send: LuaSocket returns the index of the last byte sent
eq(cli:send("abcdef"), 6, "send returns last index")
eq(cli:send("abcdef", 3), 6, "send(data, i)")
eq(cli:send("abcdef", 2, 3), 3, "send(data, i, j)")
eq(srv:dirty(), false, "dirty() before anything is decrypted")
eq(srv:receive(2), "ab", "receive(n)")
eq(srv:dirty(), true, "dirty() with buffered bytes")
eq(srv:receive(10), "cdefcdefbc", "receive(n) across sends")
eq(srv:dirty(), false, "dirty() when drained")

-- receive patterns
cli:send("line one\r\nline two\nL-line\nrest")
eq(srv:receive("*l"), "line one", "*l drops CR LF")
eq(srv:receive("l"), "line two", "l")
eq(srv:receive("L"), "L-line\n", "L keeps LF")
local r, e, part = srv:receive("*l")
eq(r, nil, "incomplete line: nil")
eq(e, "wantread", "error string: wantread")
eq(part, "rest", "partial result")
eq(srv:want(), "reading", "want() while blocked")
cli:send(" of it\n")
eq(srv:receive("*l", part), "rest of it", "prefix argument")
cli:send("12345")
r, e, part = srv:receive(10, "ab")
eq(part, "ab12345", "partial includes prefix")
check(not pcall(srv.receive, srv, "*x"), "bad pattern raises")
check(not pcall(srv.receive, srv, -1), "negative count raises")
eq(srv:receive(0), "", "receive(0)")

-- wantwrite: a transport whose send would block
local blocked = H.pipe()
local c2, s2, hs2 = H.pair(cctx, sctx)
check(hs2, "second pair")
local io2 = debug and nil
-- find the client's transport through a wrapper table
local function blocking_sender(inner)
  local t = { block = false }
  function t:send(d) if self.block then return nil, "timeout", 0 end
    return inner:send(d) end
  function t:receive(n) return inner:receive(n) end
  function t:close() return inner:close() end
  return t
end
local p1, p2 = H.pipe()
local w1 = blocking_sender(p1)
local c3 = assert(cctx:wrap_socket(w1, { server_hostname = "localhost",
                                          do_handshake_on_connect = false }))
local s3 = assert(sctx:wrap_socket(p2, { do_handshake_on_connect = false }))
c3:settimeout(0) s3:settimeout(0)
check(H.handshake(c3, s3), "pair over a blockable transport")
w1.block = true
r, e, part = c3:send("data")
eq(r, nil, "blocked send: nil")
eq(e, "wantwrite", "error string: wantwrite")
eq(part, 0, "blocked send: last index 0")
eq(c3:want(), "writing", "want() writing")
w1.block = false
eq(c3:send("data"), 4, "send after unblocking")
eq(s3:receive(4), "data", "data arrives after wantwrite")

-- closed: close_notify from the peer
c3:close()
r, e, part = s3:receive("*l")
eq(e, "closed", "error string: closed")
eq(s3:receive("*a"), "", "*a at close_notify returns data")
r, e = c3:send("x")
eq(e, "closed", "send after own close: closed")
r, e = c3:receive(1)
eq(e, "closed", "receive after own close: closed")
eq(c3:getfd(), -1, "getfd after close")
check(p1.closed, "close() closed the wrapped transport")

-- message: certificate failures, transport failures ----------------------
local other = tls.SSLContext(tls.PROTOCOL_TLS_CLIENT)
assert(other:load_verify_locations { cafile = H.fixture("other-ca.pem") })
local _, _, hs4, ce = H.pair(other, sctx)
check(not hs4 and type(ce) == "string" and #ce > 0, "untrusted server", ce)
print("     message: " .. tostring(ce))
local _, _, hs5, ce5 = H.pair(cctx, sctx, "wrong.example")
check(not hs5 and ce5 and ce5:lower():find("name"), "hostname mismatch", ce5)
print("     message: " .. tostring(ce5))

local bad = { send = function() error("boom in send") end,
              receive = function() return nil, "timeout" end }
r, e = cctx:wrap_socket(bad, { server_hostname = "localhost" })
check(r == nil and e:find("boom in send"), "a raising transport: message", e)
bad = { send = function(_, d) return #d end,
        receive = function() return nil, "connection refused" end }
r, e = cctx:wrap_socket(bad, { server_hostname = "localhost" })
check(r == nil and e:find("connection refused"),
      "a failing transport: its message", e)
bad = { send = function(_, d) return #d end,
        receive = function() return nil, "closed" end }
r, e = cctx:wrap_socket(bad, { server_hostname = "localhost" })
check(r == nil and type(e) == "string" and e ~= "closed",
      "EOF during the handshake is a message", e)

-- A transport method that yields cannot (tlswrap's C frames are in the
-- way): the connection fails with a message, nothing unwinds through C.
local co = coroutine.wrap(function()
  local yielding = { send = function(_, d) coroutine.yield() return #d end,
                     receive = function() return nil, "timeout" end }
  return cctx:wrap_socket(yielding, { server_hostname = "localhost" })
end)
r, e = co()
check(r == nil and e:find("yield"), "a yielding transport: message", e)

-- A transport that returns more than asked: the rest is kept
local p5, p6 = H.pipe()
local greedy = { send = function(_, d) return p5:send(d) end,
                 receive = function(_, n)
                   local all = {}
                   while true do
                     local s = p5:receive(1 << 20)
                     if not s then break end
                     all[#all + 1] = s
                   end
                   if #all == 0 then return nil, "timeout" end
                   return table.concat(all)
                 end }
local c6 = assert(cctx:wrap_socket(greedy, { server_hostname = "localhost",
                                              do_handshake_on_connect = false }))
local s6 = assert(sctx:wrap_socket(p6, { do_handshake_on_connect = false }))
c6:settimeout(0) s6:settimeout(0)
check(H.handshake(c6, s6), "greedy transport handshake")
s6:send(string.rep("x", 40000))
r, e, part = c6:receive(40000)
eq(r and #r, 40000, "greedy transport delivers everything")

-- Re-entry from a transport callback raises inside it (-> message)
local p7, p8 = H.pipe()
local conn7
local reentrant = { send = function(_, d)
                      if conn7 then conn7:send("x") end
                      return p7:send(d) end,
                    receive = function(_, n) return p7:receive(n) end }
conn7 = assert(cctx:wrap_socket(reentrant, { server_hostname = "localhost",
                                             do_handshake_on_connect = false }))
local s8 = assert(sctx:wrap_socket(p8, { do_handshake_on_connect = false }))
conn7:settimeout(0) s8:settimeout(0)
local hs7, ce7 = H.handshake(conn7, s8)
check(not hs7, "re-entry is refused")
r, ce7 = conn7:dohandshake()
check(ce7 and ce7:find("own transport callback"), "re-entry message", ce7)

-- verify_callback ----------------------------------------------------------
do
  local vc = H.client_ctx()
  local seen = {}
  local function cb(der, depth, ok)
    seen[#seen + 1] = { der = der, depth = depth, ok = ok }
    return true
  end
  vc.verify_callback = cb
  eq(vc.verify_callback, cb, "verify_callback reads back")
  check(not pcall(function() vc.verify_callback = 5 end),
        "verify_callback = 5 raises")
  local _, _, okv = H.pair(vc, sctx)
  check(okv, "callback returning true accepts")
  local last = seen[#seen]
  check(last and last.depth == 0 and last.ok == true and
        last.der == H.readfile("server-ec.der"),
        "called last for depth 0 with the DER and preverify_ok")
  vc.verify_callback = function() return false end
  local _, _, okf, cef = H.pair(vc, sctx)
  check(not okf and cef, "callback returning false rejects", cef)
  print("     message: " .. tostring(cef))
  vc.verify_callback = function() end
  check(not select(3, H.pair(vc, sctx)), "callback returning nothing rejects")
  vc.verify_callback = function() error("no") end
  check(not select(3, H.pair(vc, sctx)), "callback raising rejects")
  vc.verify_callback = function() return 0 end
  check(select(3, H.pair(vc, sctx)), "callback returning 0 accepts")
  vc.verify_callback = nil
  eq(vc.verify_callback, nil, "verify_callback removed")
  check(select(3, H.pair(vc, sctx)), "no callback: accepted")
end

-- Lifetime -------------------------------------------------------------
do
  local cc, ss = H.client_ctx(), H.server_ctx()
  local x, y, ok8 = H.pair(cc, ss)
  cc, ss = nil, nil
  collectgarbage() collectgarbage()
  check(ok8, "pair made")
  eq(x:send("after gc"), 8, "connection works after its context is collected")
  eq(y:receive(8), "after gc", "and the peer reads it")
  do
    local z <close> = x
  end
  eq(select(2, x:send("y")), "closed", "<close> closed the connection")
end
collectgarbage()

H.done()
