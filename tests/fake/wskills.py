#!/usr/bin/python3
"""Fake WandererKills server: Phoenix channels serializer 2.0.0 over a real
WebSocket (Debian's python3-websockets 10.4), on 127.0.0.1, for wn-kills tests.

Speaks what the real server does (wanderer-kills-detail.md): upgrade at
/socket/websocket (?vsn=2.0.0; other versions get 403), heartbeats on topic
"phoenix" answered by the socket, phx_join on killmails:lobby with the
validation and error strings of the real channel, a re-join replies and then
closes the old channel (phx_close with the OLD join_ref), killmail_update
pushes (live: one kill, preload: up to 5, preload:true), idle close.

One difference, on purpose: the join's "preload" options are honoured
(since_hours, limit_per_system; real servers send the newest 5 of the last
24 h whatever is asked), so a test can prove the client asks for the gap.

Driven by a command file (--commands), one command a line, appended by the
test while the fake runs:
  kill ID SYSTEM AGE_S [CHAR]  store a kill (from the template) and push it live
  store ID SYSTEM AGE_S [CHAR] store only (a kill that happens while nobody listens)
  drop_mid                     start a frame, send part of it, cut the TCP connection
  oversize BYTES               send one text frame of that size
  garbage                      send a non-JSON frame, a JSON object, a binary frame
  heartbeat on|off             answer heartbeats or not
  close CODE                   close the WebSocket with CODE
  crash                        phx_error for the current join (channel crashed)
  join_error N                 refuse the next N joins (too many systems)
  dup N                        push each live kill N times (v1.5 sends up to 4)
  burst N FIRST_ID SYSTEM      N live kills back to back
Every frame a client sends is logged to --log as one JSON line.
"""
import argparse
import asyncio
import base64
import copy
import datetime
import json
import os
import ssl
import struct
import sys
import time
from http import HTTPStatus
from urllib.parse import urlparse, parse_qs

import websockets
from fakehttp import publish_port, watch_parent

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--commands", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--template", required=True, help="a killmail in the WandererKills shape")
ap.add_argument("--idle", type=float, default=45.0, help="close a silent client after this")
ap.add_argument("--dup", type=int, default=1, help="push each live kill this many times")
ap.add_argument("--tls-cert")
ap.add_argument("--tls-key")
args = ap.parse_args()

TEMPLATE = json.load(open(args.template))
store = []          # every kill ever stored
conns = {}          # id -> Conn
state = {"heartbeat": True, "join_error": 0, "next": 0, "dup": args.dup}
logf = open(args.log, "a", buffering=1)


def log(**kw):
    kw["t"] = round(time.time(), 3)
    logf.write(json.dumps(kw, separators=(",", ":")) + "\n")


