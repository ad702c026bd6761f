"""The main menu as data: each link, who may see it, and on which pages it is the current one."""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.organisations.permissions import can_open_admin


@dataclass(frozen=True)
class Link:
    endpoint: str
    label: str  # a lazy string, translated where it is shown
    visible: Callable[[object], bool]  # given the signed-in user, or the anonymous one
    # The link is the current page on these endpoints (its own by default), or anywhere in a blueprint.
    current_on: tuple[str, ...] = ()
    current_blueprint: str | None = None

    def is_current(self, endpoint: str | None, blueprint: str | None) -> bool:
        if self.current_blueprint is not None:
            return blueprint == self.current_blueprint
        return endpoint in (self.current_on or (self.endpoint,))


def _everyone(user) -> bool:
    return True


def _signed_in(user) -> bool:
    return user.is_authenticated


def _anonymous(user) -> bool:
    return not user.is_authenticated


LINKS = [
    Link("public.home", _l("Home"), _everyone),
    Link("public.list_courses", _l("Courses"), _everyone, current_on=("public.list_courses", "public.show_course")),
    Link("learning.my_learning", _l("My learning"), _signed_in, current_blueprint="learning"),
    Link("certificates.my_certificates", _l("My certificates"), _signed_in),
    Link("admin.dashboard", _l("Administration"), can_open_admin, current_blueprint="admin"),
    Link("accounts.profile", _l("My account"), _signed_in),
    Link("accounts.login", _l("Sign in"), _anonymous),
    Link("accounts.register", _l("Create an account"), _anonymous),
]


@dataclass(frozen=True)
class Menu:
    links: tuple[Link, ...]
    current: str | None  # the endpoint of the link that is the current page, if any

    @property
    def key(self) -> tuple:
        """Everything the menu shows but the language and the site's root, for base.html's kept fragment.

        It names the links themselves, not the permissions behind them: a link added behind a new
        permission changes the key by being there, so it cannot be served from the cache to someone
        who may not see it."""
        return tuple(link.endpoint for link in self.links), self.current


def main_menu(user, endpoint: str | None, blueprint: str | None) -> Menu:
    """The links *user* may follow, in order, and which of them is the page at *endpoint*."""
    links = tuple(link for link in LINKS if link.visible(user))
    current = next((link.endpoint for link in links if link.is_current(endpoint, blueprint)), None)
    return Menu(links, current)


def register(app: Flask):
    """Give every page rendered for a request its visitor's menu, as `main_menu`."""
    app.context_processor(_menu_for_this_request)


def _menu_for_this_request() -> dict:
    if not has_request_context():
        return {}
    return {"main_menu": main_menu(current_user, request.endpoint, request.blueprint)}
