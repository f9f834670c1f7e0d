# DTLS datagrams that are not valid for a session, through MicroPython's
# `tls` module on tlswrap (run by a micropython unix binary built with the
# module, see tests/micropython.cmake). Loopback only; sockets have
# timeouts and ctest a TIMEOUT, so a regression fails instead of hanging.
#
# 1. A fresh server session whose first datagram is junk is finished by it
#    (tlswrap/status.h: like a HelloVerifyRequest). The eager handshake
#    (in wrap_socket) and the lazy one (in the first recv) must both raise
#    TLSW_ERR_DATAGRAM_DROPPED. That status alone is not fatal, and a
#    module that retried on it forever spun on the sticky session.
# 2. A client whose handshake meets a junk datagram from its server drops
#    it and goes on: the handshake completes and data flows both ways.
#    (wolfSSL drops it inside the handshake today, so this guards the
#    module's retry on a live session rather than a known failure.)
import os
import socket
import sys

try:
    import _thread
    import time
    import tls
except ImportError:
    print("SKIP")
    sys.exit(77)

certs = os.getenv("TLSW_TEST_CERTS")
if not certs:
    print("TLSW_TEST_CERTS is not set")
    sys.exit(2)


def read(name):
    with open(certs + "/" + name, "rb") as f:
        return f.read()


CERT = read("server-ec.der")
KEY = read("server-ec-sec1.der")
CA = read("ca.der")
DROPPED = -56  # TLSW_ERR_DATAGRAM_DROPPED
JUNK = b"\x17\xfe\xfd not a DTLS record"
# The unix port names MSG_PEEK from 1.26; 1.25 (Debian's, what CI builds)
# passes recvfrom's flags to the system all the same. Linux's value.
MSG_PEEK = getattr(socket, "MSG_PEEK", 2)


def bound_udp():
    """A UDP socket on 127.0.0.1 and its port (the unix port's sockets
    have no getsockname, so a free port is searched for)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    base = 20000 + (time.ticks_us() % 20000)
    for port in range(base, base + 200):
        try:
            s.bind(socket.getaddrinfo("127.0.0.1", port)[0][-1])
            return s, port
        except OSError:
            pass
    raise OSError("no free UDP port")


def connected_udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(socket.getaddrinfo("127.0.0.1", port)[0][-1])
    s.settimeout(5)
    return s


def server_ctx():
    ctx = tls.SSLContext(tls.PROTOCOL_DTLS_SERVER)
    ctx.load_cert_chain(CERT, KEY)
    return ctx


def fresh_junk(eager):
    srv, port = bound_udp()
    cli = connected_udp(port)
    cli.send(JUNK)
    srv.settimeout(5)
    _, addr = srv.recvfrom(1, MSG_PEEK)
    srv.connect(addr)
    try:
        s = server_ctx().wrap_socket(
            srv, server_side=True, client_id=b"peer", do_handshake_on_connect=eager
        )
        s.recv(32)
        got = "no error"
    except OSError as e:
        got = e.args[0]
    print("fresh server session, junk first, eager=%s: %s" % (eager, got))
    cli.close()
    srv.close()
    return got == DROPPED


def dtls_server(srv, result):
    try:
        ctx = server_ctx()
        _, addr = srv.recvfrom(1, MSG_PEEK)
        srv.connect(addr)
        srv.send(JUNK)  # reaches the client before the HelloVerifyRequest
        for _ in range(2):  # the first ClientHello has no cookie
            try:
                s = ctx.wrap_socket(srv, server_side=True, client_id=b"peer")
                break
            except OSError as e:
                if e.args[0] != -27264:  # HELLO_VERIFY_REQUIRED
                    raise
                srv.recvfrom(1, MSG_PEEK)
        s.send(s.recv(64))
        result.append("served")
    except Exception as e:
        result.append("server: %r" % (e,))


def client_skips_junk():
    srv, port = bound_udp()
    srv.settimeout(5)
    result = []
    _thread.start_new_thread(dtls_server, (srv, result))
    cli = connected_udp(port)
    ctx = tls.SSLContext(tls.PROTOCOL_DTLS_CLIENT)
    ctx.load_verify_locations(CA)
    try:
        s = ctx.wrap_socket(cli, server_hostname="localhost")
        s.send(b"ping")
        got = s.recv(64)
    except OSError as e:
        got = e.args
    for _ in range(500):
        if result:
            break
        time.sleep_ms(10)
    print("client, junk during the handshake: %r, %r" % (got, result))
    cli.close()
    srv.close()
    return got == b"ping" and result == ["served"]


ok = fresh_junk(True)
ok = fresh_junk(False) and ok
ok = client_skips_junk() and ok
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
