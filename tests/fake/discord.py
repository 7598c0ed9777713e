#!/usr/bin/python3
"""Fake Discord REST API for wn-discord's tests (Python standard library).

Serves, over HTTP/1.1 with keep-alive, on 127.0.0.1 and an ephemeral port:
  POST /api/v10/channels/{id}/messages          (Authorization: Bot TOKEN)
  POST /api/v10/webhooks/{id}/{token}[?wait=true]
and answers like Discord: message objects (200) or 204 without wait,
400/50035 "Invalid Form Body" trees when a body breaks Discord's limits,
401/403/404 with Discord's codes, per-webhook and per-channel buckets and a
global limit with the real X-RateLimit-* headers and 429 bodies.  With
enforce_nonce a repeated nonce returns the first message, as Discord does.

Faults (--fault SPEC, repeatable, or POST /_control/faults ["SPEC",...])
are used up by the following requests in order.  SPEC is KIND[:ARG][xN]:
  500 502 503          that status, JSON error body
  slow:S               wait S seconds, then answer normally
  hang:S               wait S seconds, then close without saving
  drop                 close the connection without an answer, not saved
  drop-after           save the message, then close without an answer
  truncate             save, then send a cut-off body and close
  badjson              save, then answer 200 with a body that is not JSON
  429[:S]              route 429, retry_after S (default 1.234), scope user
  429global[:S]        global 429 (X-RateLimit-Global, no bucket headers)
  429shared[:S]        shared-resource 429 (not an invalid request)
  cloudflare           429 without rate-limit headers or Retry-After (JSON)
  cloudflare-html      the same with a text/html "error code: 1015" body
  400                  a 50035 Invalid Form Body tree (embeds.0.description)
  401 403 404          Discord's bodies for the route (50027/0, 50013,
                       10015/10003)
Every saved message is appended to --record FILE as one JSON line
{"n","route","message_id","nonce","body"}; --stats FILE is rewritten after
every request with counters (requests, statuses, 429s, invalid requests,
connections, nonce hits, user agents, failed TLS handshakes).
With --tls-cert/--tls-key it serves HTTPS instead.
"""
import argparse
import hashlib
import json
import os
import re
import ssl
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit
import fakehttp
from fakehttp import Faults, listen, publish_port
import discord_app

LOCK = threading.Lock()
STATE = {}
EPOCH_SNOWFLAKE = 1420070400000
# Only the kinds listed above: an unknown kind ("500y2", "50O") must be
# refused, not served as a normal answer the test did not ask for.
FAULT_KINDS = ("500|502|503|slow|hang|drop|drop-after|truncate|badjson|429|429global"
               "|429shared|cloudflare|cloudflare-html|400|401|403|404")
FAULT_SPEC = r"(?:%s)(?::[0-9.]+)?(?:x\d+)?" % FAULT_KINDS


def snowflake():
    STATE["seq"] += 1
    ms = int(time.time() * 1000) - EPOCH_SNOWFLAKE
    return str((ms << 22) | (STATE["seq"] & 0x3FFFFF))


# ---- validation: Discord's limits (message.mdx "Embed Limits") ----

def chars(s):
    return len(s.strip())


def err(errors, path, code, message):
    node = errors
    for p in path:
        node = node.setdefault(str(p), {})
    node.setdefault("_errors", []).append({"code": code, "message": message})


def check_len(errors, obj, key, limit, path, required=False):
    v = obj.get(key)
    if v is None:
        if required:
            err(errors, path + [key], "BASE_TYPE_REQUIRED", "This field is required")
        return 0
    if not isinstance(v, str):
        err(errors, path + [key], "BASE_TYPE_STRING", "Must be a string.")
        return 0
    if chars(v) > limit:
        err(errors, path + [key], "BASE_TYPE_MAX_LENGTH",
            "Must be %d or fewer in length." % limit)
    if required and chars(v) == 0:
        err(errors, path + [key], "BASE_TYPE_REQUIRED", "This field is required")
    return chars(v)


def check_url(errors, obj, key, path, required=False):
    v = obj.get(key)
    if v is None:
        if required:
            err(errors, path + [key], "BASE_TYPE_REQUIRED", "This field is required")
        return
    if not isinstance(v, str) or not re.match(r"^https?://[^\s]+$", v) or len(v) > 2048:
        err(errors, path + [key], "URL_TYPE_INVALID_URL", "Not a well formed URL.")


