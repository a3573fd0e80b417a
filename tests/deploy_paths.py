"""The deploy files, named once: the nginx test runs these very files, and the compose file must mount them."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEPLOY = REPO_ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "agentoire-site.conf"
NGINX_UPSTREAM = DEPLOY / "nginx" / "agentoire-upstream.conf"
# The upstream for deploy/compose.yaml: the app service by name instead of loopback ports.
NGINX_UPSTREAM_COMPOSE = DEPLOY / "nginx" / "agentoire-upstream.compose.conf"
COMPOSE_FILE = DEPLOY / "compose.yaml"
COMPOSE_ENV_EXAMPLE = DEPLOY / "env.example"
DOCKERFILE = DEPLOY / "Dockerfile"
DEPLOY_README = DEPLOY / "README.md"
