"""Drive a URL with wrk on loopback and read its figures."""

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int

    def ratio_to(self, baseline: "Result") -> float:
        return self.requests_per_second / baseline.requests_per_second if baseline.requests_per_second else 0.0


def run(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int = 2,
    method: str = "GET",
    body: str = "",
    headers: dict | None = None,
) -> Result:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    script = _lua(method, body, headers or {})
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


def _lua(method: str, body: str, headers: dict) -> str:
    lines = [f'wrk.method = "{method}"']
    if body:
        lines.append(f"wrk.body = [[{body}]]")
    lines += [f'wrk.headers["{name}"] = [[{value}]]' for name, value in headers.items()]
    lines.append("""
errors = 0
response = function(status, headers, body)
  if status >= 400 and status ~= 429 then errors = errors + 1 end
end""")
    return "\n".join(lines) + "\n"


def _parse(output: str) -> Result:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    p50 = _latency(output, "50%")
    p99 = _latency(output, "99%")
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(rps, p50, p99, total, errors + (int(non_2xx.group(1)) if non_2xx else 0))


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    return float(match.group(1)) * _UNITS[match.group(2)]
