"""Security headers, the TLS switch and the secret key rules (settings are read in a fresh process)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "itog" / "templates"


def settings_in_subprocess(env: dict[str, str], names: list[str]) -> subprocess.CompletedProcess:
    code = (
        "import json; import itog.settings as settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ITOG_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "itog.settings", "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def test_headers_on_pages(client, region):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in response["Permissions-Policy"]
    api = client.get("/api/v1/openapi.json")
    assert "Content-Security-Policy" in api and api["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_code():
    """The CSP forbids inline scripts, styles and handlers: none may come back into a template."""
    bad = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)
    found = []
    for path in TEMPLATES.rglob("*.html"):
        for match in bad.finditer(path.read_text()):
            if 'type="application/json"' not in match.group(0):
                found.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert found == []


def test_tls_switch_sets_hsts_and_secure_cookies(tmp_path):
    names = ["SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]
    on = settings_in_subprocess({"ITOG_TLS": "1", "ITOG_DATA_DIR": str(tmp_path)}, names)
    assert on.returncode == 0, on.stderr
    assert json.loads(on.stdout) == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }
    off = settings_in_subprocess({"ITOG_DATA_DIR": str(tmp_path)}, names)
    assert json.loads(off.stdout) == {
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_hsts_header_on_https_requests(client, settings, region):
    settings.SECURE_HSTS_SECONDS = 31536000
    assert client.get("/login/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = settings_in_subprocess({"ITOG_ENV": "production", "ITOG_DATA_DIR": str(tmp_path)}, ["SECRET_KEY"])
    assert result.returncode != 0
    assert "ITOG_SECRET_KEY" in result.stderr and "ImproperlyConfigured" in result.stderr
    assert not (tmp_path / "secret_key").exists()
    short = settings_in_subprocess(
        {"ITOG_ENV": "production", "ITOG_SECRET_KEY": "short", "ITOG_DATA_DIR": str(tmp_path)}, ["SECRET_KEY"]
    )
    assert short.returncode != 0 and "too short" in short.stderr
    ok = settings_in_subprocess(
        {"ITOG_ENV": "production", "ITOG_SECRET_KEY": "k" * 50, "ITOG_DATA_DIR": str(tmp_path)}, ["SECRET_KEY"]
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["SECRET_KEY"] == "k" * 50


def test_demo_key_is_shared_by_processes(tmp_path):
    first = settings_in_subprocess({"ITOG_DATA_DIR": str(tmp_path)}, ["SECRET_KEY"])
    second = settings_in_subprocess({"ITOG_DATA_DIR": str(tmp_path)}, ["SECRET_KEY"])
    assert first.returncode == second.returncode == 0, first.stderr
    key = json.loads(first.stdout)["SECRET_KEY"]
    assert len(key) >= 50 and key == json.loads(second.stdout)["SECRET_KEY"]
    assert (tmp_path / "secret_key").read_text() == key


def test_unwritable_data_folder_fails_loudly(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")  # a file where the folder should be: no process can create the key there
    result = settings_in_subprocess({"ITOG_DATA_DIR": str(blocker / "data")}, ["SECRET_KEY"])
    assert result.returncode != 0
    assert "ITOG_SECRET_KEY is not set" in result.stderr and "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize("value", ["staging", "prod"])
def test_unknown_environment_is_refused(tmp_path, value):
    result = settings_in_subprocess({"ITOG_ENV": value, "ITOG_DATA_DIR": str(tmp_path)}, ["SECRET_KEY"])
    assert result.returncode != 0 and "ITOG_ENV" in result.stderr
