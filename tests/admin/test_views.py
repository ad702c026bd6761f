import pytest

from app.core.audit import AuditEvent
from app.extensions import db
from app.organisations import roles
from app.organisations.models import Organisation
from tests.csrf import csrf_token


@pytest.fixture
def admin_client(client, world, login_as):
    login_as(client, world.users["sip_admin"])
    return client


def test_sip_admin_assigns_a_role_and_it_is_audited(admin_client, world):
    citizen = world.users["citizen"]
    response = admin_client.post(
        f"/admin/users/{citizen.id}/roles",
        data={"organisation_id": world.gore.id, "role": roles.ADVISOR, "csrf_token": csrf_token(admin_client)},
    )
    assert response.status_code == 302
    assert citizen.active_roles == {roles.ADVISOR}
    event = db.session.execute(
        db.select(AuditEvent).where(
            AuditEvent.action == "membership.role_granted", AuditEvent.target_id == str(citizen.id)
        )
    ).scalar_one()
    assert (event.actor_id, event.ip) == (world.users["sip_admin"].id, "127.0.0.1")


def test_a_role_that_does_not_fit_is_explained_not_crashed(admin_client, world):
    response = admin_client.post(
        f"/admin/users/{world.users['citizen'].id}/roles",
        data={"organisation_id": world.company.id, "role": roles.GOVERNOR, "csrf_token": csrf_token(admin_client)},
    )
    assert response.status_code == 400
    assert "no existe en este tipo de organización" in response.get_data(as_text=True)


def test_an_unknown_organisation_is_a_field_error(admin_client, world):
    response = admin_client.post(
        f"/admin/users/{world.users['citizen'].id}/roles",
        data={"organisation_id": "999999", "role": roles.LEARNER, "csrf_token": csrf_token(admin_client)},
    )
    assert response.status_code == 400


def test_sip_admin_creates_an_entity_under_a_regional_government(admin_client, world):
    response = admin_client.post(
        "/admin/organisations/new",
        data={
            "kind": roles.ENTITY,
            "code": "gore-21-diresa",
            "name": "DIRESA Puno",
            "parent_id": world.gore.id,
            "csrf_token": csrf_token(admin_client),
        },
    )
    assert response.status_code == 302
    created = db.session.execute(db.select(Organisation).where(Organisation.code == "GORE-21-DIRESA")).scalar_one()
    assert created.parent_id == world.gore.id


def test_creating_a_company_with_a_bad_ruc_names_the_field(admin_client):
    response = admin_client.post(
        "/admin/organisations/new",
        data={
            "kind": roles.COMPANY,
            "code": "EMP-1",
            "name": "Empresa",
            "parent_id": "0",
            "ruc": "20131378971",
            "csrf_token": csrf_token(admin_client),
        },
    )
    assert response.status_code == 400
    assert 'href="#ruc"' in response.get_data(as_text=True)


def test_editing_an_organisation_is_audited_with_before_and_after(admin_client, world):
    admin_client.post(
        f"/admin/organisations/{world.entity.id}/edit",
        data={"name": "Nombre corregido", "short_name": "", "is_active": "y", "csrf_token": csrf_token(admin_client)},
    )
    event = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "organisation.updated")).scalar_one()
    assert event.details["after"]["name"] == "Nombre corregido"


def test_audit_log_filters_by_action_actor_outcome_and_date(admin_client, world):
    admin_client.post(
        f"/admin/users/{world.users['citizen'].id}/disable", data={"csrf_token": csrf_token(admin_client)}
    )
    page = admin_client.get("/admin/audit?action=account.disabled&outcome=success").get_data(as_text=True)
    assert "account.disabled" in page
    assert "1 evento" in page
    empty = admin_client.get("/admin/audit?actor=nobody-at-all").get_data(as_text=True)
    assert "Ningún evento" in empty
    dated = admin_client.get("/admin/audit?date_from=2000-01-01&date_to=2000-01-02").get_data(as_text=True)
    assert "Ningún evento" in dated


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "date_from=not-a-date",
        "organisation_id=x",
        "action=%27%20OR%201%3D1--",
        "page=99999999999999999999999",
    ],
)
def test_bad_audit_filters_get_a_400_or_an_empty_page_never_a_500(admin_client, query):
    assert admin_client.get(f"/admin/audit?{query}").status_code in (200, 400)


@pytest.mark.parametrize(
    "query", ["q=%27%20OR%201%3D1--", "q=name;DROP TABLE users", "page=abc", "q[]=x&q[]=y", "kind=nonsense"]
)
def test_search_inputs_are_treated_as_text(admin_client, world, query):
    assert admin_client.get(f"/admin/users?{query}").status_code in (200, 400)
    assert admin_client.get(f"/admin/organisations?{query}").status_code in (200, 400)
    assert db.session.execute(db.select(db.func.count()).select_from(Organisation)).scalar() > 25


def test_sql_metacharacters_in_search_find_nothing_instead_of_everything(admin_client, world):
    page = admin_client.get("/admin/users?q=%27%20OR%20%271%27=%271").get_data(as_text=True)
    assert "0 cuentas" in page


def test_an_admin_cannot_disable_themselves(admin_client, world):
    admin = world.users["sip_admin"]
    admin_client.post(f"/admin/users/{admin.id}/disable", data={"csrf_token": csrf_token(admin_client)})
    assert admin.is_active
