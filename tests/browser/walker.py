"""Walking through a course as a learner would, for the browser journeys.

Buttons are named in the words of the Spanish catalogue (`es`), so a change of wording there does not
break the walk; tests/core/test_translations.py is what insists the words exist."""

from pathlib import Path

from babel.support import Translations
from sqlalchemy import select

from app.extensions import db
from app.learning.models import AssessmentAttempt, Enrolment
from tests import factories

_SPANISH = Translations.load(str(Path(__file__).parents[2] / "translations"), ["es"])


def es(message: str, **values) -> str:
    """What the Spanish interface says for *message* (a msgid of the catalogue), with its %(values)s."""
    text = _SPANISH.gettext(message)
    return text % values if values else text


def answer_everything_shown(page):
    """Answer each question on the page the simple way: first choice, items in the order shown."""
    for fieldset in page.locator("fieldset.question").all():
        radios = fieldset.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
        boxes = fieldset.locator("input[type=checkbox]")
        if boxes.count():
            boxes.first.check()
        for index, select_box in enumerate(fieldset.locator("select").all()):
            options = select_box.locator("option").all()
            select_box.select_option(index=min(index + 1, len(options) - 1))


def walk_to_the_final_assessment(page, check_accessibility, *, reflection="Lo pondré en práctica en mi barrio."):
    """From the first item, do every lesson and activity until the final assessment page."""
    seen = set()
    for _ in range(120):
        url = page.url
        if url.endswith("/assessment"):
            return
        if url not in seen:
            check_accessibility(page)
            seen.add(url)
        if "/lessons/" in url:
            page.get_by_role("button", name=es("Mark as read and continue")).click()
            continue
        if page.locator("textarea#text").count():
            page.locator("textarea#text").fill(reflection)
            page.get_by_role("button", name=es("Save my reflection")).click()
        elif page.locator("#signature").count():
            page.locator("#agree").check()
            page.locator("#signature").fill("Luz Mamani Quispe")
            page.get_by_role("button", name=es("Sign the pledge")).click()
        elif page.locator("input[name=choice]").count():
            page.locator("input[name=choice]").first.check()
            page.get_by_role("button", name=es("See what happens")).click()
        else:
            answer_everything_shown(page)
            page.get_by_role("button", name=es("Check my answers")).click()
        check_accessibility(page)
        page.get_by_role("link", name=es("Continue"), exact=True).first.click()
    raise AssertionError(f"never reached the final assessment; stopped at {page.url}")


def right_answers(user_email: str, number: int):
    """The answers that pass attempt *number* of the learner's only enrolment (read on the server)."""
    from app.accounts.models import User

    enrolment = db.session.execute(select(Enrolment).join(User).where(User.email == user_email)).scalar_one()
    attempt = db.session.execute(
        select(AssessmentAttempt).where(
            AssessmentAttempt.enrolment_id == enrolment.id, AssessmentAttempt.number == number
        )
    ).scalar_one()
    return factories.right_answers_form(enrolment, attempt)


def fill_form(page, form):
    for name in form:
        values = form.getlist(name)
        target = page.locator(f'[name="{name}"]')
        if target.first.evaluate("e => e.tagName") == "SELECT":
            target.first.select_option(values[0])
        else:
            for value in values:
                page.locator(f'[name="{name}"][value="{value}"]').check()
