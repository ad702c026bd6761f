"""The benchmark's steady-arrivals client: on schedule, every request whole, failures counted."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import paced


class _Recorder(BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.path, self.headers["Cookie"], body))
        self.send_response(302 if self.path != "/broken" else 500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_each_request_arrives_whole_in_order_and_on_schedule(server, tmp_path):
    requests = tmp_path / "requests.tsv"
    requests.write_text("".join(f"POST\t/submit/{n}\tsession=s{n}\tanswer={n}\n" for n in range(3)))
    result = paced.run("127.0.0.1", server.server_address[1], requests, rate=40, seconds=0.5)
    assert result.requests == 20 and result.errors == 0
    assert result.requests_per_second == pytest.approx(40, rel=0.25)
    assert _Recorder.seen[:4] == [
        ("/submit/0", "session=s0", b"answer=0"),
        ("/submit/1", "session=s1", b"answer=1"),
        ("/submit/2", "session=s2", b"answer=2"),
        ("/submit/0", "session=s0", b"answer=0"),
    ]


def test_server_errors_and_refused_connections_count_as_errors(server, tmp_path):
    requests = tmp_path / "requests.tsv"
    requests.write_text("POST\t/broken\t\tx=1\n")
    assert paced.run("127.0.0.1", server.server_address[1], requests, rate=20, seconds=0.25).errors == 5
    server.shutdown()
    server.server_close()
    assert paced.run("127.0.0.1", server.server_address[1], requests, rate=20, seconds=0.25).errors == 5
