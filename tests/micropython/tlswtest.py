# Shared by the tests in this directory (run by a micropython unix binary
# built with src/adapters/micropython, see tests/micropython.cmake): the
# fixture certificates and one TLS connection over 127.0.0.1 with the
# server in a thread. Every socket has a timeout and every wait a bound,
# so a regression fails instead of hanging (ctest has a TIMEOUT too).
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

CERTS = os.getenv("TLSW_TEST_CERTS")
if not CERTS:
    print("TLSW_TEST_CERTS is not set")
    sys.exit(2)


def read(name):
    with open(CERTS + "/" + name, "rb") as f:
        return f.read()


CA = read("ca.der")
failures = []


def check(what, got, want):
    ok = got == want
    print("%s %s: %r" % ("ok  " if ok else "FAIL", what, got))
    if not ok:
        failures.append(what)
        print("     wanted %r" % (want,))


def finish():
    print("PASS" if not failures else "FAIL: %d" % len(failures))
    sys.exit(0 if not failures else 1)


def server_ctx(cert="server-ec.der", key="server-ec-sec1.der"):
    ctx = tls.SSLContext(tls.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(read(cert), read(key))
    return ctx


def client_ctx(verify=True):
    ctx = tls.SSLContext(tls.PROTOCOL_TLS_CLIENT)
    if verify:
        ctx.load_verify_locations(CA)
        ctx.verify_mode = tls.CERT_REQUIRED
    else:
        ctx.verify_mode = tls.CERT_NONE
    return ctx


def _listener():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    base = 20000 + (time.ticks_us() % 20000)
    for port in range(base, base + 200):
        try:
            s.bind(socket.getaddrinfo("127.0.0.1", port)[0][-1])
            s.listen(1)
            return s, port
        except OSError:
            pass
    raise OSError("no free TCP port")


def _serve(lsock, ctx, result):
    conn = None
    try:
        conn, _ = lsock.accept()
        conn.settimeout(5)
        s = ctx.wrap_socket(conn, server_side=True)
        data = s.read(4)
        s.write(data)
        result["server"] = s
        result["server_ok"] = True
    except Exception as e:
        result["server_exc"] = e
        if conn is not None:
            conn.close()
    result["done"] = True


def connect(sctx, cctx, **wrap_kw):
    """One connection: the client writes b"ping", the server echoes it.
    Returns (client socket or exception, result dict of the server side:
    "server" (its socket) or "server_exc")."""
    lsock, port = _listener()
    lsock.settimeout(5)
    result = {}
    _thread.start_new_thread(_serve, (lsock, sctx, result))
    cli = socket.socket()
    cli.settimeout(5)
    try:
        cli.connect(socket.getaddrinfo("127.0.0.1", port)[0][-1])
        s = cctx.wrap_socket(cli, **wrap_kw)
        s.write(b"ping")
        if s.read(4) != b"ping":
            raise OSError("echo mismatch")
        out = s
    except Exception as e:
        out = e
        cli.close()
    for _ in range(500):
        if "done" in result:
            break
        time.sleep_ms(10)
    lsock.close()
    return out, result


def close(client, result):
    if not isinstance(client, Exception):
        client.close()
    if "server" in result:
        result["server"].close()
