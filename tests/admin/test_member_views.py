from app.core.audit import AuditEvent
from app.extensions import db
from app.organisations import roles
from tests.csrf import csrf_token


def _denials():
    return db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "authorisation.denied")).scalars().all()


def test_an_officer_adds_a_new_person_to_their_organisation(client, world, login_as, outbox):
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
    assert "Nuevo Servidor" in page
    assert outbox("nuevo.servidor@example.pe")


def test_adding_a_new_person_without_a_name_says_which_field_is_missing(client, world, login_as):
    login_as(client, world.users["integrity_officer"])
    response = client.post(
        f"/admin/organisations/{world.entity.id}/members",
        data={"email": "sin.nombre@example.pe", "role": roles.LEARNER, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 400
    assert 'href="#display_name"' in response.get_data(as_text=True)


def test_an_officer_acting_on_another_organisation_gets_403_and_the_refusal_is_logged(client, world, login_as):
    login_as(client, world.users["integrity_officer"])
    before = world.other_membership.role
    response = client.post(
        f"/admin/organisations/{world.other_entity.id}/members/{world.other_membership.id}/role",
        data={"role": roles.TRAINER, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 403
    assert "No tienes acceso" in response.get_data(as_text=True)
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
        data={"email": world.users["citizen"].email, "role": roles.SIP_ADMIN, "csrf_token": csrf_token(client)},
    )
    assert response.status_code in (400, 403)
    assert world.users["citizen"].active_roles == set()


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
