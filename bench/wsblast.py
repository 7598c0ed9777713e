#!/usr/bin/python3
"""wsblast.py FRAMES PORTFILE — a minimal WebSocket server for bench/kills.sh:
answers one upgrade (RFC 6455 accept), then sends every line of FRAMES as
one unmasked text frame, as fast as the client reads, and keeps the
connection open (reading and discarding what the client sends) until
killed.  Frames are built once, before the client connects, so the
client's decoding is what gets measured.  Standard library only."""
import base64
import hashlib
import socket
import struct
import sys
import threading

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(payload):
    n = len(payload)
    if n < 126:
        head = bytes([0x81, n])
    elif n < 65536:
        head = bytes([0x81, 126]) + struct.pack("!H", n)
    else:
        head = bytes([0x81, 127]) + struct.pack("!Q", n)
    return head + payload


blob = b"".join(frame(line.rstrip(b"\n")) for line in open(sys.argv[1], "rb") if line.strip())
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % srv.getsockname()[1])
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
conn, _ = srv.accept()
req = b""
while b"\r\n\r\n" not in req:
    req += conn.recv(4096)
key = [l.split(b":", 1)[1].strip() for l in req.split(b"\r\n") if l.lower().startswith(b"sec-websocket-key:")][0]
acc = base64.b64encode(hashlib.sha1(key + GUID).digest())
conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             b"Sec-WebSocket-Accept: " + acc + b"\r\n\r\n")
threading.Thread(target=lambda: [None for _ in iter(lambda: conn.recv(65536), b"")], daemon=True).start()
conn.sendall(blob)
threading.Event().wait()
