# The other additions to the `tls` module: versions (CPython's
# minimum_version / maximum_version, tls.TLSVersion), groups (CPython
# 3.15's set_groups / group()), CRLs (load_crl), server SNI through a
# second context (add_server_name, the server's sock.server_hostname) and
# the TLS 1.3 KeyUpdate (key_update), as the Lua adapter names them.
from tlswtest import *


def v13(ctx):
    ctx.maximum_version = tls.TLSVersion.TLSv1_3
    return ctx


check("TLSVersion values", (tls.TLSVersion.TLSv1_2, tls.TLSVersion.TLSv1_3),
      (0x0303, 0x0304))
ctx = client_ctx()
check("default range", (ctx.minimum_version, ctx.maximum_version),
      (0x0303, 0x0303))
try:
    ctx.maximum_version = 0x0302
    got = "accepted"
except ValueError:
    got = "ValueError"
check("TLS 1.1 refused", got, "ValueError")

# Versions: a TLS 1.3 client against the default (TLS 1.2) server.
c, r = connect(server_ctx(), v13(client_ctx()), server_hostname="localhost")
check("1.3 client, 1.2 server", c.cipher()[1] if not isinstance(c, Exception) else repr(c),
      "TLSv1.2")
close(c, r)
cctx = v13(client_ctx())
cctx.minimum_version = tls.TLSVersion.TLSv1_3
c, r = connect(server_ctx(), cctx, server_hostname="localhost")
check("1.3-only client, 1.2 server fails", isinstance(c, Exception), True)
close(c, r)

# Groups.
for tls13 in (False, True):
    sctx, cctx = server_ctx(), client_ctx()
    if tls13:
        v13(sctx), v13(cctx)
    cctx.set_groups("P-256")
    c, r = connect(sctx, cctx, server_hostname="localhost")
    check("group P-256 (TLS 1.%d)" % (3 if tls13 else 2),
          (c.group(), r["server"].group()) if not isinstance(c, Exception) else repr(c),
          ("P-256", "P-256"))
    close(c, r)
cctx = client_ctx()
cctx.set_groups(["secp384r1"])
c, r = connect(server_ctx(), cctx, server_hostname="localhost")
check("group from a list", c.group() if not isinstance(c, Exception) else repr(c), "P-384")
close(c, r)
try:
    client_ctx().set_groups("no-such-group")
    got = "accepted"
except ValueError:
    got = "ValueError"
check("unknown group", got, "ValueError")

# CRLs: the revoked server is refused, a good one is not.
def with_crl(cert, key):
    cctx = client_ctx()
    cctx.load_crl(read("ca-revoked.crl.pem"))
    c, r = connect(server_ctx(cert, key), cctx, server_hostname="localhost")
    got = "ok" if not isinstance(c, Exception) else type(c).__name__
    close(c, r)
    return got


check("CRL: revoked server", with_crl("server-revoked.pem", "server-revoked.key"),
      "ValueError")
check("CRL: good server", with_crl("server-ec.der", "server-ec-sec1.der"), "ok")
try:
    client_ctx().load_crl(b"not a CRL")
    got = "accepted"
except ValueError:
    got = "ValueError"
check("CRL: junk", got, "ValueError")

# Server SNI through a second context.
# (An RSA default and an EC added chain, as test_sni.c: an EC default with
# an added RSA chain fails the handshake on the 5.7.2 build, see README.)
sctx = server_ctx("server-rsa.der", "server-rsa-pkcs1.der")
sctx.add_server_name("alt.example", server_ctx())
for name, want in (("alt.example", "server-ec.der"), ("localhost", "server-rsa.der")):
    c, r = connect(sctx, client_ctx(False), server_hostname=name)
    if isinstance(c, Exception):
        check("SNI " + name, repr(c), "ok")
        continue
    check("SNI %s: chain" % name, c.getpeercert(True) == read(want), True)
    check("SNI %s: server_hostname" % name, r["server"].server_hostname, name)
    close(c, r)
try:
    sctx.add_server_name("alt.example", server_ctx())
    got = "accepted"
except ValueError:
    got = "ValueError"
check("SNI: a name twice", got, "ValueError")

# KeyUpdate: TLS 1.3 only; data flows after it.
c, r = connect(v13(server_ctx()), v13(client_ctx()), server_hostname="localhost")
try:
    c.key_update()
    c.write(b"more")
    got = r["server"].read(4)
except Exception as e:
    got = repr(e)
check("key_update (TLS 1.3), then data", got, b"more")
close(c, r)
c, r = connect(server_ctx(), client_ctx(), server_hostname="localhost")
try:
    c.key_update()
    got = "accepted"
except OSError as e:
    got = e.args[0]
check("key_update on TLS 1.2", got, -28800)  # FEATURE_UNAVAILABLE
close(c, r)
finish()
