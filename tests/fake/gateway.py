#!/usr/bin/python3
"""Fake Discord Gateway (v10, encoding=json) on python3-websockets 10.4, for
wn-gateway's tests.  Built from Discord's public Gateway documentation, and
no kinder than Discord:

- the URL must carry v=10 (else close 4012) and encoding=json (else 4002);
- HELLO first; a client that sends no heartbeat within 1.5 intervals is
  closed with 4009 (session timed out); each heartbeat is ACKed (op 11)
  unless the test turns ACKs off;
- any payload but a heartbeat before IDENTIFY/RESUME closes with 4003; a
  second IDENTIFY with 4005; a bad token with 4004; intents that are not a
  number or carry unknown bits with 4013, privileged ones (GUILD_MEMBERS,
  GUILD_PRESENCES, MESSAGE_CONTENT) with 4014; a missing properties object
  with 4002; an IDENTIFY less than 5 s after the previous one, or with no
  session starts left, with 4008 (rate limited); unknown opcodes with 4001;
  bad JSON or binary frames with 4002; more than 120 payloads a minute
  with 4008;
- READY carries session_id and a resume_gateway_url on a SECOND port: a
  RESUME there replays every dispatch after the given seq, then RESUMED;
  an unknown session gets op 9 false, a seq beyond the session's with 4007;
  a RESUME on the main port is treated as a stale session (op 9 false);
- after READY, GUILD_CREATE for the guild in --guild (a JSON file: id,
  afk_channel_id, channels, voice_states); voice states dispatched later
  are applied to it, so a fresh IDENTIFY sees the current voice.

Driven by --commands (JSON lines appended by the test):
  {"do":"dispatch","t":NAME,"d":{...}}  dispatch to the session (buffered
                                        for replay when nobody is connected)
  {"do":"drop","then":[{"t":..,"d":..}]} cut TCP, then queue these events
  {"do":"reconnect"}                    op 7
  {"do":"invalid","d":false}            op 9
  {"do":"close","code":4004}            close with that code
  {"do":"ack","on":false}               stop (or resume) ACKing heartbeats
  {"do":"ask_heartbeat"}                server op 1
Every interaction dispatched is appended to --interactions as
{"id","token","at"} for the fake REST API's callback route.  The session
starts left are kept in --starts (read by GET /gateway/bot).  What the
client does is logged to --log as JSON lines (never the token).

Checked once (2026-12-08) against discord.js's own Gateway client,
@discordjs/ws 1.2.3 on Node 20, installed with npm in a directory outside
the repository and pointed at this fake: it identified (intents 129,
properties accepted), got READY and GUILD_CREATE, had every heartbeat
ACKed, resumed on the resume_gateway_url port after op 7 (closing with
its own code 4200) and after a dropped TCP connection (1006), got the
event queued meanwhile replayed, then RESUMED; the fake closed it with no
error code.  Nothing of discord.js is kept here.
"""
import argparse
import asyncio
import json
import os
import random
import string
import time
from urllib.parse import urlparse, parse_qs

import websockets
from fakehttp import publish_port
from fakews import SERVE_OPTS, follow_commands, json_log

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--commands", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--token", required=True)
ap.add_argument("--app-id", default="1000000000000000001")
ap.add_argument("--guild", help="GUILD_CREATE data (JSON file)")
ap.add_argument("--interval", type=int, default=41250, help="heartbeat_interval ms")
ap.add_argument("--interactions", required=True)
ap.add_argument("--starts", required=True, help="JSON file: session starts left")
ap.add_argument("--starts-left", type=int, default=1000)
args = ap.parse_args()

PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)
KNOWN = (1 << 26) - 1
log = json_log(args.log)
guild = json.load(open(args.guild)) if args.guild else None
sessions = {}      # id -> Session
conns = {}         # n -> Conn
state = {"ack": True, "last_identify": 0.0, "conn": 0, "resume_port": 0,
         "starts": args.starts_left}


def save_starts():
    tmp = args.starts + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"remaining": state["starts"], "reset_after": 3600000}, f)
    os.replace(tmp, args.starts)


