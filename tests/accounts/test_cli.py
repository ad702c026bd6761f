import re
import stat
from pathlib import Path

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


def test_demo_seed_keeps_the_passwords_for_this_machine_only_and_demo_show_prints_them_with_the_address(
    app, runner
):
    seeded = runner.invoke(args=["demo", "seed", "--if-new", "--quiet"])
    assert seeded.exit_code == 0, seeded.output
    assert "@demo.academia.example" not in seeded.output
    kept = Path(app.config["DEMO_ACCOUNTS_FILE"])
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600

    shown = runner.invoke(args=["demo", "show"])
    assert shown.exit_code == 0, shown.output
    assert "open http://localhost/ " in shown.output
    rows = re.findall(r"^ (\w+)\s+(\S+@demo\.academia\.example)\s+(\S+)$", shown.output, re.MULTILINE)
    assert len(rows) == 8
    citizen_password = dict((email, password) for _, email, password in rows)["ciudadana@demo.academia.example"]
    assert citizen_password in kept.read_text()


def test_demo_show_without_a_demo_set_prints_only_the_address(runner, app):
    Path(app.config["DEMO_ACCOUNTS_FILE"]).unlink(missing_ok=True)
    shown = runner.invoke(args=["demo", "show"])
    assert shown.exit_code == 0, shown.output
    assert "http://localhost/" in shown.output and "DEMO ACCOUNTS" not in shown.output


def test_create_admin_makes_a_verified_sip_administrator(runner):
    result = runner.invoke(args=["users", "create-admin", "Jefa.SIP@example.gob.pe", "--name", "Jefa SIP"])
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).where(User.email == "jefa.sip@example.gob.pe")).scalar_one()
    assert user.active_roles == {"sip_admin"} and user.is_email_verified
    assert runner.invoke(args=["users", "create-admin", "jefa.sip@example.gob.pe"]).exit_code != 0
