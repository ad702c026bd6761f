"""Drive a URL with wrk on loopback and read its figures."""

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}

# Sent with every request, to every server, as a current browser sends them: the academy then does the
# work a browser makes it do (compressing a page in the encoding the browser prefers, choosing a language).
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd", "Accept-Language": "es-PE,es;q=0.9,en;q=0.8"}


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int

    def ratio_to(self, baseline: "Result") -> float:
        return self.requests_per_second / baseline.requests_per_second if baseline.requests_per_second else 0.0


def combine(rounds: list[Result]) -> Result:
    """Rounds of equal length as one result: their mean throughput, the median round's p50, the worst p99."""
    return Result(
        requests_per_second=sum(r.requests_per_second for r in rounds) / len(rounds),
        p50_ms=sorted(r.p50_ms for r in rounds)[len(rounds) // 2],
        p99_ms=max(r.p99_ms for r in rounds),
        requests=sum(r.requests for r in rounds),
        errors=sum(r.errors for r in rounds),
    )


def run(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int = 2,
    method: str = "GET",
    body: str = "",
    headers: dict | None = None,
    requests_file: Path | None = None,
    delay_ms: float = 0,
) -> Result:
    """One wrk run, bounded in time.

    *requests_file* holds one request a line (method, path, cookie, body; tab-separated), split between
    the threads so no two connections send the same one; *delay_ms* paces every connection.
    """
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    script = _lua(method, body, headers or {}, requests_file, threads, delay_ms)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                handle.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 30,
        ).stdout
    finally:
        Path(handle.name).unlink()
    return _parse(output)


def _lua(method: str, body: str, headers: dict, requests_file, threads: int, delay_ms: float) -> str:
    lines = [f'wrk.method = "{method}"']
    if body:
        lines.append(f"wrk.body = [[{body}]]")
    lines += [f'wrk.headers["{name}"] = [[{value}]]' for name, value in {**BROWSER_HEADERS, **headers}.items()]
    if requests_file:
        browser = ", ".join(f'["{name}"] = [[{value}]]' for name, value in BROWSER_HEADERS.items())
        lines.append(
            _REQUESTS_FROM_FILE.replace("REQUESTS_FILE", str(requests_file))
            .replace("THREADS", str(threads))
            .replace("BROWSER_HEADERS", browser)
        )
    if delay_ms:
        lines.append(f"delay = function() return {delay_ms:.1f} end")
    return "\n".join(lines) + "\n"


def _parse(output: str) -> Result:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    if non_2xx:
        errors += int(non_2xx.group(1))
    return Result(rps, _latency(output, "50%"), _latency(output, "99%"), total, errors)


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    return float(match.group(1)) * _UNITS[match.group(2)]


_REQUESTS_FROM_FILE = """
local counter = 1
local next_id = 0
setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
init = function(args)
  prepared = {}
  local index = 0
  for line in io.lines("REQUESTS_FILE") do
    if index % THREADS == id then
      local method, path, cookie, body = line:match("([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)")
      local headers = {["Cookie"] = cookie, ["User-Agent"] = "academy-bench", BROWSER_HEADERS}
      if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
      table.insert(prepared, wrk.format(method, path, headers, body ~= "" and body or nil))
    end
    index = index + 1
  end
end
request = function()
  local req = prepared[counter]
  counter = counter + 1
  if counter > #prepared then counter = 1 end
  return req
end
"""
