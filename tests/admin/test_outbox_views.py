import pytest

from app.core.audit import AuditEvent
from app.core.mail import send_mail
from app.extensions import db

RESET_LINK = "http://localhost/password/reset/IjQyIg.Zz9-ab_cd"


@pytest.fixture
def admin_client(client, world, login_as):
    login_as(client, world.users["sip_admin"])
    return client


@pytest.fixture
def reset_mail(app):
    with app.test_request_context():
        message = send_mail(
            "rosa@example.pe",
            "Restablezca su contraseña",
            f"Hola <b>Rosa</b> & compañía,\n\nPara elegir una contraseña nueva, abra este enlace:\n\n{RESET_LINK}\n\nGracias.",
        )
    db.session.commit()
    return message


@pytest.fixture
def smtp_configured(app):
    app.config["MAIL_SERVER"] = "smtp.example.pe"
    yield
    app.config["MAIL_SERVER"] = ""


def test_sip_admin_sees_the_outbox_newest_first(admin_client, app, reset_mail):
    with app.test_request_context():
        send_mail("luis@example.pe", "Confirme su correo electrónico", "Texto")
    db.session.commit()
    page = admin_client.get("/admin/outbox").get_data(as_text=True)
    assert page.index("luis@example.pe") < page.index("rosa@example.pe")
    assert f'href="/admin/outbox/{reset_mail.id}">Restablezca su contraseña</a>' in page
    assert "El correo no se envía: no hay un servidor SMTP configurado." in page
    # The list shows no body, so no link of one.
    assert RESET_LINK not in page


def test_a_message_shows_its_link_clickable_and_the_rest_of_its_body_escaped(admin_client, reset_mail):
    response = admin_client.get(f"/admin/outbox/{reset_mail.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<a class="secret" href="{RESET_LINK}" rel="noreferrer">{RESET_LINK}</a>' in page
    assert "Hola &lt;b&gt;Rosa&lt;/b&gt; &amp; compañía," in page
    assert "<b>Rosa</b>" not in page
    assert "son personales" in page


def test_opening_a_message_is_recorded_in_the_audit_log(admin_client, world, reset_mail):
    admin_client.get(f"/admin/outbox/{reset_mail.id}")
    event = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "mail.read")).scalar_one()
    assert (event.actor_id, event.target_type, event.target_id) == (
        world.users["sip_admin"].id,
        "OutboxMessage",
        str(reset_mail.id),
    )
    assert event.details == {"recipient": "rosa@example.pe"}


def test_listing_the_outbox_records_nothing(admin_client, reset_mail):
    admin_client.get("/admin/outbox")
    assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "mail.read")).first() is None


def test_an_unknown_message_is_not_found_and_a_bad_page_number_is_refused(admin_client):
    assert admin_client.get("/admin/outbox/999999").status_code == 404
    assert admin_client.get("/admin/outbox?page=abc").status_code == 400


@pytest.mark.parametrize("role", ["integrity_officer", "citizen", "governor"])
def test_only_sip_admins_read_the_outbox(client, world, login_as, reset_mail, role):
    login_as(client, world.users[role])
    assert client.get("/admin/outbox").status_code == 403
    assert client.get(f"/admin/outbox/{reset_mail.id}").status_code == 403
    assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "mail.read")).first() is None


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, reset_mail):
    response = client.get(f"/admin/outbox/{reset_mail.id}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_dashboard_links_to_the_outbox_while_mail_is_not_sent(admin_client):
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/outbox"' in page


def test_with_an_smtp_server_the_outbox_does_not_exist(admin_client, reset_mail, smtp_configured):
    assert admin_client.get("/admin/outbox").status_code == 404
    assert admin_client.get(f"/admin/outbox/{reset_mail.id}").status_code == 404
    assert 'href="/admin/outbox"' not in admin_client.get("/admin/").get_data(as_text=True)
