#!/usr/bin/env python
"""What a sign-in costs: the password hashers of base settings, and a whole sign-in.

For Argon2 (the hasher new passwords get) and PBKDF2 (Django's default before, whose hashes are
still accepted and re-hashed with Argon2 at the next sign-in), times checking a password
REPEATS times and prints the median wall and CPU time. Then signs in through the sign-in page
(Django's test client, a throwaway SQLite database) REPEATS times. One JSON object per line:

    {"bench": "sign-in", "what": "check argon2", "median_ms": 61.3, "cpu_median_ms": 60.8}

Twenty people signing in at once after a reminder cost twenty times the CPU median together.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 15


def timed(fn, repeats: int = REPEATS) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(repeats):
        started_cpu, started = time.process_time(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def emit(what: str, wall: float, cpu: float, **extra) -> None:
    result = {"bench": "sign-in", "what": what, "median_ms": round(wall, 1)}
    result |= {"cpu_median_ms": round(cpu, 1), **extra}
    print(json.dumps(result), flush=True)
    print(f"  {what:34} median {wall:7.1f} ms   (CPU median {cpu:.1f} ms)", flush=True)


def main() -> int:
    directory = tempfile.mkdtemp(prefix="bench-signin-")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import get_hasher, make_password
    from django.core.management import call_command
    from django.test import Client, override_settings

    from config.settings import base

    password = "a long enough bench password"
    call_command("migrate", verbosity=0)
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        for algorithm in ("argon2", "pbkdf2_sha256"):
            hasher = get_hasher(algorithm)
            encoded = make_password(password, hasher=algorithm)
            wall, cpu = timed(lambda h=hasher, e=encoded: h.verify(password, e))
            emit(f"check {algorithm}", wall, cpu)

        email = "signin@bench.example"
        user = get_user_model()(email=email)
        user.set_password(password)
        user.save()
        assert user.password.startswith("argon2$"), user.password
        client = Client()

        def sign_in() -> None:
            response = client.post("/sign-in/", {"username": email, "password": password})
            assert response.status_code == 302, response.status_code
            client.cookies.clear()

        sign_in()  # warm up
        wall, cpu = timed(sign_in)
        emit("sign in through the page (argon2)", wall, cpu)
    return 0


if __name__ == "__main__":
    sys.exit(main())
