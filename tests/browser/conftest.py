"""A real server in a thread, its own database, and Debian's Chromium driven by Playwright."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.core.database import dispose_engines
from app.extensions import db
from tests.settings import TEST_CONFIG, fresh_database_url

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path():
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None  # Playwright's own download, installed by bin/ensure-browser


def pytest_collection_modifyitems(items):
    # The live server has its own database and sessions: the suite's rolled-back session must not
    # replace them, or the server thread would read the test's transaction instead of its own data.
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.real_transactions)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            **TEST_CONFIG,
            "DATABASE_URL": fresh_database_url(tmp, "live"),
            "WTF_CSRF_ENABLED": True,
            "MAIL_OUTBOX_DIR": str(tmp / "mail"),
        }
    )
    with app.app_context():
        upgrade()
        from app.organisations.services import load_reference_data

        load_reference_data()
        db.session.commit()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live_app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield live_app.config["BASE_URL"]
    server.shutdown()
    dispose_engines(live_app)


@pytest.fixture(scope="session")
def browser():
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does it)")
    with sync_playwright() as playwright:
        executable = chromium_path()
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the app's own pages never need it.
    context = browser.new_context(base_url=live_server, locale="es-PE", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def check_accessibility():
    """Run axe-core on the current page; fail on serious or critical violations."""

    def check(page):
        page.add_script_tag(path=str(AXE_SCRIPT))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
        }""")
        serious = [v for v in result if v["impact"] in ("serious", "critical")]
        assert serious == [], f"{page.url}: {serious}"
        return result

    return check


@pytest.fixture
def live_db(live_app):
    """Run a function against the live server's database inside its app context."""

    def run(function):
        with live_app.app_context():
            try:
                result = function()
                db.session.commit()
                return result
            finally:
                db.session.remove()

    return run
