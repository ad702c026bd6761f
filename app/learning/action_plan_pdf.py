"""A learner's personal integrity action plan on one A4 page, for them to keep, print or pin up."""

import io
from dataclasses import dataclass
from html import escape

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, KeepInFrame, Paragraph, SimpleDocTemplate, Spacer

from app.catalog.models import localised
from app.core.pdf_fonts import SANS, SANS_BOLD, register_fonts
from app.core.text import clean_line

MARGIN = 18 * mm
INK, MUTED, ACCENT = HexColor("#1B1B1B"), HexColor("#575757"), HexColor("#B3001B")


@dataclass(frozen=True)
class PlanSheet:
    """Everything printed, already in the learner's language."""

    heading: str
    holder: str
    course: str
    dated: str  # "7 de diciembre de 2026", formatted by the caller in the page's language
    answers: list[tuple[str, str]]  # (prompt, the learner's answer)
    footer: str
    language: str


def sheet_for(enrolment, activity, completion, language: str) -> PlanSheet:
    """The saved plan as printed: the prompts in the page's language, the answers as the learner wrote them."""
    answers = completion.response.get("answers") or {}
    return PlanSheet(
        heading=_("My integrity action plan"),
        holder=enrolment.user.display_name,
        course=enrolment.version.text("title", language),
        dated=format_date(completion.updated_at, "long"),
        answers=[(localised(field["prompt"], language), answers.get(field["id"], "")) for field in activity.data["fields"]],
        footer=_(
            "A personal plan: only you can see it in the Academy. Look at it again in a few months "
            "and ask yourself what you have done."
        ),
        language=language,
    )


def render(sheet: PlanSheet) -> bytes:
    """One page whatever the answers' length: the content shrinks to fit rather than spill onto a second page."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=clean_line(sheet.heading),
        subject=clean_line(sheet.course),
        author=clean_line(sheet.holder),
        creator="Academia de Integridad",
        lang=sheet.language,
        pageCompression=1,
    )
    content = KeepInFrame(document.width, document.height, _flowables(sheet), mode="shrink")
    document.build([content])
    return buffer.getvalue()


def _flowables(sheet: PlanSheet) -> list:
    heading = ParagraphStyle("heading", fontName=SANS_BOLD, fontSize=20, leading=25, textColor=ACCENT)
    holder = ParagraphStyle("holder", fontName=SANS_BOLD, fontSize=13, leading=17, textColor=INK, spaceBefore=6)
    small = ParagraphStyle("small", fontName=SANS, fontSize=9.5, leading=13, textColor=MUTED)
    prompt = ParagraphStyle("prompt", fontName=SANS_BOLD, fontSize=11, leading=15, textColor=INK, spaceBefore=12)
    answer = ParagraphStyle("answer", fontName=SANS, fontSize=10.5, leading=15, textColor=INK, spaceBefore=3)
    flowables = [
        Paragraph(_plain(sheet.heading), heading),
        Paragraph(_plain(sheet.holder), holder),
        Paragraph(f"{_plain(sheet.course)} · {_plain(sheet.dated)}", small),
        Spacer(1, 4),
        HRFlowable(width="100%", thickness=1, color=ACCENT, spaceBefore=4, spaceAfter=2),
    ]
    for question, text in sheet.answers:
        flowables += [Paragraph(_plain(question), prompt), Paragraph(_lines(text), answer)]
    flowables += [
        HRFlowable(width="100%", thickness=0.5, color=MUTED, spaceBefore=14, spaceAfter=4),
        Paragraph(_plain(sheet.footer), small),
    ]
    return flowables


def _plain(text: str) -> str:
    """ReportLab paragraphs read markup: everything a person typed or a package wrote is escaped."""
    return escape(clean_line(text), quote=False)


def _lines(text: str) -> str:
    """The learner's line breaks kept (a list of steps stays a list), every line cleaned and escaped."""
    return "<br/>".join(_plain(line) for line in text.splitlines() if line.strip())
