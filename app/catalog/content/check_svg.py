"""SVG images of a package: drawings only (no script, no outside resource), described for screen readers, light.

The app serves media with a sandboxing Content-Security-Policy, but an SVG saved and opened from a
learner's disk has no such header, and a package may come from outside the SIP (`courses import`):
so what an SVG may contain is checked here, element by element, with the line of each offence.
"""

from pathlib import Path
from xml.parsers import expat

from app.catalog.content.checker import FileChecker
from app.catalog.content.problems import Problem

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
# Everything that runs code, pulls in another resource, links away or restyles by stylesheet.
FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignObject", "image", "iframe", "object", "embed", "style", "a", "feImage", "animate", "set",
     "animateMotion", "animateTransform", "handler", "listener"}
)  # fmt: skip
# A diagram read on a prepaid phone plan: the budget per picture.
SVG_MAX_BYTES = 15 * 1024


def check_svg(path: Path, ck: FileChecker) -> None:
    """Report what makes the SVG at *path* unsafe, unreadable for a screen reader, or not an SVG at all."""
    data = path.read_bytes()
    found = _SvgReader(ck)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = lambda name, attributes: found.start(name, attributes, parser.CurrentLineNumber)
    parser.EndElementHandler = lambda name: found.end(name)
    parser.CharacterDataHandler = found.text
    parser.StartDoctypeDeclHandler = lambda *args: ck.problem(
        parser.CurrentLineNumber, "an SVG may not declare a DOCTYPE or entities"
    )
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        ck.problem(error.lineno, f"not well-formed XML: {expat.ErrorString(error.code)}")
        return
    found.finish()


def svg_size_warnings(media: dict[str, Path], package_name: str) -> list[Problem]:
    """A warning for each SVG over the budget: it still works, but costs a learner on a slow line."""
    return [
        Problem(f"{package_name}/{relative}", 0, f"the SVG weighs {size // 1024} KB; keep diagrams under 15 KB")
        for relative, path in sorted(media.items())
        if relative.lower().endswith(".svg") and (size := path.stat().st_size) > SVG_MAX_BYTES
    ]


class _SvgReader:
    """Follows the element stack: the root's name, its <title> and <desc>, and every forbidden thing on the way."""

    def __init__(self, ck: FileChecker):
        self.ck = ck
        self.depth = 0
        self.root_ok = False
        self.described: dict[str, str] = {}
        self.collecting: str | None = None

    def start(self, name: str, attributes: dict[str, str], line: int) -> None:
        namespace, _, local = name.rpartition(" ")
        if self.depth == 0:
            self.root_ok = namespace == SVG_NAMESPACE and local == "svg"
            if not self.root_ok:
                self.ck.problem(line, f"the root element must be <svg> in the namespace {SVG_NAMESPACE}")
        elif self.depth == 1 and local in ("title", "desc") and namespace == SVG_NAMESPACE:
            self.collecting = local
            self.described.setdefault(local, "")
        if local in FORBIDDEN_ELEMENTS:
            self.ck.problem(line, f"<{local}> is not allowed in an SVG: diagrams are shapes and text only")
        for attribute, value in attributes.items():
            self._check_attribute(attribute, value, line)
        self.depth += 1

    def end(self, name: str) -> None:
        self.depth -= 1
        if self.depth == 1:
            self.collecting = None

    def text(self, data: str) -> None:
        if self.collecting:
            self.described[self.collecting] += data

    def finish(self) -> None:
        if not self.root_ok:
            return
        for element in ("title", "desc"):
            if not self.described.get(element, "").strip():
                self.ck.problem(1, f"the SVG needs a <{element}> as a child of <svg>, for screen readers")

    def _check_attribute(self, attribute: str, value: str, line: int) -> None:
        namespace, _, local = attribute.rpartition(" ")
        if local.lower().startswith("on"):
            self.ck.problem(line, f"event attribute {local!r} is not allowed in an SVG")
        elif local == "href" and namespace in ("", XLINK_NAMESPACE) and not value.startswith("#"):
            self.ck.problem(line, f"{local}={value!r}: an SVG may only refer to its own elements (#id)")
        elif "url(" in value.replace(" ", "") and "url(#" not in value.replace(" ", ""):
            self.ck.problem(line, f"{local}={value!r}: an SVG may only refer to its own elements (url(#id))")
