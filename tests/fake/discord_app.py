"""discord_app.py — the application routes of the fake Discord REST API
(discord.py), for wn-gateway's tests, as Discord documents them:

  GET  /api/v10/gateway/bot                      Bot token; url + session_start_limit
  PUT  /api/v10/applications/{app}/commands      bulk overwrite (global)
  PUT  /api/v10/applications/{app}/guilds/{g}/commands   (guild)
  POST /api/v10/interactions/{id}/{token}/callback      no token needed

Command bodies are checked against Discord's limits (names 1-32 lower-case
characters, descriptions 1-100, at most 25 options and choices, required
options first, no choices beside autocomplete, subcommands without
required).  A callback must name an interaction the fake Gateway sent
(--app-dir/interactions.jsonl), within 3 s of it, and only once: else
10062 Unknown interaction / 40060 already acknowledged, as Discord does.
Everything accepted is recorded as {"route":..,"body":..,"auth":bool}.
"""
import json
import re
import time

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")
ANSWERED = set()


def setup(ap):
    ap.add_argument("--app-dir", help="the fake gateway's files: gateway.port, interactions.jsonl, starts.json")


def _read(path, default):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def _check_options(errs, opts, path, depth):
    if not isinstance(opts, list) or len(opts) > 25:
        errs.append(path + ": at most 25 options")
        return
    seen_optional = False
    for i, o in enumerate(opts):
        p = "%s.%d" % (path, i)
        if not isinstance(o, dict) or not NAME.match(str(o.get("name", ""))):
            errs.append(p + ".name")
            continue
        d = o.get("description", "")
        if not isinstance(d, str) or not 1 <= len(d) <= 100:
            errs.append(p + ".description")
        t = o.get("type")
        if t in (1, 2):
            if depth > 1 or o.get("required"):
                errs.append(p + ": subcommands cannot nest here or be required")
            _check_options(errs, o.get("options", []), p + ".options", depth + 1)
            continue
        if t not in range(3, 12):
            errs.append(p + ".type")
        if o.get("required"):
            if seen_optional:
                errs.append(p + ": required options must come first")
        else:
            seen_optional = True
        ch = o.get("choices")
        if ch is not None:
            if o.get("autocomplete"):
                errs.append(p + ": autocomplete cannot have choices")
            if not isinstance(ch, list) or len(ch) > 25:
                errs.append(p + ".choices")
            else:
                for c in ch:
                    if not (isinstance(c, dict) and 1 <= len(str(c.get("name", ""))) <= 100 and "value" in c):
                        errs.append(p + ".choices: bad choice")


def check_commands(body):
    errs = []
    if not isinstance(body, list) or len(body) > 100:
        return ["body must be an array of at most 100 commands"]
    for i, c in enumerate(body):
        if not isinstance(c, dict) or not NAME.match(str(c.get("name", ""))):
            errs.append("%d.name" % i)
            continue
        if not 1 <= len(str(c.get("description", ""))) <= 100:
            errs.append("%d.description" % i)
        dmp = c.get("default_member_permissions")
        if dmp is not None and not (isinstance(dmp, str) and dmp.isdigit()):
            errs.append("%d.default_member_permissions must be a string of digits" % i)
        _check_options(errs, c.get("options", []), "%d.options" % i, 1)
    return errs


def _interaction(app_dir, iid, token):
    for line in _read(app_dir + "/interactions.jsonl", "").splitlines():
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if r.get("id") == iid and r.get("token") == token:
            return r
    return None


def check_response(body):
    if not isinstance(body, dict) or body.get("type") not in (1, 4, 5, 6, 7, 8, 9):
        return "type"
    d = body.get("data") or {}
    if body["type"] == 4:
        c = d.get("content")
        if not (isinstance(c, str) and 1 <= len(c) <= 2000) and not d.get("embeds"):
            return "data.content"
    if body["type"] == 8:
        ch = d.get("choices")
        if not isinstance(ch, list) or len(ch) > 25:
            return "data.choices"
        for c in ch:
            if not (1 <= len(str(c.get("name", ""))) <= 100 and len(str(c.get("value", ""))) <= 100):
                return "data.choices: bad choice"
    return None


def route(h, method, path, raw, state, record):
    """True when this module answered the request."""
    a = state["args"]
    if not a.app_dir or not path.startswith("/api/v10/"):
        return False
    auth = h.headers.get("Authorization")
    bot_ok = a.bot_token is not None and auth == "Bot " + a.bot_token
    if method == "GET" and path == "/api/v10/gateway/bot":
        if not bot_ok:
            h.error(401, 0, "401: Unauthorized")
            return True
        port = _read(a.app_dir + "/gateway.port", "").strip()
        starts = json.loads(_read(a.app_dir + "/starts.json", '{"remaining":1000,"reset_after":0}'))
        h.reply(200, {"url": "ws://127.0.0.1:" + port, "shards": 1,
                      "session_start_limit": {"total": 1000, "remaining": starts["remaining"],
                                              "reset_after": starts["reset_after"], "max_concurrency": 1}})
        record({"route": "gateway_bot"})
        return True
    m = re.match(r"^/api/v10/applications/(\d+)(?:/guilds/(\d+))?/commands$", path)
    if method == "PUT" and m:
        if not bot_ok:
            h.error(401, 0, "401: Unauthorized")
            return True
        try:
            body = json.loads(raw)
        except ValueError:
            h.error(400, 50109, "The request body contains invalid JSON.")
            return True
        errs = check_commands(body)
        if errs:
            h.error(400, 50035, "Invalid Form Body", {"_errors": [{"message": e} for e in errs]})
            return True
        record({"route": "commands", "app": m.group(1), "guild": m.group(2), "body": body})
        out = [dict(c, id=str(1100000000000000000 + i), application_id=m.group(1), version="1")
               for i, c in enumerate(body)]
        h.reply(200, out)
        return True
    m = re.match(r"^/api/v10/interactions/(\d+)/([^/]+)/callback$", path)
    if method == "POST" and m:
        r = _interaction(a.app_dir, m.group(1), m.group(2))
        if r is None or time.time() - r["at"] > 3.0:
            h.error(404, 10062, "Unknown interaction")
            return True
        if m.group(1) in ANSWERED:
            h.error(400, 40060, "Interaction has already been acknowledged.")
            return True
        try:
            body = json.loads(raw)
        except ValueError:
            h.error(400, 50109, "The request body contains invalid JSON.")
            return True
        bad = check_response(body)
        if bad:
            h.error(400, 50035, "Invalid Form Body", {"_errors": [{"message": bad}]})
            return True
        ANSWERED.add(m.group(1))
        record({"route": "interaction", "id": m.group(1), "body": body, "auth": auth is not None})
        h.reply(204)
        return True
    return False
