"""Chinese on every desk; English only when a user chooses it."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_pages_are_chinese_whatever_the_browser_language(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert page.status_code == 200
    assert page["Content-Language"] == "zh-hans"
    assert "登录" in page.content.decode()


@pytest.mark.django_db
def test_the_language_switch_shows_english(client):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get(switched["Location"])

    html = page.content.decode()
    assert page["Content-Language"] == "en"
    assert "Sign in" in html or "Log in" in html
    assert "登录" not in html


@pytest.mark.django_db
def test_a_signed_in_user_reads_the_home_page_in_english(client, county_inspector):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.force_login(county_inspector)

    html = client.get("/").content.decode()

    assert "Spot-check tasks" in html or "Spot-check task" in html
    assert "抽查任务" not in html


def test_every_message_has_an_english_translation():
    """msgfmt counts untranslated and fuzzy entries; the English catalogue must have none."""
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(PO_FILE)], capture_output=True, text=True, check=True
    )
    stats = result.stderr.strip()
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


@pytest.mark.django_db
def test_time_limits_read_in_english_with_the_unit_agreeing_with_the_number(client):
    from core.timelimits import load_time_limits

    load_time_limits()
    chinese = client.get("/deadlines/").content.decode()
    assert "严重违法失信名单列入期限" in chinese and "3 年" in chinese and "60–90 日" in chinese

    client.post("/i18n/setlang/", {"language": "en", "next": "/deadlines/"})
    english = client.get("/deadlines/").content.decode()
    assert "Period on the serious-violation list" in english and "from listing" in english
    assert "1 year<" in english and "5 working days" in english and "60–90 days" in english
    assert "严重违法失信名单列入期限" not in english
