#!/usr/bin/env python3
"""A tiny plaintext SMTP/IMAP/POP3 server for tests/cli/starttls.sh.

Usage: starttls_server.py PROTO CERT KEY [refuse]
Listens on 127.0.0.1 (port chosen by the system, printed on stdout),
serves one client: greeting, the STARTTLS exchange (or a refusal), then
TLS with Python's ssl module, and echoes one line back over it.
"""
import socket
import ssl
import sys

proto, cert, key = sys.argv[1:4]
refuse = len(sys.argv) > 4 and sys.argv[4] == "refuse"

srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
srv.settimeout(20)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()
conn.settimeout(20)
f = conn.makefile("rb")


def say(text):
    conn.sendall(text.encode() + b"\r\n")


def hear():
    line = f.readline().decode().rstrip("\r\n")
    print("C: " + line, file=sys.stderr, flush=True)
    return line


if proto == "smtp":
    say("220-test.example ESMTP ready")
    say("220 test.example")
    assert hear().startswith("EHLO ")
    say("250-test.example")
    say("250-PIPELINING")
    say("250 STARTTLS")
    assert hear() == "STARTTLS"
    say("454 TLS not available" if refuse else "220 Go ahead")
elif proto == "imap":
    say("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready")
    tag, cmd = hear().split(" ", 1)
    assert cmd == "STARTTLS"
    if refuse:
        say(tag + " NO not now")
    else:
        say("* a harmless untagged line")
        say(tag + " OK Begin TLS negotiation now")
elif proto == "pop3":
    say("+OK POP3 ready")
    assert hear() == "STLS"
    say("-ERR not now" if refuse else "+OK Begin TLS")
if refuse:
    conn.close()
    sys.exit(0)

# The client's ClientHello must not have been eaten by the line reader.
f.close()
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
tls = ctx.wrap_socket(conn, server_side=True)
data = b""
while not data.endswith(b"\n"):
    chunk = tls.recv(4096)
    if not chunk:
        break
    data += chunk
tls.sendall(b"over TLS: " + data)
try:
    tls.unwrap()
except (ssl.SSLError, OSError):
    pass
tls.close()
