#!/usr/bin/python3
"""Fake WandererKills server: Phoenix channels serializer 2.0.0 over a real
WebSocket (Debian's python3-websockets 10.4), on 127.0.0.1, for wn-kills tests.

Speaks what the real server does (wanderer-kills-detail.md): upgrade at
/socket/websocket (?vsn=2.0.0; other versions get 403), heartbeats on topic
"phoenix" answered by the socket, phx_join on killmails:lobby with the
validation and error strings of the real channel, a re-join replies and then
closes the old channel (phx_close with the OLD join_ref), killmail_update
pushes (live: one kill, preload: up to 5, preload:true), idle close.

As the real server (v1.5), the join's "preload" options are ignored: a
join (and every re-join) sends, per subscribed system, the newest 5 kills
of the last 24 h, whatever was asked; an empty subscription gets nothing;
a kill matches by system or by victim/attacker character.  Each kill has
its own zkb.hash, sha1 of its id in hex (what the fake ESI accepts).

--rest-port-file starts the REST API (wkhttp.py) on a second port over
the same kills; --rest-log, --list-delay (seconds before a kill is
listed there: 300 on zKillboard, which the server asks).

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
  dupsome K                    push every K-th live kill twice (0: off)
  refuse S                     refuse WebSocket upgrades (503) for S seconds
  rest_fault SPEC              the next REST request(s) get a fault (wkhttp.py)
  burst N FIRST_ID SYSTEM      N live kills back to back
Every frame a client sends is logged to --log as one JSON line.
"""
import argparse
import asyncio
import base64
import copy
import hashlib
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
from fakews import SERVE_OPTS, follow_commands, json_log

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--commands", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--template", required=True, help="a killmail in the WandererKills shape")
ap.add_argument("--idle", type=float, default=45.0, help="close a silent client after this")
ap.add_argument("--dup", type=int, default=1, help="push each live kill this many times")
ap.add_argument("--tls-cert")
ap.add_argument("--tls-key")
ap.add_argument("--rest-port-file")
ap.add_argument("--rest-log", default="/dev/null")
ap.add_argument("--list-delay", type=float, default=300.0)
ap.add_argument("--esi-dir", help="write each kill's ESI body to DIR/<id>.json (for the fake ESI)")
args = ap.parse_args()

TEMPLATE = json.load(open(args.template))
store = []          # every kill ever stored
conns = {}          # id -> Conn
state = {"heartbeat": True, "join_error": 0, "next": 0, "dup": args.dup,
         "dupsome": 0, "pushed": 0, "refuse_until": 0.0}
rest = None
log = json_log(args.log)


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
    k["_at"] = time.time()               # published now
    k["zkb"] = dict(k.get("zkb") or {}, hash=hashlib.sha1(str(kid).encode()).hexdigest())
    if char:
        k["victim"]["character_id"] = char
    save_esi(k)
    return k


ESI_PARTY = ("character_id", "corporation_id", "alliance_id", "faction_id", "ship_type_id",
             "damage_taken", "damage_done", "final_blow", "security_status", "weapon_type_id",
             "position", "items")


def esi_body(k):
    """The kill as ESI has it: ESI's names, no names of things, no zkb."""
    def party(p):
        return {a: b for a, b in p.items() if a in ESI_PARTY and b is not None}
    return {"killmail_id": k["killmail_id"], "killmail_time": k["kill_time"],
            "solar_system_id": k["system_id"], "victim": party(k.get("victim", {})),
            "attackers": [party(a) for a in k.get("attackers", [])]}


def save_esi(k):
    if args.esi_dir:
        tmp = "%s/%d.json.tmp" % (args.esi_dir, k["killmail_id"])
        with open(tmp, "w") as f:
            json.dump(esi_body(k), f)
        os.replace(tmp, tmp[:-4])


def wire(k):
    return {key: v for key, v in k.items() if not key.startswith("_")}


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
    hours, limit = 24, 5                 # what the client asked is ignored
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
    if time.time() < state["refuse_until"]:
        log(event="refused")
        return HTTPStatus.SERVICE_UNAVAILABLE, [], b""
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
            state["pushed"] += 1
            times = state["dup"] + (1 if state["dupsome"] and state["pushed"] % state["dupsome"] == 0 else 0)
            for c in live:
                if c.wants(k):
                    for _ in range(times):
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
    elif w[0] == "dupsome":
        state["dupsome"] = int(w[1])
    elif w[0] == "refuse":
        state["refuse_until"] = time.time() + float(w[1])
    elif w[0] == "rest_fault":
        for spec in w[1:]:
            rest.fault(spec)
    elif w[0] == "join_error":
        state["join_error"] = int(w[1])


async def main():
    global rest
    if args.rest_port_file:
        import wkhttp
        rest = wkhttp.start(lambda: list(store), args.rest_port_file, args.rest_log, args.list_delay)
    ctx = None
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        ctx.sni_callback = lambda sock, name, c: log(event="sni", name=name)
    async with websockets.serve(handler, "127.0.0.1", 0, process_request=check_request,
                                ssl=ctx, **SERVE_OPTS) as server:
        publish_port(server.sockets[0].getsockname()[1], args.port_file)
        await follow_commands(args.commands, lambda line: command(line.strip()),
                              lambda line, e: log(event="command_error", line=line, error=repr(e)))


watch_parent()
asyncio.run(main())
