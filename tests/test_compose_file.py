"""deploy/compose.yaml and deploy/Dockerfile, checked without Docker (no daemon runs here or in CI).

The compose file is validated against the Compose Specification's own JSON schema (vendored unchanged in
tests/fixtures/compose/, provenance in its README), as written and with its variables filled in; then what
a schema cannot see: dependencies name services, the app is given only variables that it (or the server
Reflex runs) reads and accepts, every variable is documented and every secret comes from outside, nginx
mounts the very site config the nginx test runs, one port from the Dockerfile to nginx's upstream, and the
Dockerfile is a sequence of known instructions whose COPY sources exist and reach the build context.
"""

from __future__ import annotations

import copy
import importlib.util
import ipaddress
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from container_files import (
    DockerfileError,
    InterpolationError,
    env_file,
    ignore_patterns,
    ignored,
    interpolate,
    load_compose,
    parse_dockerfile,
    references,
)
from deploy_paths import (
    COMPOSE_ENV_EXAMPLE,
    COMPOSE_FILE,
    DEPLOY,
    DEPLOY_README,
    DOCKERFILE,
    NGINX_SITE,
    NGINX_UPSTREAM_COMPOSE,
    REPO_ROOT,
)

from agentoire_app import settings as settings_module
from agentoire_app.settings import get_settings

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "compose" / "compose-spec.json").read_text())
# Variables the app container is given that the server reads rather than agentoire's settings.
SERVER_VARIABLES = {"GRANIAN_WORKERS"}
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|_KEY|SECRET")
# What an operator fills into deploy/.env for the required variables.
FILLED = {"POSTGRES_PASSWORD": "0123456789abcdef0123", "AGENTOIRE_ADMIN_TOKEN": "t" * 24}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose(COMPOSE_FILE)


@pytest.fixture(scope="module")
def operator_env() -> dict[str, str]:
    """deploy/env.example with the secrets filled in, as deploy/.env would be."""
    env = env_file(COMPOSE_ENV_EXAMPLE)
    return {**env, **FILLED}


@pytest.fixture(scope="module")
def resolved(compose: dict[str, Any], operator_env: dict[str, str]) -> dict[str, Any]:
    return interpolate(compose, operator_env)


def schema_errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(document)]


def app_port(resolved: dict[str, Any]) -> int:
    [port] = resolved["services"]["app"]["expose"]
    return int(port)


def test_the_compose_file_follows_the_compose_specification(compose: dict[str, Any],
                                                            resolved: dict[str, Any]) -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert schema_errors(compose) == []
    assert schema_errors(resolved) == []


def test_the_schema_refuses_what_compose_refuses(compose: dict[str, Any]) -> None:
    """The validation above is not vacuous: a misspelt key or condition is an error."""
    misspelt = copy.deepcopy(compose)
    misspelt["services"]["app"]["depends_no"] = misspelt["services"]["app"].pop("depends_on")
    assert any("depends_no" in error for error in schema_errors(misspelt))
    wrong_condition = copy.deepcopy(compose)
    wrong_condition["services"]["app"]["depends_on"]["postgres"]["condition"] = "service_ready"
    assert schema_errors(wrong_condition)


def test_a_key_given_twice_is_refused_as_compose_refuses_it(tmp_path: Path) -> None:
    twice = tmp_path / "compose.yaml"
    twice.write_text("services:\n  app:\n    image: a\n    image: b\n")
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'image'"):
        load_compose(twice)


def test_the_app_waits_for_healthy_databases_and_nginx_for_a_built_app(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"nginx", "app", "postgres", "redis"}
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on {dependency}, which is no service"
    conditions = {name: spec["condition"] for name, spec in services["app"]["depends_on"].items()}
    assert conditions == {"postgres": "service_healthy", "redis": "service_healthy"}
    assert services["nginx"]["depends_on"] == {"app": {"condition": "service_healthy", "restart": True}}
    for name in ("app", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in services["postgres"]["volumes"])
    assert set(compose["volumes"]) == {volume.split(":")[0] for volume in services["postgres"]["volumes"]}
    assert "ports" not in services["app"]  # only nginx reaches it: see AGENTOIRE_TRUSTED_PROXIES


