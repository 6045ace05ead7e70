"""core.ratelimit: a limit that holds across connections and processes, in the database and in Redis."""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import uuid
from typing import Any

import pytest
from django.db import connection

from zhengdun.core import ratelimit
from zhengdun.core.models import RateLimitCount


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis(settings: Any) -> None:
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("Redis is expected on 127.0.0.1:6379 in CI")
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL},
    }


def _key() -> str:
    return f"test:{uuid.uuid4()}"


def test_it_allows_up_to_the_limit_then_refuses(db: None) -> None:
    key = _key()
    assert [ratelimit.hit(key, 3, 60) for _ in range(5)] == [True, True, True, False, False]
    assert RateLimitCount.objects.get().count == 5


def test_it_counts_each_key_apart(db: None) -> None:
    first, second = _key(), _key()
    assert ratelimit.hit(first, 1, 60)
    assert ratelimit.hit(second, 1, 60)
    assert not ratelimit.hit(first, 1, 60)


def test_exceeded_reads_without_counting(db: None) -> None:
    key = _key()
    assert not ratelimit.exceeded(key, 2, 60)
    ratelimit.hit(key, 2, datetime.timedelta(minutes=1))
    assert not ratelimit.exceeded(key, 2, 60)
    ratelimit.hit(key, 2, 60)
    assert ratelimit.exceeded(key, 2, 60)
    assert RateLimitCount.objects.get().count == 2


def test_a_new_window_starts_afresh_and_drops_expired_counters(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    key = _key()
    now = 1_800_000_000.0
    monkeypatch.setattr(ratelimit, "_clock", lambda: now)
    assert ratelimit.hit(key, 1, 60)
    assert not ratelimit.hit(key, 1, 60)
    now += 60
    assert ratelimit.hit(key, 1, 60)
    assert RateLimitCount.objects.count() == 1


def test_the_key_is_stored_only_as_a_hash(db: None) -> None:
    ratelimit.hit("login:10.1.2.3", 5, 60)
    assert "10.1.2.3" not in RateLimitCount.objects.get().key


def test_a_window_under_a_second_is_refused(db: None) -> None:
    with pytest.raises(ValueError):
        ratelimit.hit(_key(), 1, 0)


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_across_database_connections() -> None:
    # Each thread has its own database connection, as each process of a real install has.
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database locks whole tables; the next test runs SQLite files in processes")
    key, allowed, lock = _key(), [], threading.Lock()

    def worker() -> None:
        try:
            for _ in range(5):
                ok = ratelimit.hit(key, 7, 60)
                with lock:
                    allowed.append(ok)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 20 and allowed.count(True) == 7
    assert RateLimitCount.objects.get().count == 20


_SQLITE_WORKER = """
import django, json, sys
django.setup()
from django.db import connection
from zhengdun.core import ratelimit
from zhengdun.core.models import RateLimitCount
if sys.argv[1] == "create":
    with connection.schema_editor() as editor:
        editor.create_model(RateLimitCount)
else:
    print(json.dumps([ratelimit.hit("shared", 10, 60) for _ in range(8)]))
"""


def test_on_a_sqlite_file_the_limit_holds_across_processes(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhengdun.settings",
        "ZHENGDUN_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
    }
    run = [sys.executable, "-c", _SQLITE_WORKER]
    subprocess.run([*run, "create"], env=env, check=True, timeout=60)
    workers = [subprocess.Popen([*run, "hit"], env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    allowed = [ok for worker in workers for ok in json.loads(worker.communicate(timeout=60)[0])]
    assert len(allowed) == 24 and allowed.count(True) == 10


def test_in_redis_it_allows_up_to_the_limit(redis: None) -> None:
    key = _key()
    assert [ratelimit.hit(key, 2, 60) for _ in range(3)] == [True, True, False]
    assert ratelimit.exceeded(key, 2, 60)


def test_redis_url_puts_the_counters_in_redis() -> None:
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['ratelimit'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhengdun.settings", "REDIS_URL": "redis://127.0.0.1:6379/3"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert "django.core.cache.backends.redis.RedisCache" in out and "redis://127.0.0.1:6379/3" in out


def _hit_many(key: str, times: int, results: Any) -> None:
    from django.core.cache import caches

    caches["ratelimit"].close()  # its own connection, as a separate worker would have
    results.put([ratelimit.hit(key, 10, 60) for _ in range(times)])


def test_in_redis_the_limit_holds_across_processes(redis: None) -> None:
    key = _key()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [context.Process(target=_hit_many, args=(key, 8, results)) for _ in range(3)]
    for process in processes:
        process.start()
    allowed = [ok for _ in processes for ok in results.get(timeout=30)]
    for process in processes:
        process.join(timeout=30)
    assert len(allowed) == 24 and allowed.count(True) == 10
