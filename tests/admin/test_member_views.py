from app.core.audit import AuditEvent
from app.extensions import db
from app.organisations import roles
from tests.csrf import csrf_token


def _denials():
    return db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "authorisation.denied")).scalars().all()


def test_an_officer_invites_a_new_person_who_appears_as_invited_with_the_name_typed(client, world, login_as, outbox):
    login_as(client, world.users["integrity_officer"])
    response = client.post(
        f"/admin/organisations/{world.entity.id}/members",
        data={
            "email": "nuevo.servidor@example.pe",
            "display_name": "Nuevo Servidor",
            "role": roles.LEARNER,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Invitación enviada a nuevo.servidor@example.pe." in page
    invitations = page[page.index("Invitaciones que esperan respuesta") :]
    assert "Nuevo Servidor" in invitations and "nuevo.servidor@example.pe" in invitations
    [message] = outbox("nuevo.servidor@example.pe")
    assert "/password/reset/" in message.body_text and "/account/invitations" in message.body_text


def test_the_name_is_asked_for_every_invitation_even_for_an_address_with_an_account(client, world, login_as):
    login_as(client, world.users["integrity_officer"])
    for email in ("sin.nombre@example.pe", world.users["citizen"].email):
        response = client.post(
            f"/admin/organisations/{world.entity.id}/members",
            data={"email": email, "display_name": " ", "role": roles.LEARNER, "csrf_token": csrf_token(client)},
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'href="#display_name"' in page and "Escriba el nombre completo de la persona." in page
    assert world.users["citizen"].memberships == []


def test_inviting_someone_who_already_has_the_role_says_so_by_the_address_typed(client, world, login_as, outbox):
    learner = world.users["learner"]
    login_as(client, world.users["integrity_officer"])
    response = client.post(
        f"/admin/organisations/{world.entity.id}/members",
        data={
            "email": learner.email,
            "display_name": "Otro Nombre",
            "role": roles.LEARNER,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 400
    assert f"{learner.email} ya tiene este rol aquí." in response.get_data(as_text=True)
    assert outbox(learner.email) == []


def test_inviting_again_renews_the_invitation_and_sends_a_new_email(client, world, login_as, outbox):
    login_as(client, world.users["integrity_officer"])
    for name in ("Primer Nombre", "Nombre Corregido"):
        response = client.post(
            f"/admin/organisations/{world.entity.id}/members",
            data={
                "email": "dos.veces@example.pe",
                "display_name": name,
                "role": roles.LEARNER,
                "csrf_token": csrf_token(client),
            },
        )
        assert response.status_code == 302
    page = client.get(f"/admin/organisations/{world.entity.id}/members").get_data(as_text=True)
    assert "Nombre Corregido" in page and "Primer Nombre" not in page
    assert len(outbox("dos.veces@example.pe")) == 2


def test_an_officer_acting_on_another_organisation_gets_403_and_the_refusal_is_logged(client, world, login_as):
    login_as(client, world.users["integrity_officer"])
    before = world.other_membership.role
    response = client.post(
        f"/admin/organisations/{world.other_entity.id}/members/{world.other_membership.id}/role",
        data={"role": roles.TRAINER, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 403
    assert "No tiene acceso" in response.get_data(as_text=True)
    db.session.refresh(world.other_membership)
    assert world.other_membership.role == before and world.other_membership.status == "active"
    [denial] = _denials()
    assert denial.actor_id == world.users["integrity_officer"].id
    assert denial.outcome == "denied"
    assert client.get(f"/admin/organisations/{world.other_entity.id}/members").status_code == 403


def test_an_officer_cannot_make_someone_sip_admin(client, world, login_as):
    login_as(client, world.users["integrity_officer"])
    response = client.post(
        f"/admin/organisations/{world.entity.id}/members",
        data={
            "email": world.users["citizen"].email,
            "display_name": "Ciudadana",
            "role": roles.SIP_ADMIN,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code in (400, 403)
    assert world.users["citizen"].memberships == []


def test_a_membership_from_another_organisation_is_not_found_through_this_one(client, world, login_as):
    login_as(client, world.users["integrity_officer"])
    response = client.post(
        f"/admin/organisations/{world.entity.id}/members/{world.other_membership.id}/end",
        data={"csrf_token": csrf_token(client)},
    )
    assert response.status_code == 404
    assert world.other_membership.status == "active"


def test_the_officer_changes_and_removes_a_role_in_their_organisation(client, world, login_as):
    login_as(client, world.users["integrity_officer"])
    url = f"/admin/organisations/{world.entity.id}/members/{world.learner_membership.id}"
    assert client.post(url + "/role", data={"role": roles.TRAINER, "csrf_token": csrf_token(client)}).status_code == 302
    assert world.users["learner"].active_roles == {roles.TRAINER}
    trainer_membership = next(m for m in world.users["learner"].memberships if m.is_active)
    client.post(
        f"/admin/organisations/{world.entity.id}/members/{trainer_membership.id}/end",
        data={"csrf_token": csrf_token(client)},
    )
    assert world.users["learner"].active_roles == set()


def test_a_pending_company_representative_is_approved_by_the_sip(client, world, login_as):
    from tests import factories

    newcomer = factories.make_user()
    membership = factories.make_membership(newcomer, world.company, roles.BUSINESS_REP, status="pending")
    login_as(client, world.users["sip_admin"])
    client.post(
        f"/admin/organisations/{world.company.id}/members/{membership.id}/approve",
        data={"csrf_token": csrf_token(client)},
    )
    assert newcomer.active_roles == {roles.BUSINESS_REP}
