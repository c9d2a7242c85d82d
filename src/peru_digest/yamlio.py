"""YAML that remembers where each key was written, so problems can name the line."""

from __future__ import annotations

from typing import Any

import yaml

try:  # libyaml's parser is ten times faster; the pure-Python one gives the same data
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class Located(dict[str, Any]):
    """A YAML mapping plus the 1-based line of the mapping and of each of its keys."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(_BaseLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key, _ in node.value:  # PyYAML would silently keep the last of two equal keys
            if key.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"found duplicate key `{key.value}`", key.start_mark
                )
            seen.add(key.value)
        plain = super().construct_mapping(node, deep=True)
        located = Located({str(key): value for key, value in plain.items()})
        located.line = node.start_mark.line + 1
        located.key_lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
        return located


def _construct_located(loader: _LineLoader, node: yaml.MappingNode) -> Located:
    mapping = loader.construct_mapping(node)
    assert isinstance(mapping, Located)
    return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_located)
# Dates stay text: fields.moment parses them, so an impossible date is reported, not a crash.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(Exception):
    """YAML that does not parse; ``line`` is 1-based within the parsed text."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_yaml(text: str) -> Any:
    """Parse one YAML document; mappings come back as :class:`Located`."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        # Where the broken construct began (an unclosed quote, say) helps more than where
        # the parser gave up, often the end of the text.
        mark = error.context_mark or error.problem_mark
        reason = " ".join(filter(None, (error.problem, error.context)))
        return _raise_syntax(reason or "not YAML", mark.line + 1 if mark else None)
    except yaml.YAMLError as error:
        return _raise_syntax(str(error), None)


def _raise_syntax(reason: str, line: int | None) -> Any:
    raise YamlSyntaxError(f"invalid YAML: {reason}", line)
