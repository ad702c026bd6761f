import pytest

from app.core.urls import safe_next
from tests.csrf import csrf_token


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "/%2F/evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "\\\\evil.example",
        "/%0d%0aSet-Cookie:x",
        "",
        None,
        "evil.example",
        "/" + "a" * 600,
    ],
)
def test_next_parameter_never_leaves_the_site(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/account", "/admin/audit?page=2", "/organisations/3/members"])
def test_next_parameter_follows_paths_on_this_site(target):
    assert safe_next(target, "/home") == target


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example", "%2F%2Fevil"])
def test_login_does_not_redirect_off_site(client, world, target):
    user = world.users["citizen"]
    response = client.post(
        f"/login?next={target}",
        data={"email": user.email, "password": "una frase larga y segura", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/learning"  # where signing in lands, never the target
