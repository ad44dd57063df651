"""The test suite's settings: the project's own, in development mode.

cx_audit/settings.py is production-safe by default (DEBUG off, no start without a secret key of its
own). The suite runs as development: DJANGO_DEBUG=1 unless the environment already says otherwise,
so the local key and plain static files serve, as under `make demo`. pytest-django still runs each
test with DEBUG False. Subprocesses a test starts inherit this variable; tests of the production
start (tests/trust/test_f13_deploy.py) give their commands an environment of their own.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from cx_audit.settings import *  # noqa: F403

# SQLite tests run in memory, as Django does by default; said explicitly so that pytest-xdist's
# workers (each with a database of its own) keep it in memory too: pytest-django names a worker's
# database after the file otherwise, because the engine is the project's own SQLite subclass.
if DATABASES["default"]["ENGINE"] == "cx_audit.db.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"  # noqa: F405
