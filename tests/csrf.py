"""The CSRF token a browser sends with a form, read from a page that the same client has loaded."""

import html
import re

# Every page carries the language switcher, a form with the session's token in a hidden input.
TOKEN_PAGE = "/privacy"
_HIDDEN_TOKEN = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*\bvalue="([^"]+)"')


def csrf_token(client) -> str:
    """A token valid for *client*'s session, as a form on a page it loads carries it.

    The privacy notice is that page because anyone can open it, even staff who have not yet set up
    their second factor. Loading it stores the session's secret token if there was none, and it
    shows any pending flashed messages (which removes them), as any page a browser loads would.
    """
    response = client.get(TOKEN_PAGE)
    assert response.status_code == 200, f"{TOKEN_PAGE} answered {response.status_code}"
    return html.unescape(_HIDDEN_TOKEN.search(response.get_data(as_text=True)).group(1))
