"""Finding 7: row ids in URLs larger than the id columns hold (32-bit INTEGER on PostgreSQL), 64-bit or
thousands of digits long are pages that do not exist, never an error from the database."""

import re

import pytest
from werkzeug.routing import IntegerConverter

from app.core.urls import DatabaseIdConverter
from tests.csrf import csrf_token

TOO_LARGE = (str(2**31), str(2**63), "99999999999999999999", "9" * 5000)
_VARIABLE = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def _variables(app, rule):
    """(placeholder, converter class) for each variable part of *rule*, read from its pattern."""
    return [
        (m.group(0), app.url_map.converters[m.group("converter") or "default"]) for m in _VARIABLE.finditer(rule.rule)
    ]


def test_every_integer_in_a_route_goes_through_the_bounded_database_id_converter(app):
    for rule in app.url_map.iter_rules():
        for placeholder, converter in _variables(app, rule):
            if issubclass(converter, IntegerConverter):
                assert issubclass(converter, DatabaseIdConverter), f"{rule.rule}: {placeholder} is not an <id:...>"


def _routes_with_ids(app, value):
    """Every route taking a row id, with *value* in each id and a plausible word in any other part."""
    for rule in app.url_map.iter_rules():
        variables = _variables(app, rule)
        if not any(issubclass(converter, IntegerConverter) for _, converter in variables):
            continue
        path = rule.rule
        for placeholder, converter in variables:
            path = path.replace(placeholder, value if issubclass(converter, IntegerConverter) else "x", 1)
        yield rule, path


@pytest.mark.parametrize("value", TOO_LARGE, ids=["2-to-the-31", "2-to-the-63", "20-digits", "5000-digits"])
def test_a_huge_id_in_any_route_is_not_found_for_a_sip_admin(app, client, world, login_as, value):
    login_as(client, world.users["sip_admin"])
    token = csrf_token(client)
    routes = list(_routes_with_ids(app, value))
    assert len(routes) >= 20
    for rule, path in routes:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
            # Werkzeug may answer a POST to a path whose id it refused with 405; either way nothing was looked up.
            expected = {404} if method == "GET" else {404, 405}
            assert response.status_code in expected, f"{method} {path[:80]} answered {response.status_code}"


def test_the_largest_id_a_column_holds_is_looked_up_and_not_found(client, world, login_as):
    login_as(client, world.users["sip_admin"])
    assert client.get(f"/admin/users/{2**31 - 1}").status_code == 404
    assert client.get(f"/learning/{2**31 - 1}").status_code == 404
    assert client.get(f"/admin/organisations/{2**31 - 1}/members").status_code == 404
