"""Sign-in security: lockout after repeated failures, password rules, idle sign-out."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from core.passwords import CharacterClassValidator


def _attempt(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_correct_password_signs_in(client, county_inspector):
    response = _attempt(client, county_inspector.username, PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_account_locks_after_five_failures(client, county_inspector):
    # Given five failed attempts
    for _ in range(5):
        response = _attempt(client, county_inspector.username, "wrong-password")
    # the fifth already answers with the lockout page
    assert response.status_code == 403
    # when the right password is tried next
    response = _attempt(client, county_inspector.username, PASSWORD)
    # then it is refused with the Chinese lockout message
    html = response.content.decode()
    assert response.status_code == 403
    assert "登录失败次数过多，账户已锁定 15 分钟" in html
    assert client.get("/").status_code == 302


def test_four_failures_do_not_lock(client, county_inspector):
    for _ in range(4):
        _attempt(client, county_inspector.username, "wrong-password")
    assert _attempt(client, county_inspector.username, PASSWORD).status_code == 302


def test_lockout_is_per_account(client, county_inspector, neighbour_inspector):
    for _ in range(5):
        _attempt(client, county_inspector.username, "wrong-password")
    assert _attempt(client, neighbour_inspector.username, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "ok"),
    [("abcdefgh", False), ("abcdefg1", False), ("Abcdefg1", True), ("abcdef1!", True), ("ABCDEFG!", False)],
)
def test_character_class_validator(password, ok):
    validator = CharacterClassValidator(min_classes=3)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as exc:
            validator.validate(password)
        assert "大写字母、小写字母、数字、符号中的 3 类" in exc.value.messages[0]


def test_configured_validators_refuse_short_and_simple_passwords():
    with pytest.raises(ValidationError) as exc:
        validate_password("abc12")
    messages = " ".join(exc.value.messages)
    assert "中的 3 类" in messages
    validate_password("Zhijian#2026q")


def test_idle_sign_out_after_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert "core.middleware.SlidingSessionMiddleware" in settings.MIDDLEWARE


def test_the_expiry_is_renewed_at_most_once_a_minute(login, county_inspector):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = login(county_inspector)
    client.get("/")
    key = client.session.session_key
    # Five minutes ago the expiry was last renewed: the next request renews it (the user is active).
    session = client.session
    session["_renewed_at"] = int(timezone.now().timestamp()) - 300
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=25))
    client.get("/")
    renewed = Session.objects.get(pk=key).expire_date
    assert renewed - timezone.now() > timedelta(minutes=29)
    # A request a moment later writes nothing: the expiry stays where the last renewal put it.
    Session.objects.filter(pk=key).update(expire_date=renewed - timedelta(seconds=30))
    client.get("/")
    assert Session.objects.get(pk=key).expire_date == renewed - timedelta(seconds=30)


def test_session_expiry_is_renewed_and_an_idle_session_ends(login, county_inspector):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = login(county_inspector)
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    # When 30 minutes pass without a request, the next one is sent to the sign-in page.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    # (with cached_db sessions the cached copy expires at the same moment; the test stands in for that)
    from django.core.cache import cache

    cache.clear()
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
