"""A steady load at a fixed rate, each request sent whole on a connection opened for it.

The paced runs of wrk are closed loops: eight connections, each waiting a while after its answer
before its next request. Two things make them read differently from traffic that arrives on its own:
a connection that waits holds back its next request however late the answer was, so a server that
stalls is sent less (coordinated omission); and wrk waits after reconnecting, so each paced
connection sits open and silent through its pause, and a gunicorn sync worker that has accepted it
blocks reading it meanwhile. Here the schedule is fixed in advance (open loop): a request is due at
its time whether or not the earlier ones were answered, it is written whole as soon as its connection
opens (as a buffering proxy such as nginx hands requests to the workers), and its latency counts from
when it was due. The client shares the machine with the server, as wrk does.
"""

import asyncio
import statistics
import time
from pathlib import Path

from bench.sessions import USER_AGENT
from bench.wrk import BROWSER_HEADERS, Result

TIMEOUT_SECONDS = 10.0


def run(host: str, port: int, requests_file: Path, *, rate: float, seconds: float) -> Result:
    """Send the requests of *requests_file* (method, path, cookie, body; tab-separated), in order and
    starting again at the end, *rate* a second for *seconds*."""
    lines = requests_file.read_text().splitlines()
    due = int(rate * seconds)
    requests = [_request(lines[number % len(lines)], host, port) for number in range(due)]
    return asyncio.run(_send_all(host, port, requests, rate, seconds))


def _request(line: str, host: str, port: int) -> bytes:
    method, path, cookie, body = line.split("\t")
    headers = {"Host": f"{host}:{port}", "User-Agent": USER_AGENT, **BROWSER_HEADERS, "Connection": "close"}
    if cookie:
        headers["Cookie"] = cookie
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Content-Length"] = str(len(body.encode()))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return (head + "\r\n" + (body if method == "POST" else "")).encode()


async def _send_all(host: str, port: int, requests: list[bytes], rate: float, seconds: float) -> Result:
    start = time.monotonic()
    tasks = []
    for number, request in enumerate(requests):
        due = start + number / rate
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        tasks.append(asyncio.create_task(_one(host, port, request, due)))
    outcomes = await asyncio.gather(*tasks)
    latencies = sorted(latency for latency, _ok in outcomes)
    return Result(
        requests_per_second=len(outcomes) / max(seconds, time.monotonic() - start),
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        requests=len(outcomes),
        errors=sum(1 for _latency, ok in outcomes if not ok),
    )


async def _one(host: str, port: int, request: bytes, due: float) -> tuple[float, bool]:
    """(seconds from when the request was due until its whole answer arrived, whether it succeeded)."""
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            answer = await reader.read()  # the sync worker closes the connection after its answer
            writer.close()
    except (OSError, TimeoutError):
        return time.monotonic() - due, False
    status = answer.split(b" ", 2)[1:2]
    return time.monotonic() - due, bool(status) and status[0][:1] in (b"2", b"3")
