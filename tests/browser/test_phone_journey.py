"""A citizen on a 360-pixel phone, from the home page to a verified certificate: signs up, confirms the
address, takes Citizen for Integrity and opens the certificate's verification page. Every page fits the
screen, keeps the header small, keeps radios and checkboxes at full size and passes axe; the same pages
then pass axe on a desktop.

Words are those of the Spanish catalogue (`es`), so the test follows the translation."""

import re

import pytest
from sqlalchemy import select

from app.catalog import content
from app.catalog import services as catalog_services
from app.core.mail import OutboxMessage
from app.extensions import db
from tests import factories
from tests.browser.walker import es, fill_form, right_answers, walk_to_the_final_assessment

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
EMAIL, PASSWORD, NAME = "rosa.celular@example.pe", "una frase que recuerdo bien", "Rosa Huamán Ccori"
# Counts as a Spanish reader reads them: "1 hora", "2 horas", "1,5 horas", "30 minutos"; never "2.0 horas".
SPANISH_DURATION = re.compile(r"\b(1 hora|\d+(,\d+)? horas|\d+ minutos)\b")
RAW_DECIMAL = re.compile(r"\b\d+\.\d+ (horas|hours|hora)\b")


class PhoneChecks:
    """What each page of the journey must show on the phone; remembers the pages for the desktop pass."""

    def __init__(self, check_accessibility):
        self.check_accessibility = check_accessibility
        self.visited = []

    def __call__(self, page):
        page.wait_for_load_state()
        path = page.url.split("://", 1)[1].split("/", 1)[1]
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow, _too_wide(page))
        header = page.locator("header.site-header").bounding_box()["height"]
        assert header < 0.15 * PHONE["height"], (path, header)
        squeezed = page.evaluate(
            """() => Array.from(document.querySelectorAll('input[type=radio], input[type=checkbox]'))
                .filter(e => e.offsetParent !== null)
                .map(e => [e.id || e.name, e.getBoundingClientRect().width, e.getBoundingClientRect().height])
                .filter(([, w, h]) => w < 20 || h < 20)"""
        )
        assert squeezed == [], (path, squeezed)
        text = page.locator("main").inner_text()
        assert not RAW_DECIMAL.search(text), (path, RAW_DECIMAL.search(text).group(0))
        self.check_accessibility(page)
        if "/" + path not in self.visited:
            self.visited.append("/" + path)


def _too_wide(page):
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )


def _open_menu_and_follow(page, link_name):
    """On a phone the links wait behind the menu button."""
    menu = page.locator("details.site-menu")
    assert menu.get_attribute("open") is None
    assert not page.get_by_role("navigation").get_by_role("link", name=link_name).is_visible()
    page.locator("summary.menu-button").click()
    page.get_by_role("navigation").get_by_role("link", name=link_name).click()


def _confirmation_link():
    body = db.session.scalars(
        select(OutboxMessage.body_text).where(OutboxMessage.recipient == EMAIL).order_by(OutboxMessage.id)
    ).first()
    return re.search(r"https?://\S+/verify-email/\S+", body).group(0)


@pytest.fixture
def citizen_course(live_app):
    with live_app.app_context():
        catalog_services.sync_package(content.load_package(factories.COURSES / "citizen-integrity"))
        db.session.commit()
        db.session.remove()


def test_a_citizen_on_a_phone_goes_from_the_home_page_to_a_verified_certificate(
    browser, live_server, live_db, citizen_course, check_accessibility
):
    context = browser.new_context(base_url=live_server, locale="es-PE", bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    checks = PhoneChecks(check_accessibility)

    page.goto("/")
    checks(page)
    _open_menu_and_follow(page, es("Create an account"))
    checks(page)
    page.get_by_label(es("A citizen")).check()
    page.get_by_label(es("Full name")).fill(NAME)
    page.get_by_label(es("E-mail address")).fill(EMAIL)
    page.get_by_label(es("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(es("Confirm the password")).fill(PASSWORD)
    page.get_by_label(es("I have read the privacy notice and agree that my data is processed for my training.")).check()
    page.get_by_role("button", name=es("Create my account")).click()
    checks(page)

    page.goto(live_db(_confirmation_link))
    checks(page)
    page.get_by_role("button", name=es("Confirm my e-mail address")).click()
    # The address is already there: only the password is left to type.
    assert page.get_by_label(es("E-mail address")).input_value() == EMAIL
    checks(page)
    page.get_by_label(es("Password"), exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=es("Sign in")).click()
    assert page.url.endswith("/learning")
    assert page.get_by_role("heading", level=1).inner_text() == es("My learning")
    checks(page)

    _open_menu_and_follow(page, es("Courses"))
    filters = page.locator("details.filter-panel")
    assert filters.get_attribute("open") is None and not page.get_by_label(es("Programme")).is_visible()
    catalogue = page.locator("main").inner_text()
    assert SPANISH_DURATION.search(catalogue), catalogue
    checks(page)
    page.get_by_role("link", name="Ciudadano por la Integridad").click()
    checks(page)
    page.get_by_role("button", name=es("Enrol in this course")).click()
    checks(page)
    page.get_by_role("link", name=es("Continue where you stopped")).click()
    walk_to_the_final_assessment(page, checks)

    page.get_by_role("button", name=es("Start the assessment")).click()
    checks(page)
    fill_form(page, live_db(lambda: right_answers(EMAIL, 1)))
    page.get_by_role("button", name=es("Send my answers")).click()
    assert es("You have completed the course.") in page.locator("main").inner_text()
    checks(page)

    _open_menu_and_follow(page, es("My certificates"))
    checks(page)
    verification_link = page.locator("input.copy-source").first.input_value()
    page.goto(verification_link)
    assert page.locator(".verification-valid").is_visible()
    assert NAME in page.locator("main").inner_text()
    checks(page)

    desktop = browser.new_context(base_url=live_server, locale="es-PE", bypass_csp=True, viewport=DESKTOP)
    wide = desktop.new_page()
    wide.context.add_cookies(context.cookies())
    try:
        for path in checks.visited:
            wide.goto(path)
            check_accessibility(wide)
            assert wide.evaluate("document.scrollingElement.scrollWidth") <= DESKTOP["width"], path
            assert not wide.locator("summary.menu-button").is_visible(), "the menu button is for phones"
    finally:
        desktop.close()
        context.close()
