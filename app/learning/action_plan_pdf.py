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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, HRFlowable, KeepInFrame, Paragraph, Spacer

from app.catalog.models import localised
from app.core.pdf_fonts import SANS, SANS_BOLD, register_fonts
from app.core.pdf_tags import PageTags, Tagged, link_to_page
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
        answers=[
            (localised(field["prompt"], language), answers.get(field["id"], "")) for field in activity.data["fields"]
        ],
        footer=_(
            "A personal plan: only you can see it in the Academy. Look at it again in a few months "
            "and ask yourself what you have done."
        ),
        language=language,
    )


def render(sheet: PlanSheet) -> bytes:
    """One page whatever the answers' length: the content shrinks to fit rather than spill onto a second page.
    Tagged, so that a screen reader reads the heading, then each prompt as a heading over its answer."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=A4, pageCompression=1, lang=sheet.language, pdfVersion=(1, 7), initialFontName=SANS
    )
    canvas.setSubject(clean_line(sheet.course))
    canvas.setAuthor(clean_line(sheet.holder))
    canvas.setCreator("Academia de Integridad")
    tags = PageTags(canvas)
    width, height = A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN
    frame = Frame(MARGIN, MARGIN, width, height)  # the frame SimpleDocTemplate would give these margins
    frame.addFromList([KeepInFrame(width, height, _flowables(sheet, tags), mode="shrink")], canvas)
    tags.close(title=clean_line(sheet.heading), language=sheet.language)
    canvas.showPage()
    canvas.save()
    return link_to_page(buffer.getvalue())


def _flowables(sheet: PlanSheet, tags: PageTags) -> list:
    heading = ParagraphStyle("heading", fontName=SANS_BOLD, fontSize=20, leading=25, textColor=ACCENT)
    holder = ParagraphStyle("holder", fontName=SANS_BOLD, fontSize=13, leading=17, textColor=INK, spaceBefore=6)
    small = ParagraphStyle("small", fontName=SANS, fontSize=9.5, leading=13, textColor=MUTED)
    prompt = ParagraphStyle("prompt", fontName=SANS_BOLD, fontSize=11, leading=15, textColor=INK, spaceBefore=12)
    answer = ParagraphStyle("answer", fontName=SANS, fontSize=10.5, leading=15, textColor=INK, spaceBefore=3)
    flowables = [
        Tagged(tags, "H1", Paragraph(_plain(sheet.heading), heading)),
        Tagged(tags, "P", Paragraph(_plain(sheet.holder), holder)),
        Tagged(tags, "P", Paragraph(f"{_plain(sheet.course)} · {_plain(sheet.dated)}", small)),
        Spacer(1, 4),
        Tagged(tags, None, HRFlowable(width="100%", thickness=1, color=ACCENT, spaceBefore=4, spaceAfter=2)),
    ]
    for question, text in sheet.answers:
        flowables += [
            Tagged(tags, "H2", Paragraph(_plain(question), prompt)),
            Tagged(tags, "P", Paragraph(_lines(text), answer)),
        ]
    flowables += [
        Tagged(tags, None, HRFlowable(width="100%", thickness=0.5, color=MUTED, spaceBefore=14, spaceAfter=4)),
        Tagged(tags, "P", Paragraph(_plain(sheet.footer), small)),
    ]
    return flowables


def _plain(text: str) -> str:
    """ReportLab paragraphs read markup: everything a person typed or a package wrote is escaped."""
    return escape(clean_line(text), quote=False)


def _lines(text: str) -> str:
    """The learner's line breaks kept (a list of steps stays a list), every line cleaned and escaped."""
    return "<br/>".join(_plain(line) for line in text.splitlines() if line.strip())
