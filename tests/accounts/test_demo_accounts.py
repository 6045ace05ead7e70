"""Demo accounts keep their published password and say that they are demo accounts."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.demo.test_demo_command import SMALL, demo
from zhengdun.accounts.models import User


def test_the_demo_command_flags_its_accounts_and_they_never_have_to_change(client, db):
    demo(**SMALL)
    county = User.objects.get(username="county")
    assert county.is_demo and not county.must_change_password
    assert not User.objects.filter(is_demo=False).exists()
    # A demo township operator (the county administrator would be asked for its second factor first).
    User.objects.filter(username="town1").update(password_changed_at=timezone.now() - datetime.timedelta(days=400))
    login = client.get(reverse("login")).content.decode()
    assert 'data-testid="demo-notice"' in login and "演示账号" in login
    assert client.post(reverse("login"), {"username": "town1", "password": "Zhengdun@2026"}).status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and 'data-testid="demo-badge"' in home.content.decode()


def test_other_accounts_show_no_demo_badge(client, as_user, town1):
    assert 'data-testid="demo-notice"' not in client.get(reverse("login")).content.decode()
    assert 'data-testid="demo-badge"' not in as_user(town1).get("/").content.decode()
