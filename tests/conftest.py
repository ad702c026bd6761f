"""Shared fixtures: one migrated, seeded database per run, put back as it was before every test."""

import socket

import pytest
from flask_migrate import upgrade
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app, tasks
from app.core.database import dispose_engines
from app.extensions import db, login_manager, rate_limits
from app.tasks import huey, run_queued_tasks
from tests import factories
from tests.settings import TEST_CONFIG, PristineDatabase, fresh_database_url, use_postgres


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("academy")
    url = fresh_database_url(tmp, "suite")
    application = create_app(
        {
            **TEST_CONFIG,
            "DATABASE_URL": url,
            "MAIL_OUTBOX_DIR": str(tmp / "mail"),
            "CERTIFICATE_KEY_DIR": str(tmp / "keys"),
            "DEMO_ACCOUNTS_FILE": str(tmp / "demo-accounts.tsv"),
        }
    )
    with application.app_context():
        upgrade()
        from app.catalog import content
        from app.catalog import services as catalog_services
        from app.organisations.services import load_reference_data

        load_reference_data()
        # The sample course and Citizen for Integrity (public, the second awards a certificate) and the
        # induction (restricted) are there for every test.
        for slug in factories.SYNCED_COURSES:
            catalog_services.sync_package(content.load_package(factories.COURSES / slug))
        db.session.commit()
        db.session.remove()
    application.extensions["tests.pristine"] = PristineDatabase(application)
    yield application
    dispose_engines(application)


class _TestSession(scoped_session):
    """One session for the whole test: Flask's teardown must not close it between requests."""

    def remove(self):
        pass


@pytest.fixture(autouse=True)
def db_session(app, request):
    """Each test starts from the database as migrated and seeded, and commits for real, as the app does.

    The test's own code and the requests it makes share one session, so objects a test made stay
    usable after a request. No application context stays pushed while the test runs: Flask would
    reuse it for every request of the test client, and ``g`` would leak from one request to the next.
    """
    pristine = app.extensions["tests.pristine"]
    real_transactions = request.node.get_closest_marker("real_transactions")
    # Those may change the database from other processes too, where no commit is seen from here.
    pristine.restore(even_if_unchanged=bool(real_transactions))
    # A test may have built another app (tests/certificates/live.py), which took the queue for itself.
    tasks.configure(app)
    huey.flush()
    rate_limits.reset(app)
    if real_transactions:
        yield db.session  # sessions of its own, in threads or other apps
        return
    with app.app_context():
        engine = db.engine
    original = db.session
    session = _TestSession(sessionmaker(bind=engine, expire_on_commit=False))
    db.session = session
    try:
        yield session
    finally:
        scoped_session.remove(session)
        db.session = original


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(app):
    """Sign *user* in on *client* the way Flask-Login would, without the password form."""

    def sign_in(client, user):
        with app.test_request_context(environ_base=client.environ_base):
            identifier = login_manager._session_identifier_generator()
        with client.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
            session["_id"] = identifier
        return client

    return sign_in


@pytest.fixture
def world(db_session):
    """A regional entity with one person per role, a company, and a second entity elsewhere."""
    return factories.make_world()


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if use_postgres() else 'SQLite'}"


@pytest.fixture
def outbox(app):
    """Messages stored in the outbox table during the test, oldest first."""
    from app.core.mail import OutboxMessage

    def messages(recipient=None):
        query = db.select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        return db.session.execute(query).scalars().all()

    return messages


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free local port: (its inbox, the port)."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def admin_issued_courses(db_session):
    """The trainer track and the business course, whose certificates a SIP admin issues for now."""
    from app.catalog import content
    from app.catalog import services as catalog_services

    for slug in ("train-the-trainer", "business-integrity"):
        catalog_services.sync_package(content.load_package(factories.COURSES / slug))
    db.session.commit()
    return {slug: factories.get_course(slug) for slug in ("train-the-trainer", "business-integrity")}


@pytest.fixture
def issue_certificate(app):
    """Complete Citizen for Integrity (or *slug*) for *user* and return the certificate it earned."""

    def issue(user=None, slug="citizen-integrity"):
        from app.certificates.models import Certificate

        user = user or factories.make_user()
        enrolment = factories.make_enrolment(user, slug=slug)
        with app.test_request_context():
            factories.complete_course(enrolment)
        db.session.commit()
        run_queued_tasks()  # the worker's part: sign the certificate and draw its PDF
        return db.session.scalars(db.select(Certificate).where(Certificate.enrolment_id == enrolment.id)).one()

    return issue
