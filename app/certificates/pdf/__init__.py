"""The certificate as a one-page PDF, drawn from already-localised strings, with its signed credential attached.

ReportLab stays inside this package: ``render(sheet)`` returns the PDF's bytes, ``read_attachment`` reads the
credential back out of an uploaded file.
"""

from app.certificates.pdf.attachment import CREDENTIAL_FILE, read_attachment
from app.certificates.pdf.drawing import render
from app.certificates.pdf.sheets import CertificateSheet

# Raise when the layout or the drawing changes, so stored PDFs are redrawn (services.regenerate).
TEMPLATE_VERSION = 2

__all__ = ["CREDENTIAL_FILE", "TEMPLATE_VERSION", "CertificateSheet", "read_attachment", "render"]
