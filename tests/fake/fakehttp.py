"""fakehttp.py — what the HTTP fakes share (Python standard library only):
a threaded server on 127.0.0.1 at an ephemeral port, optionally HTTPS,
whose port is published through --port-file once it listens (write to a
temp file, then rename, so a reader never sees half a number), and the
fault specs the fakes take on their command line.
"""
import os
import ssl
from http.server import ThreadingHTTPServer


def parse_fault(spec):
    """KIND[:ARG][xN][@PATHPREFIX] -> {"kind", "arg", "left", "prefix"}:
    the next N matching requests (under PATHPREFIX, if given) get KIND."""
    prefix = None
    if "@" in spec:
        spec, prefix = spec.split("@", 1)
    left = 1
    if "x" in spec and spec.rsplit("x", 1)[1].isdigit():
        spec, n = spec.rsplit("x", 1)
        left = int(n)
    kind, _, arg = spec.partition(":")
    return {"kind": kind, "arg": arg or None, "left": left, "prefix": prefix}


def listen(handler, tls_cert=None, tls_key=None, handshake_in_thread=False):
    """The server, listening; HTTPS when a certificate is given.  With
    handshake_in_thread the TLS handshake happens in the handler's thread,
    so a client that fails it cannot stall accept()."""
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    if tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls_cert, tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                     do_handshake_on_connect=not handshake_in_thread)
    return srv


def publish_port(srv, port_file):
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, port_file)


def serve(handler, port_file, tls_cert=None, tls_key=None):
    """listen, publish the port, serve until killed."""
    srv = listen(handler, tls_cert, tls_key)
    publish_port(srv, port_file)
    srv.serve_forever()
