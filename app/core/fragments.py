"""Template fragments rendered once per key and kept: the parts of every page that hardly ever change."""

from jinja2 import nodes
from jinja2.ext import Extension


class FragmentCache(Extension):
    """``{% cache "name", key, ... %}…{% endcache %}`` renders the block once for each distinct key.

    Whatever the block shows must follow from its key (the language, the endpoint, whether someone
    is signed in…); a CSRF token, a flashed message or a name stays outside. A page's links and
    translated labels cost a url_for and a catalogue lookup each, on every page, for the same result.
    Nothing is kept while templates reload (debug), so an edited template shows at once.
    """

    tags = {"cache"}
    # Keys are a handful of languages, endpoints and roles; the limit only guards against a mistake.
    LIMIT = 4096

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(fragment_cache={})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key, caller):
        kept = self.environment.fragment_cache
        html = kept.get(key)
        if html is None:
            html = caller()
            if not self.environment.auto_reload:
                if len(kept) >= self.LIMIT:
                    kept.clear()
                kept[key] = html
        return html
