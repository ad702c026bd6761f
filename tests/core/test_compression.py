"""Responses are compressed the way each client can read: zstd for current browsers, gzip otherwise."""

import gzip
import json

try:
    from compression import zstd  # Python 3.14 and later
except ImportError:
    from backports import zstd  # Flask-Compress's own dependency before 3.14

from app.certificates import serials

BROWSER = "gzip, deflate, br, zstd"  # what current Chromium and Firefox send


def _catalogue(client, accept_encoding):
    response = client.get("/courses", headers={"Accept-Encoding": accept_encoding})
    body = response.get_data()
    response.close()
    return response, body


def test_a_browser_that_accepts_zstd_gets_the_page_in_zstd(client):
    response, body = _catalogue(client, BROWSER)
    assert response.headers["Content-Encoding"] == "zstd"
    assert 'href="/courses/using-the-academy"' in zstd.decompress(body).decode()
    assert int(response.headers["Content-Length"]) == len(body)


def test_a_client_that_only_accepts_gzip_gets_gzip(client):
    response, body = _catalogue(client, "gzip, deflate")
    assert response.headers["Content-Encoding"] == "gzip"
    assert 'href="/courses/using-the-academy"' in gzip.decompress(body).decode()


def test_a_client_that_asks_for_no_encoding_gets_the_page_as_it_is(client):
    response, body = _catalogue(client, "")
    assert "Content-Encoding" not in response.headers
    assert b'href="/courses/using-the-academy"' in body


def test_every_compressible_response_says_it_varies_by_accept_encoding(client):
    for accept_encoding in (BROWSER, "gzip", ""):
        response, _ = _catalogue(client, accept_encoding)
        assert "Accept-Encoding" in response.headers["Vary"]


def test_a_body_that_fits_in_one_packet_is_sent_uncompressed(client, issue_certificate):
    serial = serials.display(issue_certificate().serial)
    response = client.get(f"/verify/{serial}?format=json", headers={"Accept-Encoding": BROWSER})
    assert len(response.get_data()) < 1024
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]  # a larger one would be compressed
    assert json.loads(response.get_data())["status"] == "valid"
