"""`manage.py serve` (what `make run` starts) runs one job consumer beside waitress and stops it with the server."""

import subprocess
import sys

from django.core.management import call_command

from zhengdun.core.management.commands import serve


def test_serve_starts_one_consumer_and_stops_it_with_the_server(monkeypatch):
    import waitress

    started = []

    def start():
        # A stand-in that runs until stopped, as run_huey does.
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]))
        return started[-1]

    def serving(app, **options):
        assert started and started[0].poll() is None  # the consumer runs while the site is served

    monkeypatch.setattr(serve, "start_consumer", start)
    monkeypatch.setattr(waitress, "serve", serving)
    call_command("serve", "--port", "8123")
    assert len(started) == 1
    assert started[0].poll() is not None  # stopped with the server


def test_serve_stops_the_consumer_when_the_server_fails(monkeypatch):
    import waitress

    consumer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    monkeypatch.setattr(serve, "start_consumer", lambda: consumer)

    def refuse(app, **options):
        raise OSError("address already in use")

    monkeypatch.setattr(waitress, "serve", refuse)
    try:
        call_command("serve", "--port", "8123")
    except OSError:
        pass
    assert consumer.wait(5) is not None


def test_serve_without_jobs_starts_no_consumer(monkeypatch):
    import waitress

    monkeypatch.setattr(serve, "start_consumer", lambda: (_ for _ in ()).throw(AssertionError("started")))
    monkeypatch.setattr(waitress, "serve", lambda app, **options: None)
    call_command("serve", "--no-jobs")


def test_the_consumer_is_manage_py_run_huey(settings):
    from django.core.management import get_commands

    assert serve.CONSUMER_COMMAND[-1] == "run_huey" and get_commands()["run_huey"] == "huey.contrib.djhuey"
    assert settings.HUEY["consumer"]["workers"] == settings.JOBS_WORKERS
