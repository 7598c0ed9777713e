"""What the WebSocket fakes (gateway.py, wskills.py) share, as fakehttp.py
is for the HTTP ones: the JSON-lines log, the server options, and the
command file the test appends to while the fake runs."""
import asyncio
import json
import time

# No pings of our own (the real servers leave keepalive to the client's
# heartbeats) and the clients' own message limit.
SERVE_OPTS = dict(ping_interval=None, max_size=1 << 20)


def json_log(path):
    """A log(**fields) writing one JSON line a call, stamped with the time."""
    f = open(path, "a", buffering=1)

    def log(**kw):
        kw["t"] = round(time.time(), 3)
        f.write(json.dumps(kw, separators=(",", ":")) + "\n")
    return log


async def follow_commands(path, run, on_error):
    """await run(line) for every whole line appended to path, forever;
    on_error(line, exc) when one raises: a test mistake must show, not
    kill the fake."""
    pos = 0
    while True:
        try:
            with open(path) as f:
                f.seek(pos)
                data = f.read()
        except FileNotFoundError:
            data = ""
        # only whole lines; the rest waits for the writer to finish it
        end = data.rfind("\n") + 1
        pos += len(data[:end].encode())
        for line in data[:end].splitlines():
            try:
                await run(line)
            except Exception as e:
                on_error(line, e)
        await asyncio.sleep(0.05)
