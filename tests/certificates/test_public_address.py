"""Served on another port with no BASE_URL, every address a certificate carries leads back to that server:
the QR code printed on the PDF and the key its credential names."""

import json
import socket
import subprocess
import threading
from urllib.parse import unquote

import pytest
import requests
import zxingcpp
from PIL import Image
from werkzeug.serving import make_server

from app.certificates import finishing, services
from app.extensions import db
from tests import factories
from tests.certificates.live import clean_up, committing_app
from tests.certificates.node_verifier import run_node_verifier

pytestmark = pytest.mark.real_transactions


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(app, tmp_path):
    """The academy configured as `make run PORT=…` configures it (BIND, no BASE_URL), serving on that port."""
    port = _free_port()
    application = committing_app(app, tmp_path, BASE_URL="", BIND=f"127.0.0.1:{port}", TRUSTED_HOSTS=None)
    server = make_server("127.0.0.1", port, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    made = []
    yield application, port, made
    server.shutdown()
    clean_up(application, made)


def _issue(application, made) -> tuple[bytes, dict]:
    with application.test_request_context():
        user = factories.make_user(display_name="Rosa Quispe Mamani")
        made.append(user.id)
        enrolment = factories.make_enrolment(user, slug="integrity-induction")
        enrolment.status = "completed"
        certificate = services.issue_for_enrolment(enrolment)
        db.session.commit()
        certificate = finishing.finish(certificate.id)
        pdf = certificate.documents[0].pdf
        credential = json.loads(certificate.credential)
        db.session.remove()
    return pdf, credential


def _qr_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(source), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        codes = zxingcpp.read_barcodes(image.convert("RGB"))
    (text,) = [code.text for code in codes if code.format == zxingcpp.BarcodeFormat.QRCode]
    return text


def test_with_no_base_url_the_address_comes_from_bind(served):
    application, port, _ = served
    assert application.config["BASE_URL"] == f"http://127.0.0.1:{port}"


def test_the_qr_code_leads_to_the_valid_certificate_on_the_port_served(served, tmp_path):
    application, port, made = served
    pdf, _ = _issue(application, made)
    link = _qr_text(pdf, tmp_path)
    assert link.startswith(f"http://127.0.0.1:{port}/verify/")
    page = requests.get(link, timeout=10)
    assert page.status_code == 200
    assert "Rosa Quispe Mamani" in page.text and "verification-valid" in page.text


def test_the_credential_names_a_key_published_on_the_port_served_and_an_independent_verifier_accepts_it(served):
    application, port, made = served
    _, credential = _issue(application, made)
    proofs = credential["proof"] if isinstance(credential["proof"], list) else [credential["proof"]]
    methods = {proof["verificationMethod"] for proof in proofs}
    assert {method.partition("#")[0] for method in methods} == {f"did:web:127.0.0.1%3A{port}"}
    did = f"did:web:127.0.0.1%3A{port}"
    # did:web names https; this copy serves plain http on the loopback, as `make run` does.
    host = unquote(did.removeprefix("did:web:"))
    document = requests.get(f"http://{host}/.well-known/did.json", timeout=10).json()
    assert methods <= {entry["id"] for entry in document["verificationMethod"]}
    status_url = credential["credentialStatus"]["statusListCredential"]
    assert status_url.startswith(f"http://127.0.0.1:{port}/")
    status_list = requests.get(status_url, timeout=10).json()
    results = run_node_verifier({did: document, status_url: status_list}, {"served": credential})
    assert results["served"]["verified"] is True, results["served"]
    assert results["served"]["revoked"] is False
    assert credential["id"].startswith(f"http://127.0.0.1:{port}/verify/")