class Session:
    def __init__(self):
        self.id = "".join(random.choice(string.hexdigits.lower()) for _ in range(32))
        self.seq = 0
        self.events = []      # (seq, payload text), bounded
        self.conn = None

    def add(self, t, d):
        self.seq += 1
        p = json.dumps({"op": 0, "t": t, "s": self.seq, "d": d})
        self.events.append((self.seq, p))
        del self.events[:-2000]
        return p


class Conn:
    def __init__(self, ws, port):
        state["conn"] += 1
        self.n = state["conn"]
        self.ws = ws
        self.port = port
        self.session = None
        self.identified = False
        self.last_hb = time.monotonic()
        self.sent = []

    async def send(self, obj):
        await self.ws.send(obj if isinstance(obj, str) else json.dumps(obj))

    async def close(self, code, reason):
        log(conn=self.n, ev="close_sent", code=code, reason=reason)
        await self.ws.close(code, reason)


def apply_voice(t, d):
    if not guild or t != "VOICE_STATE_UPDATE" or d.get("guild_id") != guild["id"]:
        return
    vs = [v for v in guild.get("voice_states", []) if v.get("user_id") != d.get("user_id")]
    if d.get("channel_id"):
        vs.append({k: v for k, v in d.items() if k != "guild_id"})
    guild["voice_states"] = vs


async def dispatch(t, d):
    apply_voice(t, d)
    if t == "INTERACTION_CREATE":
        with open(args.interactions, "a") as f:
            f.write(json.dumps({"id": d.get("id"), "token": d.get("token"), "at": time.time()}) + "\n")
    for s in sessions.values():
        p = s.add(t, d)
        if s.conn:
            await s.conn.send(p)
            log(conn=s.conn.n, ev="dispatched", t=t, s=s.seq)
        else:
            log(ev="queued", t=t, s=s.seq)


async def identify(c, d):
    if c.identified:
        return await c.close(4005, "Already authenticated.")
    if not isinstance(d, dict) or d.get("token") != args.token:
        return await c.close(4004, "Authentication failed.")
    intents = d.get("intents")
    if not isinstance(intents, int) or isinstance(intents, bool) or intents & ~KNOWN:
        return await c.close(4013, "Invalid intent(s).")
    if intents & PRIVILEGED:
        return await c.close(4014, "Disallowed intent(s).")
    props = d.get("properties")
    if not isinstance(props, dict) or not all(isinstance(props.get(k), str) for k in ("os", "browser", "device")):
        return await c.close(4002, "Error while decoding payload.")
    now = time.monotonic()
    if now - state["last_identify"] < 5.0 or state["starts"] <= 0:
        log(conn=c.n, ev="identify_refused", intents=intents)
        return await c.close(4008, "Rate limited.")
    state["last_identify"] = now
    state["starts"] -= 1
    save_starts()
    c.identified = True
    s = Session()
    sessions.clear()          # one shard: a new session replaces the old
    sessions[s.id] = s
    s.conn = c
    c.session = s
    log(conn=c.n, ev="identify", intents=intents, port=c.port, properties=props)
    ready = {"v": 10, "user": {"id": args.app_id, "username": "wn", "discriminator": "0", "bot": True},
             "guilds": [{"id": guild["id"], "unavailable": True}] if guild else [],
             "session_id": s.id, "resume_gateway_url": "ws://127.0.0.1:%d" % state["resume_port"],
             "shard": [0, 1], "application": {"id": args.app_id, "flags": 0}}
    await c.send(s.add("READY", ready))
    if guild:
        await c.send(s.add("GUILD_CREATE", guild))


async def resume(c, d):
    if c.identified:
        return await c.close(4005, "Already authenticated.")
    if not isinstance(d, dict) or d.get("token") != args.token:
        return await c.close(4004, "Authentication failed.")
    s = sessions.get(d.get("session_id"))
    seq = d.get("seq")
    log(conn=c.n, ev="resume", seq=seq, port=c.port, known=s is not None)
    if s is None or c.port != "resume":
        await c.send({"op": 9, "d": False})
        return
    if not isinstance(seq, int) or seq > s.seq or seq < 0:
        return await c.close(4007, "Invalid seq.")
    if s.conn and s.conn is not c:
        await s.conn.close(4000, "session resumed elsewhere")
    s.conn = c
    c.session = s
    c.identified = True
    replay = [p for (q, p) in s.events if q > seq]
    for p in replay:
        await c.send(p)
    log(conn=c.n, ev="replayed", n=len(replay), seq=seq)
    await c.send(s.add("RESUMED", None))


