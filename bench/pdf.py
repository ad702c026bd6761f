"""Certificate PDF rendering against a bare ReportLab page with the same fonts and vector QR code, in one process.

Target: the median certificate takes at most 1.3× the median bare page. Since certificates are tagged for screen
readers (issue 19), the bare page is tagged too: a structure tree and the pypdf pass that ties it to the page
(app.core.pdf_tags) are work any tagged PDF needs, as the fonts are, and cost about 6 ms of the 19 a
certificate takes here. What the ratio watches is the certificate's own layout and drawing on top of that.
"""

import io
import itertools
import json
import statistics
import time

import segno
from reportlab.pdfgen.canvas import Canvas

from app.certificates.pdf import CertificateSheet, layout, render
from app.core.pdf_tags import PageTags, link_to_page

RENDERS, WARM_UP, TARGET = 200, 20, 1.3
URL = "https://academia.integridad.gob.pe/verify/7K2M-9QXD-4HTR-PW3N"
NAME = "José María Ñúñez O’Connor"


def run(renders: int = RENDERS) -> dict:
    """Median milliseconds of each, interleaved so that both see the same machine load."""
    sheet = sample_sheet()
    bare, ours = [], []
    for index in range(WARM_UP + renders):
        bare_ms, ours_ms = _time(bare_page), _time(lambda: render(sheet))
        if index >= WARM_UP:
            bare.append(bare_ms)
            ours.append(ours_ms)
    bare_median, ours_median = statistics.median(bare), statistics.median(ours)
    ratio = ours_median / bare_median
    return {
        "renders": renders,
        "bare_ms": round(bare_median, 2),
        "certificate_ms": round(ours_median, 2),
        "ratio": round(ratio, 2),
        "target": TARGET,
        "meets_target": ratio <= TARGET,
    }


def report(result: dict) -> str:
    verdict = "meets" if result["meets_target"] else "MISSES"
    return (
        f"certificate PDF: median {result['certificate_ms']:.2f} ms against {result['bare_ms']:.2f} ms for a bare "
        f"ReportLab page ({result['renders']} renders each): {result['ratio']:.2f}×, {verdict} the "
        f"{result['target']}× target"
    )


def sample_sheet() -> CertificateSheet:
    credential = json.dumps(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "credentialSubject": {"name": NAME, "achievement": {"name": "Inducción en Integridad Pública"}},
            "proof": {"type": "DataIntegrityProof", "proofValue": "z" + "5Kd8" * 420},
        }
    ).encode()
    return CertificateSheet(
        language="es",
        heading="Constancia de Inducción en Integridad Pública",
        presented_to="otorgada a",
        holder_name=NAME,
        statement="por haber completado el curso “Inducción en Integridad Pública” (12 horas).",
        facts=(
            ("Emitido el", "14 de marzo de 2025"),
            ("Válido hasta", "14 de marzo de 2027"),
        ),
        academy="Academia de Integridad",
        issuers=(
            "Secretaría de Integridad Pública — Presidencia del Consejo de Ministros",
            "Facilitadora: María Quispe Huamán",
            "Impartido por: Gobierno Regional de Ayacucho",
        ),
        serial_label="Código",
        serial="7K2M-9QXD-4HTR-PW3N",
        verify_url=URL,
        how_to_verify=f"Verifique esta constancia en {URL} o escaneando el código QR.",
        title=f"Constancia de Inducción en Integridad Pública — {NAME}",
        attachment=credential,
    )


def bare_page() -> bytes:
    """The least a tagged certificate could be: the same fonts, a few lines with the name in one tagged paragraph,
    the same vector QR code as decoration."""
    layout.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT), pageCompression=1, initialFontName=layout.SANS
    )
    tags = PageTags(canvas)
    with tags.element("P"):
        for index, font in enumerate((layout.SERIF_BOLD, layout.SERIF, layout.SANS, layout.SANS_BOLD)):
            with tags.text():
                canvas.setFont(font, 14)
                canvas.drawString(72, 500 - 30 * index, f"{NAME} — Constancia de Integridad Pública")
    with tags.artifact():
        _draw_bare_qr_code(canvas)
    tags.close(title=NAME, language="es")
    canvas.showPage()
    canvas.save()
    return link_to_page(buffer.getvalue())


def _draw_bare_qr_code(canvas: Canvas) -> None:
    matrix = segno.make(URL, error="m", micro=False).matrix
    module = 112 / (len(matrix) + 8)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        column = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:  # one rectangle per run of dark modules, as render() draws them
                path.rect(660 + (column + 4) * module, 228 - (row_index + 5) * module, length * module, module)
            column += length
    canvas.drawPath(path, stroke=0, fill=1)


def _time(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    print(report(run()))
