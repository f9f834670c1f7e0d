-- A TLS client with tlswrap's Lua module: sends an HTTP/1.0 request and
-- prints the reply.
--   lua5.4 client.lua HOST [PORT] [CAFILE]
-- Without CAFILE the system trust store is used. The server's certificate
-- must verify for HOST (CERT_REQUIRED is the client default).
local socket = require "socket"
local tls = require "tlswrap"

local host, port, cafile = arg[1], tonumber(arg[2]) or 443, arg[3]
if not host then
  io.stderr:write("usage: lua5.4 client.lua HOST [PORT] [CAFILE]\n")
  os.exit(2)
end

local ctx = tls.SSLContext(tls.PROTOCOL_TLS_CLIENT)
if cafile then
  assert(ctx:load_verify_locations { cafile = cafile })
else
  assert(ctx:load_default_certs())
end

local raw = assert(socket.tcp())
raw:settimeout(10)
assert(raw:connect(host, port))
-- The handshake runs here; a certificate problem comes back as nil, message.
local conn = assert(ctx:wrap_socket(raw, { server_hostname = host }))
conn:settimeout(10)
io.stderr:write(string.format("connected: %s, %s\n", conn:version(),
                              conn:cipher()))

assert(conn:send("GET / HTTP/1.0\r\nHost: " .. host .. "\r\n\r\n"))
-- "*a" reads until the server's close_notify. A server that drops the TCP
-- connection without one gets nil, message, partial: the data is there,
-- but it may have been cut short, so say so.
local body, err, partial = conn:receive("*a")
io.write(body or partial)
if not body then io.stderr:write("\nwarning: " .. err .. "\n") end
conn:close()
