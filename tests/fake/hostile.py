"""hostile.py — a server that attacks its client (issue 17), Python
standard library only, raw sockets so nothing is polite by accident.

One --mode for the whole run; every connection gets it:

  WebSocket (answers the upgrade correctly first, unless said otherwise)
    silent          accept TCP, read what comes, never answer
    ws-silent       send the 101, then nothing (reads and drops frames)
    ws-ping-flood   pings as fast as the socket takes them; --no-read
                    never reads the pongs
    ws-fragments    a text frame without FIN, then 1-byte continuation
                    frames that never end
    ws-huge-length  a text frame header claiming 2^62 bytes, then a trickle
  HTTP / SSE (after reading the request head)
    slow-headers    "HTTP/1.1 200 OK" then one header byte every 0.2 s
    huge-header     one header line that never ends
    endless-line    200 text/event-stream, then "data: " and an endless line
    endless-body    200 with neither length nor chunks, bytes forever
    huge-length     Content-Length of 2^64 - 1, then bytes forever
    huge-chunk      chunked, first chunk size ffffffffffffffffff

With --upstream PORT --only TEXT, a request whose first line lacks TEXT is
passed to the honest fake on PORT (both ways, byte for byte), so a tool
can load its state there and meet the hostile stream only where TEXT is.

Every connection is logged to --log as JSON lines: {"event":"open","n":N}
and {"event":"close","n":N,"sent":BYTES}.
"""
import argparse
import base64
import hashlib
import json
import os
import socket
import struct
import threading
import time

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
lock = threading.Lock()
conns = 0
UPSTREAM, ONLY = None, ""


def log(path, **ev):
    if not path:
        return
    with lock, open(path, "a") as f:
        f.write(json.dumps(ev) + "\n")


def read_head(sock):
    """The request head (up to the blank line), or b"" at EOF."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            return b""
        buf += chunk
        if len(buf) > 65536:
            break
    return buf


def upgrade(sock):
    head = read_head(sock).decode("latin-1")
    key = ""
    for line in head.split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-key":
            key = value.strip()
    acc = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n" % acc).encode())


def drain(sock):
    """Read and drop everything the client sends, in the background."""
    def run():
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass
    threading.Thread(target=run, daemon=True).start()


def forever(sock, block, sent, pause=0.0):
    """Send block again and again until the client goes away."""
    while True:
        sock.sendall(block)
        sent[0] += len(block)
        if pause:
            time.sleep(pause)


def serve(sock, mode, no_read, sent):
    if mode == "silent":
        while sock.recv(65536):
            pass
        return
    if mode.startswith("ws-"):
        upgrade(sock)
        if not (mode == "ws-ping-flood" and no_read):
            drain(sock)
        if mode == "ws-silent":
            while True:
                time.sleep(1)
        elif mode == "ws-ping-flood":
            forever(sock, b"\x89\x04ping" * 4096, sent)
        elif mode == "ws-fragments":
            sock.sendall(b"\x01\x01[")
            forever(sock, b"\x00\x01x" * 4096, sent)
        elif mode == "ws-huge-length":
            sock.sendall(b"\x81\x7f" + struct.pack(">Q", 1 << 62))
            forever(sock, b"x" * 1024, sent, 0.01)
        return
    head = read_head(sock)
    if UPSTREAM and ONLY.encode() not in head.split(b"\r\n", 1)[0]:
        return proxy(sock, head)
    if mode == "slow-headers":
        sock.sendall(b"HTTP/1.1 200 OK\r\n")
        forever(sock, b"X", sent, 0.2)
    elif mode == "huge-header":
        sock.sendall(b"HTTP/1.1 200 OK\r\nX-Long: ")
        forever(sock, b"a" * 65536, sent)
    elif mode == "endless-line":
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                     b"Cache-Control: no-cache\r\n\r\ndata: ")
        forever(sock, b"x" * 65536, sent)
    elif mode == "endless-body":
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Connection: close\r\n\r\n[")
        forever(sock, b"1," * 32768, sent)
    elif mode == "huge-length":
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 18446744073709551615\r\n\r\n[")
        forever(sock, b"1," * 32768, sent)
    elif mode == "huge-chunk":
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n")
        forever(sock, b"1," * 32768, sent)


def proxy(sock, head):
    up = socket.create_connection(("127.0.0.1", UPSTREAM))
    up.sendall(head)

    def pipe(src, dst):
        try:
            while True:
                b = src.recv(65536)
                if not b:
                    break
                dst.sendall(b)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    t = threading.Thread(target=pipe, args=(up, sock), daemon=True)
    t.start()
    pipe(sock, up)
    t.join()
    up.close()


def handle(sock, args):
    global conns
    with lock:
        conns += 1
        n = conns
    log(args.log, event="open", n=n)
    sent = [0]
    try:
        serve(sock, args.mode, args.no_read, sent)
    except OSError:
        pass
    finally:
        log(args.log, event="close", n=n, sent=sent[0])
        sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--mode", required=True)
    ap.add_argument("--no-read", action="store_true")
    ap.add_argument("--log")
    ap.add_argument("--upstream", type=int)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    global UPSTREAM, ONLY
    UPSTREAM, ONLY = args.upstream, args.only
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.replace(tmp, args.port_file)
    while True:
        c, _ = srv.accept()
        threading.Thread(target=handle, args=(c, args), daemon=True).start()


if __name__ == "__main__":
    main()
