import re

from app.accounts.models import User
from app.extensions import db


def test_demo_seed_creates_one_marked_account_per_role_and_prints_passwords_once(runner):
    result = runner.invoke(args=["demo", "seed", "--if-new"])
    assert result.exit_code == 0, result.output
    rows = re.findall(r"^ (\w+)\s+(\S+@demo\.academia\.example)\s+(\S+)$", result.output, re.MULTILINE)
    assert {role for role, _, _ in rows} == {
        "sip_admin",
        "advisor",
        "governor",
        "integrity_officer",
        "trainer",
        "learner",
        "business_rep",
        "citizen",
    }
    users = db.session.execute(db.select(User).where(User.email.like("%@demo.academia.example"))).scalars().all()
    assert len(users) == 8 and all(u.is_demo for u in users)
    assert all(password not in u.password_hash for u in users for _, _, password in rows)
    again = runner.invoke(args=["demo", "seed", "--if-new"])
    assert "not created" in again.output
    assert "@demo.academia.example" not in again.output


def test_create_admin_makes_a_verified_sip_administrator(runner):
    result = runner.invoke(args=["users", "create-admin", "Jefa.SIP@example.gob.pe", "--name", "Jefa SIP"])
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).where(User.email == "jefa.sip@example.gob.pe")).scalar_one()
    assert user.active_roles == {"sip_admin"} and user.is_email_verified
    assert runner.invoke(args=["users", "create-admin", "jefa.sip@example.gob.pe"]).exit_code != 0