def test_the_app_is_given_only_variables_it_reads(compose: dict[str, Any]) -> None:
    settings_source = Path(settings_module.__file__).read_text()
    read_by_settings = set(re.findall(r'"([A-Z][A-Z0-9_]+)"', settings_source))
    spec = importlib.util.find_spec("reflex")
    assert spec is not None and spec.submodule_search_locations
    reflex_source = "\n".join(path.read_text() for location in spec.submodule_search_locations
                              for path in Path(location).rglob("*.py"))
    for name in SERVER_VARIABLES:
        assert f'"{name}"' in reflex_source, f"the installed Reflex no longer reads {name}"
    given = set(compose["services"]["app"]["environment"])
    assert given - read_by_settings - SERVER_VARIABLES == set()
    assert {"AGENTOIRE_DB_URL", "REDIS_URL", "AGENTOIRE_BASE_URL"} <= given


def test_the_app_accepts_the_environment_its_container_gets(resolved: dict[str, Any],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    environment = resolved["services"]["app"]["environment"]
    for name, value in environment.items():
        monkeypatch.setenv(name, str(value))
    settings = get_settings()
    password = FILLED["POSTGRES_PASSWORD"]
    assert settings.db_url == f"postgresql+psycopg://agentoire:{password}@postgres:5432/agentoire"
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.base_url == "https://agentoire.example"
    assert settings.admin_token == FILLED["AGENTOIRE_ADMIN_TOKEN"]
    # The address nginx gets on the containers' network is one whose X-Forwarded-For the app believes.
    [subnet] = [entry["subnet"] for entry in resolved["networks"]["default"]["ipam"]["config"]]
    nginx_address = next(ipaddress.ip_network(subnet).hosts()) + 1
    assert any(nginx_address in network for network in settings.trusted_proxies)
    assert settings.refresh_seconds == 900 and settings.llm_url is None  # empty means the default
    assert int(environment["GRANIAN_WORKERS"]) >= 1


def test_every_variable_is_documented_and_every_secret_comes_from_outside(compose: dict[str, Any]) -> None:
    found = references(compose)
    example = env_file(COMPOSE_ENV_EXAMPLE)
    readme = DEPLOY_README.read_text()
    for reference in found:
        assert reference.name in example, f"{reference.name} is not in deploy/env.example"
        assert f"`{reference.name}`" in readme, f"{reference.name} is not explained in deploy/README.md"
        if reference.required:
            assert "deploy/.env" in reference.arg, f"{reference.name}'s message should say where to set it"
        else:
            assert reference.op == ":-", f"{reference.name} is neither required nor given a default"
    environment = compose["services"]["app"]["environment"] | compose["services"]["postgres"]["environment"]
    for name, value in environment.items():
        if SECRET_NAME.search(name):
            assert re.fullmatch(r"\$\{\w+:[?-][^}]*\}", value), f"{name} must come from the environment"
    for name, value in example.items():
        if SECRET_NAME.search(name):
            assert value == "", f"deploy/env.example gives {name} a value; it is a secret"
    assert "deploy/.env" in (REPO_ROOT / ".gitignore").read_text().splitlines()


def test_a_missing_secret_stops_compose_with_its_message(compose: dict[str, Any],
                                                        operator_env: dict[str, str]) -> None:
    required = {reference.name for reference in references(compose) if reference.required}
    assert required == {"POSTGRES_PASSWORD", "AGENTOIRE_BASE_URL", "AGENTOIRE_ADMIN_TOKEN"}
    for name in required:
        for missing in ({k: v for k, v in operator_env.items() if k != name}, {**operator_env, name: ""}):
            with pytest.raises(InterpolationError, match=f"^{name}: set {name} in deploy/.env"):
                interpolate(compose, missing)


def _mounts(service: dict[str, Any]) -> dict[str, Path]:
    """Container path → host file for a service's bind mounts (relative to the compose file's folder)."""
    mounts = {}
    for volume in service["volumes"]:
        source, target, *_ = volume.split(":")
        if source.startswith("."):
            mounts[target] = (DEPLOY / source).resolve()
    return mounts


def test_nginx_runs_the_tested_site_config_in_front_of_the_app_service(resolved: dict[str, Any]) -> None:
    mounts = _mounts(resolved["services"]["nginx"])
    assert mounts == {"/etc/nginx/conf.d/default.conf": NGINX_SITE,
                      "/etc/nginx/conf.d/agentoire-upstream.conf": NGINX_UPSTREAM_COMPOSE}
    assert all(path.is_file() for path in mounts.values())
    # nginx includes conf.d/*.conf in name order: the upstream comes before the site that proxies to it.
    assert sorted(mounts) == ["/etc/nginx/conf.d/agentoire-upstream.conf", "/etc/nginx/conf.d/default.conf"]
    upstream = NGINX_UPSTREAM_COMPOSE.read_text()
    [name] = re.findall(r"^upstream (\w+) \{", upstream, re.M)
    assert set(re.findall(r"proxy_pass http://(\w+);", NGINX_SITE.read_text())) == {name}
    assert re.findall(r"^\s*server ([\w.-]+):(\d+);", upstream, re.M) == [("app", str(app_port(resolved)))]
    assert upstream.count("{") == upstream.count("}")
    [published] = resolved["services"]["nginx"]["ports"]
    assert published == "80:80" and "listen 80;" in NGINX_SITE.read_text()


def test_one_port_from_the_dockerfile_to_nginx(resolved: dict[str, Any]) -> None:
    dockerfile = parse_dockerfile(DOCKERFILE.read_text())
    port = app_port(resolved)
    [expose] = dockerfile.all("EXPOSE")
    assert expose.words() == [str(port)]
    [cmd] = dockerfile.all("CMD")
    assert cmd.exec_form() == ["agentoire", "serve", "--port", str(port)]
    healthcheck = " ".join(resolved["services"]["app"]["healthcheck"]["test"])
    assert f"http://127.0.0.1:{port}/api/health" in healthcheck


def test_the_dockerfile_is_a_sequence_of_known_instructions() -> None:
    dockerfile = parse_dockerfile(DOCKERFILE.read_text())
    assert dockerfile.directives == {"syntax": "docker/dockerfile:1"}  # BuildKit: RUN --mount needs it
    [base] = dockerfile.all("FROM")
    assert base.arguments == "python:3.11-slim"
    [install] = [run for run in dockerfile.all("RUN") if "pip install" in run.arguments]
    assert install.words()[:4] == ["pip", "install", "-c", "constraints.txt"]
    env = " ".join(instruction.arguments for instruction in dockerfile.all("ENV"))
    assert "REFLEX_USE_NPM=1" in env
    [user] = dockerfile.all("USER")
    assert user.arguments not in ("root", "0")
    # The parser would notice a typo or a stray line.
    with pytest.raises(DockerfileError, match="unknown instruction 'RUNN'"):
        parse_dockerfile(DOCKERFILE.read_text() + "RUNN echo\n")
    with pytest.raises(DockerfileError, match="COPY takes no --chwon"):
        parse_dockerfile("FROM scratch\nCOPY --chwon=agentoire a b\n")
    with pytest.raises(DockerfileError, match="JSON form does not parse"):
        parse_dockerfile('FROM scratch\nCMD ["agentoire", "serve"\n').all("CMD")[0].exec_form()


def test_every_copy_source_exists_and_reaches_the_build_context(resolved: dict[str, Any]) -> None:
    build = resolved["services"]["app"]["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert context == REPO_ROOT and (context / build["dockerfile"]) == DOCKERFILE
    # BuildKit reads the ignore file named after the Dockerfile, beside it.
    patterns = ignore_patterns(DOCKERFILE.with_name(DOCKERFILE.name + ".dockerignore"))
    copies = parse_dockerfile(DOCKERFILE.read_text()).all("COPY")
    assert copies
    for instruction in copies:
        assert "from" not in instruction.flags
        *sources, _destination = instruction.words()
        for source in sources:
            assert (context / source).exists(), f"line {instruction.line}: COPY {source}: no such file"
            assert not ignored(source, patterns), f"line {instruction.line}: {source} is not in the context"
    # What the image copies is what the app needs at run time, and nothing private goes with it.
    for needed in ("agentoire_app/settings.py", "migrations/env.py", "rxconfig.py",
                   "reflex.lock/package.json"):
        assert not ignored(needed, patterns), needed
    for private in (".venv/bin/python", ".web/package.json", "data/agentoire.db", "deploy/.env", ".git/HEAD",
                    "agentoire_app/__pycache__/db.cpython-311.pyc"):
        assert ignored(private, patterns), private
