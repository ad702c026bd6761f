"""SVG media: shapes and text only, a title and a description for screen readers, and a weight budget."""

import pytest

from app.catalog.content import validate_package
from app.catalog.content.audit import audit_package
from tests.catalog import assert_problems, demo_package, no_database, write  # noqa: F401

SVG = "media/diagrama.es.svg"
PATH = f"demo-course/{SVG}"
GOOD = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 640 200" role="img" aria-labelledby="t d">
  <title id="t">El camino de una denuncia</title>
  <desc id="d">Tres pasos: canal, función de integridad, derivación.</desc>
  <defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="4" refY="4"><path d="M0 0 L8 4 L0 8 z"/></marker></defs>
  <rect id="box" x="10" y="10" width="120" height="60" fill="#F3F2F1" stroke="#575757"/>
  <use href="#box" x="200"/><use xlink:href="#box" x="400"/>
  <line x1="130" y1="40" x2="210" y2="40" stroke="#1B1B1B" marker-end="url(#arrow)"/>
  <text x="20" y="45" font-family="system-ui, sans-serif" font-size="16">Canal</text>
</svg>
"""


def _check(package, svg: str):
    write(package, SVG, svg)
    return validate_package(package)


def test_a_diagram_of_shapes_and_text_with_title_and_description_is_valid(package):
    assert _check(package, GOOD) == []


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ('<text x="20"', '<script>alert(1)</script><text x="20"', "<script> is not allowed"),
        ('<text x="20"', '<foreignObject><p>x</p></foreignObject><text x="20"', "<foreignObject> is not allowed"),
        ('<text x="20"', '<image href="https://example.org/x.png"/><text x="20"', "<image> is not allowed"),
        ('<text x="20"', "<style>@import url(https://example.org/x.css);</style><text x=\"20\"", "<style> is not allowed"),
        ('<text x="20"', '<a href="https://example.org"><text>x</text></a><text x="20"', "<a> is not allowed"),
        ('<rect id="box"', '<rect onclick="alert(1)" id="box"', "event attribute 'onclick'"),
        ('<use href="#box"', '<use href="https://example.org/s.svg#box"', "may only refer to its own elements"),
        ('<use xlink:href="#box"', '<use xlink:href="data:image/svg+xml,x"', "may only refer to its own elements"),
        ('marker-end="url(#arrow)"', 'fill="url(https://example.org/p.svg#g)"', "url(#id)"),
    ],
)
def test_anything_that_runs_links_or_loads_is_refused_at_its_line(package, old, new, fragment):
    problems = _check(package, GOOD.replace(old, new, 1))
    line = next(number for number, text in enumerate(GOOD.replace(old, new, 1).split("\n"), 1) if new in text)
    assert problems and all((p.path, p.line) == (PATH, line) for p in problems)
    assert any(fragment in p.message for p in problems)


def test_a_diagram_without_title_or_description_is_refused(package):
    bare = GOOD.replace('  <title id="t">El camino de una denuncia</title>\n', "").replace(
        '<desc id="d">Tres pasos: canal, función de integridad, derivación.</desc>', "<desc> </desc>"
    )
    assert_problems(_check(package, bare), (PATH, 1, "needs a <title>"), (PATH, 1, "needs a <desc>"))


def test_a_doctype_with_entities_is_refused_before_anything_expands(package):
    svg = '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaa">]>\n' + GOOD.replace("Canal", "&a;")
    problems = _check(package, svg)
    assert any(p.line == 2 and "DOCTYPE" in p.message for p in problems)


def test_broken_xml_and_other_roots_are_reported(package):
    assert_problems(_check(package, GOOD.replace("</svg>", "")), (PATH, 10, "not well-formed XML"))
    assert_problems(_check(package, "<html><title>x</title></html>"), (PATH, 1, "root element must be <svg>"))


def test_a_diagram_over_15_kb_is_a_warning_not_a_problem(package):
    heavy = GOOD.replace("</svg>", "<!-- " + "x" * 16 * 1024 + " -->\n</svg>")
    write(package, SVG, heavy)
    findings = audit_package(package)
    assert findings.problems == []
    assert [(w.path, w.line) for w in findings.warnings] == [(PATH, 0)] and "16 KB" in findings.warnings[0].message
    write(package, SVG, GOOD)
    assert audit_package(package).warnings == []
