-- A non-blocking TLS echo server with tlswrap's Lua module: one thread,
-- socket.select, any number of clients, each handshake and read resumed
-- on "wantread"/"wantwrite".
--   lua5.4 echo_server.lua CERT KEY [PORT] [MAX_CLIENTS]
-- Port 0 (the default) picks a free port; it is printed as "PORT <n>".
-- With MAX_CLIENTS the server exits after serving that many clients.
local socket = require "socket"
local tls = require "tlswrap"

local cert, key = arg[1], arg[2]
local max_clients = tonumber(arg[4])
if not key then
  io.stderr:write("usage: lua5.4 echo_server.lua CERT KEY [PORT] [MAX]\n")
  os.exit(2)
end
io.stdout:setvbuf("line")

local ctx = tls.SSLContext(tls.PROTOCOL_TLS_SERVER)
assert(ctx:load_cert_chain(cert, key))

local listener = assert(socket.bind("127.0.0.1", tonumber(arg[3]) or 0))
listener:settimeout(0)
print("PORT " .. select(2, listener:getsockname()))

local clients = {} -- conn -> { hs = handshake done, out = bytes to echo }
local served = 0

local function drop(conn)
  clients[conn] = nil
  conn:close()
  served = served + 1
end

-- One step for a client; returns what it waits for: "wantread", or
-- "wantwrite" when it must flush its echo first.
local function step(conn, st)
  if not st.hs then
    local ok, err = conn:dohandshake()
    if not ok then
      if err == "wantread" or err == "wantwrite" then return err end
      io.stderr:write("handshake failed: " .. err .. "\n")
      return drop(conn)
    end
    st.hs = true
  end
  while true do
    if #st.out > 0 then
      local i, err, last = conn:send(st.out)
      st.out = st.out:sub((i or last) + 1)
      if err then
        if err == "wantwrite" or err == "wantread" then return err end
        return drop(conn)
      end
    end
    local data, err, partial = conn:receive(16384)
    st.out = data or partial
    if err and #st.out == 0 then
      if err == "wantread" or err == "wantwrite" then return err end
      return drop(conn) -- "closed" or a failure
    end
  end
end

while not max_clients or served < max_clients do
  local rd, wr = { listener }, {}
  for conn, st in pairs(clients) do
    local want = step(conn, st)
    if want == "wantwrite" then wr[#wr + 1] = conn
    elseif want then rd[#rd + 1] = conn end
  end
  if max_clients and served >= max_clients then break end
  local ready = socket.select(rd, wr, 1)
  if ready[listener] then
    local raw = listener:accept()
    if raw then
      local conn = ctx:wrap_socket(raw, { server_side = true,
                                          do_handshake_on_connect = false })
      conn:settimeout(0)
      clients[conn] = { hs = false, out = "" }
    end
  end
end
listener:close()