async def watchdog(c):
    limit = args.interval * 1.5 / 1000.0
    while True:
        await asyncio.sleep(0.05)
        if time.monotonic() - c.last_hb > limit:
            log(conn=c.n, ev="heartbeat_timeout")
            await c.close(4009, "Session timed out.")
            return


async def payload(c, text):
    if isinstance(text, bytes):
        return await c.close(4002, "Error while decoding payload.")
    try:
        p = json.loads(text)
        op = p["op"]
    except (ValueError, KeyError, TypeError):
        return await c.close(4002, "Error while decoding payload.")
    now = time.monotonic()
    c.sent = [x for x in c.sent if now - x < 60] + [now]
    if len(c.sent) > 120:
        return await c.close(4008, "Rate limited.")
    d = p.get("d")
    if op == 1:
        c.last_hb = now
        log(conn=c.n, ev="heartbeat", d=d, seq=c.session.seq if c.session else None)
        if state["ack"]:
            await c.send({"op": 11})
    elif op == 2:
        await identify(c, d)
    elif op == 6:
        await resume(c, d)
    elif op in (3, 4, 8, 31):
        if not c.identified:
            return await c.close(4003, "Not authenticated.")
        log(conn=c.n, ev="op", op=op)
    else:
        await c.close(4001, "Unknown opcode.")


def handler_for(port):
    async def handler(ws, path):
        q = parse_qs(urlparse(path).query)
        c = Conn(ws, port)
        conns[c.n] = c
        log(conn=c.n, ev="open", port=port, path=path)
        try:
            if q.get("v") != ["10"]:
                return await c.close(4012, "Invalid API version")
            if q.get("encoding") != ["json"]:
                return await c.close(4002, "Error while decoding payload.")
            await c.send({"op": 10, "d": {"heartbeat_interval": args.interval}})
            dog = asyncio.ensure_future(watchdog(c))
            try:
                async for text in ws:
                    await payload(c, text)
            finally:
                dog.cancel()
        except websockets.ConnectionClosed:
            pass
        finally:
            code = ws.close_code
            log(conn=c.n, ev="closed", code=code)
            if c.session and c.session.conn is c:
                c.session.conn = None
            conns.pop(c.n, None)
    return handler


async def command(cmd):
    log(ev="command", cmd=cmd.get("do"))
    live = list(conns.values())
    k = cmd.get("do")
    if k == "dispatch":
        await dispatch(cmd["t"], cmd["d"])
    elif k == "drop":
        for c in live:
            if c.session and c.session.conn is c:
                c.session.conn = None
            c.ws.transport.abort()
        await asyncio.sleep(0.05)
        for e in cmd.get("then", []):
            await dispatch(e["t"], e["d"])
    elif k == "reconnect":
        for c in live:
            await c.send({"op": 7, "d": None})
    elif k == "invalid":
        for c in live:
            await c.send({"op": 9, "d": bool(cmd.get("d"))})
    elif k == "close":
        for c in live:
            await c.close(int(cmd["code"]), "closed by the test")
    elif k == "ack":
        state["ack"] = bool(cmd.get("on"))
    elif k == "ask_heartbeat":
        for c in live:
            await c.send({"op": 1, "d": None})


async def command_line(line):
    if line.strip():
        await command(json.loads(line))


async def main():
    save_starts()
    opts = SERVE_OPTS
    async with websockets.serve(handler_for("main"), "127.0.0.1", 0, **opts) as main_srv, \
            websockets.serve(handler_for("resume"), "127.0.0.1", 0, **opts) as res_srv:
        state["resume_port"] = res_srv.sockets[0].getsockname()[1]
        publish_port(main_srv.sockets[0].getsockname()[1], args.port_file)
        await follow_commands(args.commands, command_line,
                              lambda line, e: log(ev="command_error", line=line, error=repr(e)))


asyncio.run(main())
