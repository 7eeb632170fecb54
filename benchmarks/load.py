"""Load generators: `wrk` (Debian package) when present, else a threaded keep-alive Python client.

A `Workload` is one kind of request. Writes need a fresh name each time (and rule limits need
them spread over modules and orgs), so bodies are templates: `{g}` is a run-wide request number,
`{module}` and `{action_*}` rotate with it, and the token moves to the next org every
`per_token` requests (under wrk each thread numbers and fills its own orgs).
"""

from __future__ import annotations

import http.client
import itertools
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import tool


@dataclass
class Workload:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # a template: {g}, {module}, {action_type}, {action_id}
    modules: list[tuple[str, str, str]] = field(default_factory=list)  # (module, type, id)
    tokens: list[str] = field(default_factory=list)
    per_token: int = 0

    def request(self, g: int) -> tuple[dict[str, str], bytes | None]:
        headers = dict(self.headers)
        if self.tokens:
            token = self.tokens[min(g // self.per_token, len(self.tokens) - 1)]
            headers["Authorization"] = f"Zoho-oauthtoken {token}"
        if self.body is None:
            return headers, None
        choice = self.modules[g % len(self.modules)] if self.modules else ("", "", "")
        module, action_type, action_id = choice
        text = self.body.replace("{g}", str(g)).replace("{module}", module)
        text = text.replace("{action_type}", action_type).replace("{action_id}", action_id)
        return headers, text.encode()


@dataclass
class Outcome:
    rps: float
    errors: int  # answers other than 2xx, and failed connections
    tool: str
    detail: str = ""  # what the tool said of the errors


# The plan's choice (benchmarks/__main__.py): wrk when installed, or always the Python client.
USE_WRK = True


def uses_wrk() -> bool:
    return USE_WRK and tool("wrk") is not None


def run(url: str, work: Workload, seconds: float, connections: int, threads: int = 2) -> Outcome:
    if uses_wrk():
        return _wrk(url, work, seconds, connections, threads)
    return _python(url, work, seconds, connections)


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def _wrk_script(work: Workload, threads: int) -> str:
    """Lua for wrk: the same templates as Workload.request, numbered per thread."""
    headers = "".join(
        f"  wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}\n" for k, v in work.headers.items()
    )
    modules = (
        ", ".join("{" + ", ".join(_lua_string(x) for x in m) + "}" for m in work.modules) or "{''}"
    )
    tokens = ", ".join(_lua_string(t) for t in work.tokens)
    body = _lua_string(work.body) if work.body is not None else "nil"
    return f"""
local threads = {{}}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
local n = 0
local modules = {{{modules}}}
local tokens = {{{tokens}}}
local body = {body}
function request()
{headers}
  local g = n * {threads} + tid
  if #tokens > 0 then
    -- Each thread fills its own orgs (thread t: orgs t, t + threads, ...), per_token each.
    local k = math.floor(n / {max(work.per_token, 1)}) * {threads} + tid
    wrk.headers["Authorization"] = "Zoho-oauthtoken " .. tokens[math.min(k, #tokens - 1) + 1]
  end
  local m = modules[(n % #modules) + 1]
  n = n + 1
  local text = nil
  if body then
    text = body:gsub("{{g}}", tostring(g)):gsub("{{module}}", m[1] or "")
    text = text:gsub("{{action_type}}", m[2] or ""):gsub("{{action_id}}", m[3] or "")
  end
  return wrk.format({_lua_string(work.method)}, {_lua_string(work.path)}, nil, text)
end
"""


def _wrk(url: str, work: Workload, seconds: float, connections: int, threads: int) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "work.lua"
        script.write_text(_wrk_script(work, threads))
        cmd = [
            "wrk", f"-t{threads}", f"-c{max(connections, threads)}",
            f"-d{max(1, round(seconds))}s", "-s", str(script), url,
        ]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    if done.stderr.strip():  # a Lua error: wrk would go on sending its default request
        raise RuntimeError(f"wrk: {done.stderr.strip()}")
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:  # connect, read and write errors; a slow answer (timeout) is no error
        counts = dict(re.findall(r"(\w+) (\d+)", socket_errors.group(1)))
        errors += sum(int(v) for k, v in counts.items() if k != "timeout")
    detail = "; ".join(m.group(0) for m in (bad, socket_errors) if m)
    return Outcome(rps, errors, "wrk", detail)


def _python(url: str, work: Workload, seconds: float, connections: int) -> Outcome:
    host, port = url.removeprefix("http://").split(":")
    counter = itertools.count()
    done, errors = [0] * connections, [0] * connections
    failures = [Counter[str]() for _ in range(connections)]  # statuses, exceptions
    deadline = time.perf_counter() + seconds

    def client(slot: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        # At least one request each: on a loaded machine a thread can start after the deadline.
        while True:
            headers, body = work.request(next(counter))
            try:
                conn.request(work.method, work.path, body=body, headers=headers)
                answer = conn.getresponse()
                answer.read()
                ok = 200 <= answer.status < 300
                failure = "" if ok else f"status {answer.status}"
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                ok, failure = False, repr(exc)
            done[slot] += 1
            errors[slot] += not ok
            if failure:
                failures[slot][failure] += 1
            if time.perf_counter() >= deadline:
                break
        conn.close()

    start = time.perf_counter()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    detail = "; ".join(f"{n} x {what}" for what, n in sum(failures, Counter()).most_common(3))
    return Outcome(sum(done) / (time.perf_counter() - start), sum(errors), "python", detail)
