"""Reading a compose file and a Dockerfile the way Docker does, without Docker: no daemon runs here, so
`tests/test_compose_file.py` checks deploy/compose.yaml and deploy/Dockerfile with these.

- `load_compose`: YAML as Compose reads it, which refuses a key given twice (PyYAML keeps the last one).
- `references` and `interpolate`: Compose's `${VAR}`, `${VAR:-default}`, `${VAR:?message}` … and `$$`.
- `parse_dockerfile`: instructions with their continuation lines joined and their `--flags` apart; an
  unknown instruction or flag (a typo, a stray line) is an error, as it is for `docker build`.
- `ignored`: whether a `.dockerignore` keeps a path out of the build context (last match wins, a
  matching parent directory counts, `!` re-includes).
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# --- compose -----------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys in a mapping, as Compose's parser does."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_compose(path: Path) -> dict[str, Any]:
    document = yaml.load(path.read_text(), Loader=_StrictLoader)  # a SafeLoader: no arbitrary objects
    assert isinstance(document, dict), f"{path} is not a mapping"
    return document


_VARIABLE = re.compile(r"\$(?:(?P<escaped>\$)"
                       r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
                       r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")


@dataclass(frozen=True)
class Reference:
    """One `${name<op>arg}` in a value: op is `:-`, `-`, `:?`, `?`, `:+`, `+` or empty."""

    name: str
    op: str = ""
    arg: str = ""

    @property
    def required(self) -> bool:
        return self.op in (":?", "?")


class InterpolationError(ValueError):
    """A required variable is missing: Compose stops with the reference's message."""


def strings(node: Any) -> Iterator[str]:
    """Every string value in a loaded document (Compose interpolates values, not keys)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def references(node: Any) -> list[Reference]:
    found = []
    for text in strings(node):
        for match in _VARIABLE.finditer(text):
            if match["escaped"]:
                continue
            name = match["name"] or match["bare"]
            found.append(Reference(name, match["op"] or "", match["arg"] or ""))
    return found


def _substitute(match: re.Match[str], env: Mapping[str, str]) -> str:
    if match["escaped"]:
        return "$"
    name = match["name"] or match["bare"]
    op, arg = match["op"] or "", match["arg"] or ""
    value = env.get(name)
    empty = not value  # unset or set to ""
    if op == ":-":
        return arg if empty else str(value)
    if op == "-":
        return arg if value is None else value
    if op in (":?", "?") and (empty if op == ":?" else value is None):
        raise InterpolationError(f"{name}: {arg}")
    if op == ":+":
        return "" if empty else arg
    if op == "+":
        return "" if value is None else arg
    return value or ""


def interpolate(node: Any, env: Mapping[str, str]) -> Any:
    """The document with every `${…}` in its values replaced as Compose would with this environment."""
    if isinstance(node, str):
        return _VARIABLE.sub(lambda match: _substitute(match, env), node)
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(item, env) for item in node]
    return node


def env_file(path: Path) -> dict[str, str]:
    """`KEY=value` lines (comments and blank lines skipped), as Compose reads a `.env` file."""
    values = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.partition("=")
        assert sep and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key), f"{path}:{number}: not KEY=value"
        values[key] = value
    return values


# --- Dockerfile --------------------------------------------------------------------------------------

DOCKERFILE_INSTRUCTIONS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
    "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})
# The `--flags` each instruction takes (Dockerfile reference, BuildKit's dockerfile:1 frontend).
DOCKERFILE_FLAGS = {
    "ADD": {"chown", "chmod", "checksum", "keep-git-dir", "link", "exclude", "unpack"},
    "COPY": {"chown", "chmod", "from", "link", "parents", "exclude"},
    "FROM": {"platform"},
    "HEALTHCHECK": {"interval", "timeout", "start-period", "start-interval", "retries"},
    "RUN": {"mount", "network", "security", "device"},
}
_DIRECTIVE = re.compile(r"#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$")


class DockerfileError(ValueError):
    pass


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    line: int
    flags: dict[str, str] = field(default_factory=dict)

    def exec_form(self) -> list[str] | None:
        """The JSON array form (`CMD ["a", "b"]`), or None for the shell form."""
        if not self.arguments.startswith("["):
            return None
        try:
            value = json.loads(self.arguments)
        except json.JSONDecodeError as exc:
            raise DockerfileError(
                f"line {self.line}: {self.keyword}'s JSON form does not parse: {exc}") from exc
        if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise DockerfileError(f"line {self.line}: {self.keyword}'s JSON form must be an array of strings")
        return value

    def words(self) -> list[str]:
        form = self.exec_form()
        return form if form is not None else shlex.split(self.arguments)


@dataclass(frozen=True)
class Dockerfile:
    directives: dict[str, str]
    instructions: list[Instruction]

    def all(self, keyword: str) -> list[Instruction]:
        return [instruction for instruction in self.instructions if instruction.keyword == keyword]


def parse_dockerfile(text: str) -> Dockerfile:
    lines = text.splitlines()
    directives: dict[str, str] = {}
    index = 0
    while index < len(lines) and (match := _DIRECTIVE.match(lines[index])):
        directives[match[1].lower()] = match[2]
        index += 1
    if directives.get("escape", "\\") != "\\":
        raise DockerfileError("only the default escape character is supported here")
    instructions = []
    while index < len(lines):
        start, logical = index + 1, ""
        while index < len(lines):
            raw = lines[index]
            index += 1
            if raw.strip().startswith("#") or (not raw.strip() and logical):
                continue  # comment lines (and blank lines) inside a continuation are dropped, as Docker does
            if raw.rstrip().endswith("\\"):
                logical += raw.rstrip()[:-1] + " "
                continue
            logical += raw
            break
        logical = logical.strip()
        if not logical:
            continue
        keyword, _, rest = logical.partition(" ")
        if keyword.upper() not in DOCKERFILE_INSTRUCTIONS:
            raise DockerfileError(f"line {start}: unknown instruction {keyword!r}")
        if "<<" in rest and keyword.upper() in ("RUN", "COPY", "ADD"):
            raise DockerfileError(f"line {start}: heredocs are not read by this parser")
        flags = {}
        rest = rest.strip()
        while rest.startswith("--"):
            flag, _, rest = rest.partition(" ")
            name, _, value = flag[2:].partition("=")
            if name not in DOCKERFILE_FLAGS.get(keyword.upper(), set()):
                raise DockerfileError(f"line {start}: {keyword.upper()} takes no --{name}")
            flags[name] = value
            rest = rest.strip()
        instructions.append(Instruction(keyword.upper(), rest, start, flags))
    if not instructions or instructions[0].keyword not in ("FROM", "ARG"):
        raise DockerfileError("a Dockerfile starts with FROM (or ARG before FROM)")
    return Dockerfile(directives, instructions)


# --- .dockerignore -----------------------------------------------------------------------------------


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def ignore_patterns(path: Path) -> list[tuple[bool, re.Pattern[str]]]:
    """(is an exception, pattern) for each line of a .dockerignore file."""
    patterns = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        patterns.append((exception, _pattern_regex(line.lstrip("!").strip().strip("/"))))
    return patterns


def ignored(relative: str, patterns: list[tuple[bool, re.Pattern[str]]]) -> bool:
    parts = relative.strip("/").split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    verdict = False
    for exception, regex in patterns:
        if any(regex.match(candidate) for candidate in candidates):
            verdict = not exception
    return verdict
