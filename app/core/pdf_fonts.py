"""The fonts every generated PDF draws with: bundled DejaVu, so a PDF looks the same on any host and
embeds only the glyphs it uses (Spanish accents and ñ included)."""

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SERIF, SERIF_BOLD, SANS, SANS_BOLD = "CertSerif", "CertSerif-Bold", "CertSans", "CertSans-Bold"
_FONT_FILES = {
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
}
_FONT_DIR = Path(__file__).with_name("fonts")


@cache
def register_fonts() -> None:
    """Parse the bundled TrueType fonts once per process."""
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, _FONT_DIR / filename))