def check_embed(errors, e, i):
    path = ["embeds", i]
    if not isinstance(e, dict):
        err(errors, path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
        return 0
    total = check_len(errors, e, "title", 256, path)
    total += check_len(errors, e, "description", 4096, path)
    check_url(errors, e, "url", path)
    if "color" in e and (not isinstance(e["color"], int) or isinstance(e["color"], bool)
                         or not 0 <= e["color"] <= 0xFFFFFF):
        err(errors, path + ["color"], "NUMBER_TYPE_MAX", "int value should be <= 16777215.")
    if "timestamp" in e and not (isinstance(e["timestamp"], str) and re.match(
            r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", e["timestamp"])):
        err(errors, path + ["timestamp"], "DATE_TIME_TYPE_PARSE", "Could not parse timestamp.")
    for k in ("image", "thumbnail"):
        if k in e:
            if isinstance(e[k], dict):
                check_url(errors, e[k], "url", path + [k], required=True)
            else:
                err(errors, path + [k], "MODEL_TYPE_CONVERT", "Must be an object.")
    if "footer" in e:
        total += check_len(errors, e["footer"], "text", 2048, path + ["footer"], True)
        check_url(errors, e["footer"], "icon_url", path + ["footer"])
    if "author" in e:
        total += check_len(errors, e["author"], "name", 256, path + ["author"], True)
        check_url(errors, e["author"], "url", path + ["author"])
        check_url(errors, e["author"], "icon_url", path + ["author"])
    fields = e.get("fields", [])
    if not isinstance(fields, list):
        err(errors, path + ["fields"], "BASE_TYPE_LIST", "Must be a list.")
        fields = []
    if len(fields) > 25:
        err(errors, path + ["fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for j, f in enumerate(fields[:50]):
        fp = path + ["fields", j]
        total += check_len(errors, f, "name", 256, fp, True)
        total += check_len(errors, f, "value", 1024, fp, True)
        if "inline" in f and not isinstance(f["inline"], bool):
            err(errors, fp + ["inline"], "BASE_TYPE_BOOLEAN", "Must be either true or false.")
    return total


def check_mentions(errors, am):
    if not isinstance(am, dict):
        err(errors, ["allowed_mentions"], "MODEL_TYPE_CONVERT", "Must be an object.")
        return
    parse = am.get("parse", [])
    for k in ("roles", "users"):
        ids = am.get(k, [])
        if not isinstance(ids, list) or len(ids) > 100:
            err(errors, ["allowed_mentions", k], "BASE_TYPE_MAX_LENGTH",
                "Must be 100 or fewer in length.")
        elif ids and k in parse:
            err(errors, ["allowed_mentions", "parse"], "SET_TYPE_ALREADY_CONTAINS_VALUE",
                "parse:%s and %s are mutually exclusive" % (k, k))
    if not isinstance(parse, list) or any(p not in ("users", "roles", "everyone") for p in parse):
        err(errors, ["allowed_mentions", "parse"], "BASE_TYPE_CHOICES",
            "Value must be one of {'users', 'roles', 'everyone'}.")


def validate(body, webhook):
    """(None, None) when valid, else (code, errors or message)."""
    if not isinstance(body, dict):
        return 50109, "The request body contains invalid JSON."
    content, embeds = body.get("content"), body.get("embeds")
    has_embeds = isinstance(embeds, list) and len(embeds) > 0
    if not (isinstance(content, str) and content.strip()) and not has_embeds:
        return 50006, "Cannot send an empty message"
    errors = {}
    check_len(errors, body, "content", 2000, [])
    if embeds is not None:
        if not isinstance(embeds, list):
            err(errors, ["embeds"], "BASE_TYPE_LIST", "Must be a list.")
        elif len(embeds) > 10:
            err(errors, ["embeds"], "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        else:
            total = sum(check_embed(errors, e, i) for i, e in enumerate(embeds))
            if total > 6000:
                err(errors, ["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    if "allowed_mentions" in body:
        check_mentions(errors, body["allowed_mentions"])
    if webhook:
        check_len(errors, body, "username", 80, [])
        check_url(errors, body, "avatar_url", [])
    elif "nonce" in body:
        n = body["nonce"]
        if not isinstance(n, (str, int)) or isinstance(n, bool) or len(str(n)) > 25:
            err(errors, ["nonce"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    if errors:
        return 50035, errors
    return None, None


# ---- rate limits ----

def bucket_take(key, limit, window, now):
    """Fixed window that starts with the first request, like Discord's."""
    b = STATE["buckets"].setdefault(key, {"remaining": limit, "reset": now + window})
    if now >= b["reset"]:
        b["remaining"], b["reset"] = limit, now + window
    if b["remaining"] == 0:
        return False, b
    b["remaining"] -= 1
    return True, b


def global_take(ident, limit, now):
    w = [t for t in STATE["global"].get(ident, []) if t > now - 1.0]
    STATE["global"][ident] = w
    if len(w) >= limit:
        return False, w[0] + 1.0 - now
    w.append(now)
    return True, 0.0


def ceil3(x):
    return int(x * 1000 + 0.999) / 1000.0


class Handler(fakehttp.Handler):
    server_version = "FakeDiscord/1.0"
    label = "fake-discord"
    nodelay = True
    control_adds = True      # a test may queue faults while others wait

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError):
                with LOCK:
                    STATE["stats"]["tls_failures"] += 1
                    dump_stats()
                raise
        super().setup()
        with LOCK:
            STATE["stats"]["connections"] += 1

    # -- replies --
    def reply(self, status, obj=None, headers=None, raw=None, ctype="application/json"):
        super().reply(status, raw if raw is not None else obj, headers or {}, ctype)
        with LOCK:
            s = STATE["stats"]
            s["status"][str(status)] = s["status"].get(str(status), 0) + 1
            if status in (401, 403) or (status == 429 and
                                        (headers or {}).get("X-RateLimit-Scope") != "shared"):
                s["invalid"] += 1
            if status == 429:
                s["429"] += 1
            dump_stats()

    def error(self, status, code, message, extra=None):
        body = {"message": message, "code": code}
        if extra:
            body["errors"] = extra
        self.reply(status, body)

    # -- routing --
    def app_route(self, method, raw=b""):
        return discord_app.route(self, method, urlsplit(self.path).path, raw, STATE, app_record)

    def do_PUT(self):
        if not self.app_route("PUT", self.read_body()):
            self.error(404, 0, "404: Not Found")

    def do_GET(self):
        if self.app_route("GET"):
            return
        if self.path == "/_control/stats":
            with LOCK:
                data = json.dumps(STATE["stats"]).encode()
            return self.reply(200, raw=data)
        self.error(404, 0, "404: Not Found")

    def do_POST(self):
        raw = self.read_body()
        url = urlsplit(self.path)
        if self.control("POST", url.path, raw):
            return
        if self.app_route("POST", raw):
            return
        m = re.match(r"^/api/v10/(?:channels/(\d+)/messages|webhooks/(\d+)/([^/]+))$", url.path)
        if not m:
            return self.error(404, 0, "404: Not Found")
        with LOCK:
            STATE["stats"]["requests"] += 1
            ua = self.headers.get("User-Agent", "")
            STATE["stats"]["user_agents"][ua] = STATE["stats"]["user_agents"].get(ua, 0) + 1
            fault = self.take_fault()
        if fault:
            fault = (fault["kind"], float(fault["arg"]) if fault["arg"] else None)
        if m.group(1):
            self.message(raw, "channel", m.group(1), None, True, fault)
        else:
            wait = parse_qs(url.query).get("wait", ["false"])[0].lower() in ("true", "1")
            self.message(raw, "webhook", m.group(2), m.group(3), wait, fault)

    def message(self, raw, kind, ident, token, wait, fault):
        route = "%s:%s" % (kind, ident)
        with LOCK:
            STATE["stats"]["by_route"][route] = STATE["stats"]["by_route"].get(route, 0) + 1
        kind_of_fault = fault[0] if fault else None
        if kind_of_fault in ("slow", "hang"):
            time.sleep(fault[1])
            if kind_of_fault == "hang":
                self.close_connection = True
                return
        if kind_of_fault == "drop":
            self.close_connection = True
            return
        if self.early_fault(kind, fault):
            return
        if not re.match(r"^DiscordBot \(\S+, [^)]+\)", self.headers.get("User-Agent", "")):
            return self.error(403, 40333, "internal network error")
        if not self.authorised(kind, ident, token):
            return
        if not self.rate_ok(kind, ident, token):
            return
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return self.error(400, 50035, "Invalid Form Body",
                              {"content": {"_errors": [{"code": "CONTENT_TYPE_INVALID",
                                                        "message": "Expected application/json"}]}})
        try:
            body = json.loads(raw)
        except ValueError:
            return self.error(400, 50109, "The request body contains invalid JSON.")
        code, detail = validate(body, kind == "webhook")
        if code == 50035:
            return self.error(400, 50035, "Invalid Form Body", detail)
        if code:
            return self.error(400, code, detail)
        msg = self.save(route, kind, ident, body)
        self.after_save(msg, wait, fault)

    def early_fault(self, kind, fault):
        """Faults answered before anything is saved; True when handled."""
        if not fault:
            return False
        k, arg = fault
        if k in ("500", "502", "503"):
            texts = {"500": "Internal Server Error", "502": "502: Bad Gateway",
                     "503": "Service Unavailable"}
            self.error(int(k), 0, texts[k])
        elif k == "429":
            self.rate_limited(arg or 1.234, False, "user", bucket=True)
        elif k == "429global":
            self.rate_limited(arg or 1.234, True, "global", bucket=False)
        elif k == "429shared":
            self.rate_limited(arg or 5.0, False, "shared", bucket=True,
                              message="The resource is being rate limited.")
        elif k == "cloudflare":
            self.reply(429, {"code": 0, "message": "You are being blocked from accessing our "
                             "API temporarily due to exceeding our rate limits frequently."})
        elif k == "cloudflare-html":
            self.reply(429, raw=b"error code: 1015", ctype="text/html")
        elif k == "401":
            if kind == "webhook":
                self.error(401, 50027, "Invalid Webhook Token")
            else:
                self.error(401, 0, "401: Unauthorized")
        elif k == "403":
            self.error(403, 50013, "Missing Permissions")
        elif k == "400":
            self.error(400, 50035, "Invalid Form Body", {"embeds": {"0": {"description": {
                "_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                             "message": "Must be 4096 or fewer in length."}]}}}})
        elif k == "404":
            self.unknown(kind)
        else:
            return False
        return True

    def unknown(self, kind):
        if kind == "webhook":
            self.error(404, 10015, "Unknown Webhook")
        else:
            self.error(404, 10003, "Unknown Channel")

    def authorised(self, kind, ident, token):
        a = STATE["args"]
        if kind == "webhook":
            hooks = dict(h.split(":", 1) for h in a.webhook)
            if ident not in hooks:
                self.unknown(kind)
                return False
            if hooks[ident] != token:
                self.error(401, 50027, "Invalid Webhook Token")
                return False
            return True
        if self.headers.get("Authorization") != "Bot " + (a.bot_token or ""):
            self.error(401, 0, "401: Unauthorized")
            return False
        if ident not in a.channel:
            self.unknown(kind)
            return False
        return True

    def rate_limited(self, retry_after, is_global, scope, bucket=True, message=None,
                     limit=None):
        body = {"message": message or "You are being rate limited.",
                "retry_after": round(retry_after, 3), "global": is_global}
        h = {"Retry-After": str(int(retry_after + 0.999)), "X-RateLimit-Scope": scope}
        if is_global:
            h["X-RateLimit-Global"] = "true"
        if bucket:
            h.update({"X-RateLimit-Limit": str(limit or 5), "X-RateLimit-Remaining": "0",
                      "X-RateLimit-Reset": "%.3f" % (time.time() + retry_after),
                      "X-RateLimit-Reset-After": "%.3f" % ceil3(retry_after),
                      "X-RateLimit-Bucket": "f" * 32})
        self.reply(429, body, h)

    def rate_ok(self, kind, ident, token):
        a = STATE["args"]
        now = time.monotonic()
        limit, window = a.webhook_limit if kind == "webhook" else a.channel_limit
        with LOCK:
            ok, wait = global_take(self.headers.get("Authorization") or "ip", a.global_limit, now)
            if ok:
                ok_b, b = bucket_take("%s:%s" % (kind, ident), limit, window, now)
                left = b["remaining"]
                reset_after = max(0.0, b["reset"] - now)
        if not ok:
            self.rate_limited(wait, True, "global", bucket=False)
            return False
        hdrs = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(left),
                "X-RateLimit-Reset": "%.3f" % (time.time() + reset_after),
                "X-RateLimit-Reset-After": "%.3f" % ceil3(reset_after),
                "X-RateLimit-Bucket": hashlib.sha1(kind.encode()).hexdigest()[:32]}
        if not ok_b:
            self.rate_limited(reset_after, False, "user", limit=limit)
            return False
        self.rl_headers = hdrs
        return True

    def save(self, route, kind, ident, body):
        with LOCK:
            nonce = body.get("nonce") if kind == "channel" else None
            key = (route, str(nonce))
            if nonce is not None and body.get("enforce_nonce") and key in STATE["nonces"]:
                old, at = STATE["nonces"][key]
                if time.monotonic() - at < 300:
                    STATE["stats"]["nonce_hits"] += 1
                    return old
            mid = snowflake()
            msg = {"id": mid, "channel_id": ident if kind == "channel" else "290926798999357250",
                   "type": 0, "content": body.get("content", ""), "embeds": body.get("embeds", []),
                   "attachments": [], "mentions": [], "mention_roles": [], "pinned": False,
                   "mention_everyone": False, "tts": False,
                   "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime()),
                   "edited_timestamp": None,
                   "author": {"id": ident, "username": "wn", "bot": True}}
            if kind == "webhook":
                msg["webhook_id"] = ident
            if nonce is not None:
                msg["nonce"] = nonce
                STATE["nonces"][key] = (msg, time.monotonic())
            STATE["stats"]["accepted"] += 1
            rec = {"n": STATE["stats"]["accepted"], "route": route, "message_id": mid,
                   "nonce": nonce, "body": body}
            STATE["record"].write(json.dumps(rec) + "\n")
            STATE["record"].flush()
            return msg

    def after_save(self, msg, wait, fault):
        if STATE["args"].latency:
            time.sleep(STATE["args"].latency)   # saved, answer still on its way
        k = fault[0] if fault else None
        if k == "drop-after":
            self.close_connection = True
            return
        if k == "truncate":
            data = json.dumps(msg).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 3])
            self.wfile.flush()
            self.close_connection = True
            return
        if k == "badjson":
            return self.reply(200, raw=b'{"id": "12', headers=self.rl_headers)
        if not wait:
            return self.reply(204, headers=self.rl_headers)
        self.reply(200, msg, self.rl_headers)


def app_record(rec):
    with LOCK:
        STATE["record"].write(json.dumps(rec) + "\n")
        STATE["record"].flush()


def dump_stats():
    path = STATE["args"].stats
    if path:
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(STATE["stats"], f)
        os.replace(tmp, path)


def limit_arg(s):
    n, w = s.split("/")
    return int(n), float(w)


def main():
    ap = argparse.ArgumentParser(description="fake Discord REST API")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--record", required=True, help="JSONL of saved messages")
    ap.add_argument("--stats", help="JSON counters, rewritten after each request")
    ap.add_argument("--webhook", action="append", default=[], help="ID:TOKEN")
    ap.add_argument("--channel", action="append", default=[], help="channel id")
    ap.add_argument("--bot-token")
    ap.add_argument("--webhook-limit", type=limit_arg, default=(5, 2.0), help="N/SECONDS")
    ap.add_argument("--channel-limit", type=limit_arg, default=(5, 5.0), help="N/SECONDS")
    ap.add_argument("--global-limit", type=int, default=50, help="requests per second")
    ap.add_argument("--fault", action="append", default=[])
    ap.add_argument("--latency", type=float, default=0.0,
                    help="seconds between saving a message and answering")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="and this key (PEM)")
    ap.add_argument("-v", "--verbose", action="store_true")
    discord_app.setup(ap)
    a = ap.parse_args()
    STATE.update({"global": {}})
    Handler.faults = Faults(a.fault, FAULT_SPEC)
    Handler.verbose = a.verbose
    STATE.update(args=a, seq=0, buckets={}, nonces={},
                 record=open(a.record, "a"),
                 stats={"requests": 0, "accepted": 0, "status": {}, "429": 0, "invalid": 0,
                        "connections": 0, "nonce_hits": 0, "tls_failures": 0, "by_route": {}, "user_agents": {}})
    srv = listen(Handler, a.tls_cert, a.tls_key, handshake_in_thread=True)
    dump_stats()
    publish_port(srv, a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