def iso(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_stamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_kill(kid, system, age, char=None):
    k = copy.deepcopy(TEMPLATE)
    k["killmail_id"] = kid
    k["system_id"] = system
    k["kill_time"] = iso(time.time() - age)
    k["_ts"] = time.time() - age
    if char:
        k["victim"]["character_id"] = char
    return k


def wire(k):
    return {key: v for key, v in k.items() if key != "_ts"}


def chars_of(k):
    ids = {k.get("victim", {}).get("character_id")}
    ids.update(a.get("character_id") for a in k.get("attackers", []))
    return ids


class Conn:
    def __init__(self, ws):
        state["next"] += 1
        self.id = state["next"]
        self.ws = ws
        self.join_ref = None
        self.systems = []
        self.chars = []

    def wants(self, k):
        return self.join_ref is not None and (
            k["system_id"] in self.systems or bool(chars_of(k) & set(self.chars)))

    async def push(self, event, payload, ref=None):
        await self.ws.send(json.dumps([self.join_ref, ref, "killmails:lobby", event, payload]))


def validate(ids, lo, hi, kind):
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return f"[validation:non_integer_{kind}_ids] {kind.capitalize()} IDs must be integers"
    if not all(lo <= i <= hi for i in ids):
        return f"[validation:invalid_{kind}_ids] Invalid {kind} IDs"
    return None


async def join(c, jref, ref, payload):
    systems = payload.get("systems")
    chars = payload.get("character_ids")
    if not isinstance(systems, list) and not isinstance(chars, list):
        systems, chars = [], []
    systems = systems if isinstance(systems, list) else []
    chars = chars if isinstance(chars, list) else []
    reason = None
    if state["join_error"] > 0:
        state["join_error"] -= 1
        reason = "[validation:too_many_systems] Too many systems (max: 10000)"
    reason = reason or validate(systems, 1, 50_000_000, "system") \
        or validate(chars, 90_000_000, 3_000_000_000, "character")
    if reason:
        await c.ws.send(json.dumps([jref, ref, "killmails:lobby", "phx_reply",
                                    {"response": {"reason": reason}, "status": "error"}]))
        return
    old = c.join_ref
    c.join_ref, c.systems, c.chars = jref, list(dict.fromkeys(systems)), list(dict.fromkeys(chars))
    sid = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
    await c.ws.send(json.dumps([jref, ref, "killmails:lobby", "phx_reply", {"response": {
        "status": "connected", "subscribed_characters": c.chars,
        "subscribed_systems": c.systems, "subscription_id": sid}, "status": "ok"}]))
    if old is not None:
        await c.ws.send(json.dumps([old, old, "killmails:lobby", "phx_close", {}]))
    pre = payload.get("preload") if isinstance(payload.get("preload"), dict) else {}
    hours = pre.get("since_hours", 24) if pre.get("enabled") else 24
    limit = pre.get("limit_per_system", 5) if pre.get("enabled") else 5
    log(conn=c.id, event="preload", since_hours=hours, limit=limit)
    for s in c.systems:
        kills = sorted((k for k in store if k["system_id"] == s and k["_ts"] >= time.time() - hours * 3600),
                       key=lambda k: k["kill_time"], reverse=True)[:limit]
        for i in range(0, len(kills), 5):
            await c.push("killmail_update", {"system_id": s, "killmails": [wire(k) for k in kills[i:i + 5]],
                                             "timestamp": now_stamp(), "preload": True})


async def handle_frame(c, text):
    try:
        msg = json.loads(text)
        jref, ref, topic, event, payload = msg[:5]
    except (ValueError, TypeError):
        log(conn=c.id, event="bad_frame")
        await c.ws.close(1011, "bad frame")       # Phoenix's socket process crashes
        return
    if topic == "phoenix" and event == "heartbeat":
        if state["heartbeat"]:
            await c.ws.send(json.dumps([None, ref, "phoenix", "phx_reply", {"response": {}, "status": "ok"}]))
        return
    if topic == "killmails:lobby" and event == "phx_join":
        await join(c, jref, ref, payload if isinstance(payload, dict) else {})
        return
    reason = "unmatched topic" if not topic.startswith("killmails:") or c.join_ref is None else None
    await c.ws.send(json.dumps([jref, ref, topic, "phx_reply",
                                {"response": {"reason": reason or "unknown event"}, "status": "error"}]))


async def handler(ws, path):
    c = Conn(ws)
    conns[c.id] = c
    log(conn=c.id, event="open", path=path)
    try:
        while True:
            try:
                text = await asyncio.wait_for(ws.recv(), args.idle)
            except asyncio.TimeoutError:
                log(conn=c.id, event="idle_close")
                await ws.close(1000, "idle")
                break
            if isinstance(text, bytes):
                log(conn=c.id, event="binary")
                continue
            try:
                frame = json.loads(text)
            except ValueError:
                frame = None
                log(conn=c.id, recv_raw=text[:200])
            # a join is logged once it is answered, so a test that saw it
            # can count on the subscription
            joining = isinstance(frame, list) and len(frame) > 3 and frame[3] == "phx_join"
            if frame is not None and not joining:
                log(conn=c.id, recv=frame)
            await handle_frame(c, text)
            if joining:
                log(conn=c.id, recv=frame)
    except websockets.ConnectionClosed as e:
        log(conn=c.id, event="closed", code=e.code)
    finally:
        conns.pop(c.id, None)
        log(conn=c.id, event="gone")


def check_request(path, headers):
    u = urlparse(path)
    if u.path != "/socket/websocket":
        return HTTPStatus.NOT_FOUND, [], b""
    if parse_qs(u.query).get("vsn", ["1.0.0"])[0] != "2.0.0":
        return HTTPStatus.FORBIDDEN, [], b""     # this fake speaks v2 only
    return None


def partial_frame(n):
    """A text frame header promising n bytes: the client must wait for more."""
    return bytes([0x81, 126]) + struct.pack("!H", n)


async def command(line):
    w = line.split()
    if not w:
        return
    live = [c for c in conns.values() if c.join_ref is not None]
    log(event="command", line=line)
    if w[0] in ("kill", "store"):
        k = make_kill(int(w[1]), int(w[2]), float(w[3]), int(w[4]) if len(w) > 4 else None)
        store.append(k)
        if w[0] == "kill":
            for c in live:
                if c.wants(k):
                    for _ in range(state["dup"]):
                        await c.push("killmail_update", {"system_id": k["system_id"], "killmails": [wire(k)],
                                                         "timestamp": now_stamp(), "preload": False})
    elif w[0] == "drop_mid":
        for c in list(conns.values()):
            c.ws.transport.write(partial_frame(1000) + b'["1",null,"killmails:lob')
            c.ws.transport.abort()
    elif w[0] == "oversize":
        for c in live:
            pad = "x" * int(w[1])
            await c.push("killmail_update", {"system_id": 1, "killmails": [], "pad": pad})
    elif w[0] == "garbage":
        for c in live:
            await c.ws.send("this is not json {")
            await c.ws.send('{"topic":"killmails:lobby","event":"killmail_update","payload":{},"ref":null}')
            await c.ws.send(b"\x00\x01binary")
            await c.push("killmail_update", {"system_id": 1, "killmails": [{"killmail_id": "nonsense"}]})
    elif w[0] == "heartbeat":
        state["heartbeat"] = w[1] == "on"
    elif w[0] == "close":
        for c in list(conns.values()):
            await c.ws.close(int(w[1]), "server says bye")
    elif w[0] == "crash":
        for c in live:
            await c.ws.send(json.dumps([c.join_ref, c.join_ref, "killmails:lobby", "phx_error", {}]))
            c.join_ref = None
    elif w[0] == "burst":
        for i in range(int(w[1])):
            k = make_kill(int(w[2]) + i, int(w[3]), 1)
            store.append(k)
            for c in live:
                if c.wants(k):
                    await c.push("killmail_update", {"system_id": k["system_id"], "killmails": [wire(k)],
                                                     "timestamp": now_stamp(), "preload": False})
    elif w[0] == "dup":
        state["dup"] = int(w[1])
    elif w[0] == "join_error":
        state["join_error"] = int(w[1])


async def follow_commands():
    pos = 0
    while True:
        try:
            with open(args.commands) as f:
                f.seek(pos)
                data = f.read()
        except FileNotFoundError:
            data = ""
        # only whole lines; the rest waits for the writer to finish it
        end = data.rfind("\n") + 1
        pos += len(data[:end].encode())
        for line in data[:end].splitlines():
            try:
                await command(line.strip())
            except Exception as e:     # a test mistake must show, not kill the fake
                log(event="command_error", line=line, error=repr(e))
        await asyncio.sleep(0.05)


async def main():
    ctx = None
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        ctx.sni_callback = lambda sock, name, c: log(event="sni", name=name)
    async with websockets.serve(handler, "127.0.0.1", 0, process_request=check_request,
                                ping_interval=None, max_size=1 << 20, ssl=ctx) as server:
        publish_port(server.sockets[0].getsockname()[1], args.port_file)
        await follow_commands()


watch_parent()
asyncio.run(main())
