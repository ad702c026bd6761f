"""YAML loading that remembers the line of every key and list item, so problems can point at them."""

from collections.abc import Callable, Hashable
from typing import Any

import yaml


class LineDict(dict):
    """A YAML mapping; ``line`` is where it starts and ``lines[key]`` where each key is written."""

    line: int = 1
    lines: dict


class LineList(list):
    """A YAML sequence; ``line`` is where it starts and ``lines[i]`` where item i is written."""

    line: int = 1
    lines: list


def load_yaml(text: str, report: Callable[[int, str], None], *, first_line: int = 1) -> Any:
    """Parse *text*, returning LineDict/LineList containers, or None after reporting a syntax error.

    *first_line* is the file line the text starts on, so front matter lines count from the .md file.
    Duplicate keys are reported too: PyYAML silently keeps the last one, which hides an author's edit.
    """
    loader = _LineLoader(text, first_line)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        report(line, f"YAML syntax error: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        report(first_line, f"YAML syntax error: {exc}")
        return None
    finally:
        loader.dispose()
    for line, key in loader.duplicates:
        report(line, f"duplicate key {key!r}")
    return data


# libyaml's parser, where PyYAML was built with it, reads several times faster than the pure-Python one and
# gives the same nodes and line marks; `flask courses sync` reads every package's YAML.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """SafeLoader whose mappings and sequences carry the line numbers of their parts."""

    def __init__(self, text: str, first_line: int):
        super().__init__(text)
        self.first_line = first_line
        self.duplicates: list[tuple[int, Any]] = []

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    mapping = LineDict()
    mapping.line = loader.line_of(node)
    mapping.lines = {}
    # Yield first, as PyYAML's own constructor does, so anchors that refer back to this node work.
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value", key_node.start_mark)
        if key in mapping:
            loader.duplicates.append((loader.line_of(key_node), key))
        mapping[key] = loader.construct_object(value_node)
        mapping.lines[key] = loader.line_of(key_node)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode):
    sequence = LineList()
    sequence.line = loader.line_of(node)
    sequence.lines = [loader.line_of(child) for child in node.value]
    yield sequence
    sequence.extend(loader.construct_object(child) for child in node.value)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    # PyYAML raises a bare ValueError for 2026-13-45; keep the text so the date check can name the line.
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
