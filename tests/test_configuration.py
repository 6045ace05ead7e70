"""Every setting the code reads is defined in settings.py, and every variable
settings.py reads from the environment is documented in the README."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (ROOT / "zhengdun" / "settings.py").read_text()
README = (ROOT / "README.md").read_text()


def _configuration_table() -> str:
    return README.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_every_environment_variable_has_a_row_in_the_readme():
    read = set(re.findall(r'(?:environ\.get|_env_bool|_env_json_object)\(\s*"([A-Z_]+)"', SETTINGS))
    assert {"TRUST_X_FORWARDED_FOR", "ZHENGDUN_ASSIGNMENT_RULES", "ZHENGDUN_DATA_DIR", "LOG_LEVEL"} <= read
    documented = set(re.findall(r"`([A-Z_]+)`", _configuration_table()))
    assert read - documented == set()


def test_every_setting_the_code_reads_is_defined():
    names = set()
    for path in (ROOT / "zhengdun").rglob("*.py"):
        names |= set(re.findall(r'getattr\(\s*settings\s*,\s*"([A-Z_]+)"', path.read_text()))
    assert {name for name in names if not hasattr(settings, name)} == set()


def test_the_https_settings_are_explicit():
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"):
        assert hasattr(settings, name)
    assert settings.TRUST_X_FORWARDED_FOR is False and settings.ZHENGDUN_ASSIGNMENT_RULES == {}
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS


def test_no_unused_package_is_pinned():
    for name in ("requirements.txt", "constraints.txt"):
        assert "django-ratelimit" not in (ROOT / name).read_text()


def test_the_security_checklist_names_only_tests_and_files_that_exist():
    checklist = (ROOT / "docs" / "security.md").read_text()
    named = set(re.findall(r"`((?:tests|zhengdun|bench)/[^`]+?\.(?:py|md))`", checklist))
    assert len(named) > 30
    assert sorted(p for p in named if not (ROOT / p).exists()) == []
    for item in (
        "8.1.4.1",
        "8.1.4.2",
        "8.1.4.3",
        "8.1.4.4",
        "8.1.4.5",
        "8.1.4.6",
        "8.1.4.7",
        "8.1.4.8",
        "8.1.4.9",
        "8.1.4.10",
        "8.1.4.11",
    ):
        assert f"## {item} " in checklist
