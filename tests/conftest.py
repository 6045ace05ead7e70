from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

from tests.personas import World, build_world, second_factor_device
from zhengdun.accounts import policy
from zhengdun.accounts.models import User
from zhengdun.accounts.second_factor.middleware import session_passed
from zhengdun.accounts.second_factor.policy import must_verify
from zhengdun.campaigns.models import Campaign
from zhengdun.campaigns.services import campaign_create_from_template


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _policy_kept_for_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each process keeps the security policy for a few seconds. A test starts without it and
    # keeps what it read to its end (a change through the service is seen at once), so no test
    # sees another's policy and query counts do not depend on how long a test takes.
    monkeypatch.setattr(policy, "CACHE_SECONDS", float("inf"))
    policy.forget()


@pytest.fixture(autouse=True)
def _jobs_at_once(settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Jobs run as soon as they are sent (Huey's immediate mode, on its memory storage: no
    # file, no consumer), their files go to the test's own folder, and `manage.py serve`
    # starts no consumer process. tests/core/test_job_consumer.py runs a real consumer.
    from zhengdun.core.management.commands import serve

    HUEY.immediate = True
    settings.JOB_DIR = tmp_path / "jobs"
    monkeypatch.setattr(serve, "start_consumer", lambda: None)


@pytest.fixture
def job_consumer(tmp_path: Any) -> Iterator[Any]:
    """A real Huey consumer (two worker threads) on a queue in a SQLite file, as `make run` has
    one; jobs sent while it runs wait in the file until a worker takes them. Needs a database
    the workers' connections see: use it with transactional_db (or live_server)."""
    import signal

    from huey.storage import SqliteStorage

    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(name="zhengdun-test", filename=str(tmp_path / "queue.sqlite3"))
    consumer = HUEY.create_consumer(workers=2, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.2)
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        HUEY.immediate = True


@pytest.fixture
def world(db: None) -> World:
    built = build_world()
    policy.current()  # read once here, not by the first request a test counts the queries of
    return built


@pytest.fixture
def county(world: World) -> User:
    return world.users["county"]


@pytest.fixture
def town1(world: World) -> User:
    return world.users["town1"]


@pytest.fixture
def town2(world: World) -> User:
    return world.users["town2"]


@pytest.fixture
def clerk1(world: World) -> User:
    return world.users["clerk1"]


@pytest.fixture
def clerk2(world: World) -> User:
    return world.users["clerk2"]


@pytest.fixture
def branch1(world: World) -> User:
    return world.users["branch1"]


@pytest.fixture
def leader1(world: World) -> User:
    return world.users["leader1"]


@pytest.fixture
def inspector1(world: World) -> User:
    return world.users["inspector1"]


@pytest.fixture
def sysadmin(world: World) -> User:
    return world.users["sysadmin"]


@pytest.fixture
def secadmin(world: World) -> User:
    return world.users["secadmin"]


@pytest.fixture
def auditor(world: World) -> User:
    return world.users["auditor"]


@pytest.fixture
def campaign(world: World, county: User) -> Campaign:
    return campaign_create_from_template(
        template_key="county_two_year_2018", scope=world.county_org, start_year=2026, actor=county
    )


def client_for(user: User, *, second_factor: bool = True) -> Client:
    """A client signed in as `user`; an account that must pass the second factor has
    passed it, unless `second_factor=False` (the password step only)."""
    client = Client()
    client.force_login(user)
    if second_factor and must_verify(user):
        session = client.session
        session_passed(session, second_factor_device(user))
        session.save()
    return client


@pytest.fixture
def as_user() -> Any:
    """as_user(town1) -> a test client signed in as that persona."""
    return client_for
