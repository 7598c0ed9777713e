#!/usr/bin/python3
"""Fake zKillboard R2Z2 (python stdlib HTTP) on 127.0.0.1 for wn-kills tests.

  GET /ephemeral/sequence.json -> {"sequence": N}, lagging the head by --lag
  GET /ephemeral/{N}.json      -> the killmail file, or 404 until published

Driven by a command file (--commands), one command a line:
  publish ID SYSTEM [CHAR]   publish the next sequence number
  gap                        allocate a number that is never published
  update N                   change file N (zkb.totalValue); the next file
                             published carries "sequence_updated": N
  throttle K                 answer the next K requests with 429, Retry-After: 1
  bad                        publish the next number with a body that is not JSON
Every request is logged to --log as one JSON line (time, path, status).
More than --max-rate requests in any second get 429 and are logged as
"over_rate" (R2Z2 bans clients that go over its limit).
"""
import argparse
import copy
import datetime
import json
import threading
import time
import fakehttp
from fakehttp import listen, publish_port

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--commands", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--template", required=True, help="an R2Z2 file")
ap.add_argument("--first", type=int, default=95000000)
ap.add_argument("--lag", type=int, default=0, help="sequence.json lags the head by this much")
ap.add_argument("--max-rate", type=int, default=20)
args = ap.parse_args()

TEMPLATE = json.load(open(args.template))
lock = threading.Lock()
files = {}                       # N -> body bytes
state = {"head": args.first - 1, "throttle": 0, "updated": None, "recent": []}
logf = open(args.log, "a", buffering=1)


def log(**kw):
    kw["t"] = round(time.time(), 3)
    logf.write(json.dumps(kw, separators=(",", ":")) + "\n")


def make_file(n, kid, system, char):
    f = copy.deepcopy(TEMPLATE)
    f["killmail_id"] = f["esi"]["killmail_id"] = kid
    f["esi"]["solar_system_id"] = system
    f["esi"]["killmail_time"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if char:
        f["esi"]["victim"]["character_id"] = char
    f["sequence_id"] = n
    f["uploaded_at"] = int(time.time())
    if state["updated"] is not None:
        f["sequence_updated"] = state["updated"]
        state["updated"] = None
    return f


def command(line):
    w = line.split()
    if not w:
        return
    log(event="command", line=line)
    with lock:
        if w[0] == "publish":
            n = state["head"] + 1
            files[n] = json.dumps(make_file(n, int(w[1]), int(w[2]), int(w[3]) if len(w) > 3 else None)).encode()
            state["head"] = n
        elif w[0] == "gap":
            state["head"] += 1
        elif w[0] == "bad":
            state["head"] += 1
            files[state["head"]] = b'{"killmail_id": 1, "esi": {trunc'
        elif w[0] == "update":
            n = int(w[1])
            f = json.loads(files[n])
            f["zkb"]["totalValue"] = 1.0e9
            files[n] = json.dumps(f).encode()
            state["updated"] = n
        elif w[0] == "throttle":
            state["throttle"] = int(w[1])


def follow_commands():
    pos = 0
    while True:
        try:
            with open(args.commands, "rb") as f:
                f.seek(pos)
                data = f.read()
        except FileNotFoundError:
            data = b""
        end = data.rfind(b"\n") + 1
        pos += end
        for line in data[:end].decode().splitlines():
            try:
                command(line.strip())
            except Exception as e:
                log(event="command_error", line=line, error=repr(e))
        time.sleep(0.05)


class Handler(fakehttp.Handler):
    label = "fake-r2z2"

    def reply(self, status, body=b"", headers=(), ctype="application/json"):
        super().reply(status, body, headers, ctype)
        log(path=self.path, status=status)

    def do_GET(self):
        now = time.time()
        with lock:
            state["recent"] = [t for t in state["recent"] if t > now - 1] + [now]
            over = len(state["recent"]) > args.max_rate
            throttled = state["throttle"] > 0
            if throttled:
                state["throttle"] -= 1
            head = state["head"]
            name = self.path.rsplit("/", 1)[-1]
            body = files.get(int(name[:-5])) if name[:-5].isdigit() else None
        if over:
            log(event="over_rate")
            return self.reply(429, b'{"error":"rate limited"}', [("Retry-After", "1")])
        if throttled:
            return self.reply(429, b'{"error":"slow down"}', [("Retry-After", "1")])
        if not self.path.startswith("/ephemeral/"):
            return self.reply(404, b"")
        if name == "sequence.json":
            seq = max(head - args.lag, args.first - 1)
            return self.reply(200, json.dumps({"sequence": seq}).encode())
        if body is None:
            return self.reply(404, b"<html>Not Found</html>")
        return self.reply(200, body)


server = listen(Handler)
threading.Thread(target=follow_commands, daemon=True).start()
publish_port(server, args.port_file)
server.serve_forever()
