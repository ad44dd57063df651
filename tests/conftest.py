"""Shared fixtures: API clients per role and a small two-brand chain to test visibility on.

Also the suite's housekeeping: every test's uploaded files go to a temporary directory
(``media_root``), hypothesis keeps nothing in the checkout, and a run that leaves the checkout
different from how it found it fails, naming the files (``pytest_sessionfinish``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client, override_settings
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir
from rest_framework.test import APIClient

from cx_audit.core.choices import Role
from locations.models import Brand, Franchisee, Location, Region
from tests.factories import (
    BrandFactory,
    FranchiseeFactory,
    LocationFactory,
    MembershipFactory,
    RegionFactory,
    UserFactory,
)

CHECKOUT = Path(__file__).resolve().parent.parent

# Hypothesis: no example database, and its caches (constants, Unicode tables) in the system's
# temporary directory instead of ./.hypothesis. A --hypothesis-profile given on the command line
# still wins; HYPOTHESIS_STORAGE_DIRECTORY, when set, still says where the caches go.
hypothesis_settings.register_profile("cx_audit", database=None)
hypothesis_settings.load_profile("cx_audit")
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "cx_audit-hypothesis")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests make many users; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Each test starts with no requests counted against the rate limits (they live in the cache)."""
    from django.core.cache import cache

    cache.clear()


# --- Media: never the checkout's ./media -------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _session_media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A safety net under ``media_root``: files saved outside any one test (by a module or session
    fixture) land in the session's temporary directory too, not in ./media."""
    root = tmp_path_factory.mktemp("session-media")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    """Every test's photos, logos and ZIPs go to ``<tmp_path>/media``, never to the checkout's ./media.

    Autouse for the whole suite: unit, API and browser tests. The browser tests' live server is a
    thread of this process, so it sees the same setting: nothing reads MEDIA_ROOT once and keeps it
    (STORAGES["default"] names FileSystemStorage without a location, and Django's FileSystemStorage
    forgets its cached location when the setting changes), so ``default_storage`` and every
    FileField save and serve from here, in the test thread and the live server's alike
    (tests/test_suite_hygiene.py checks both). Ask for it by name for the path.
    """
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@dataclass
class Chain:
    """Brand A: North (with sub-region North-East) and South; partners F1 and F2. Brand B apart."""

    brand: Brand
    other_brand: Brand
    north: Region
    north_east: Region
    south: Region
    f1: Franchisee
    f2: Franchisee
    direct_north: Location
    f1_south: Location
    f2_north_east: Location
    f1_tier3: Location
    other: Location


@pytest.fixture
def chain(db) -> Chain:
    brand = BrandFactory(name="Aurora", slug="aurora")
    other_brand = BrandFactory(name="Zenith", slug="zenith")
    north = RegionFactory(brand=brand, code="N", name="North")
    north_east = RegionFactory(brand=brand, code="NE", name="North-East", parent=north)
    south = RegionFactory(brand=brand, code="S", name="South")
    f1 = FranchiseeFactory(brand=brand, code="F1", name="First Partner")
    f2 = FranchiseeFactory(brand=brand, code="F2", name="Second Partner")
    return Chain(
        brand=brand,
        other_brand=other_brand,
        north=north,
        north_east=north_east,
        south=south,
        f1=f1,
        f2=f2,
        direct_north=LocationFactory(
            brand=brand,
            code="BJ-001",
            name="Beijing Flagship",
            region=north,
            city="Beijing",
            latitude="39.904200",
            longitude="116.407400",
        ),
        f1_south=LocationFactory(
            brand=brand,
            code="GZ-101",
            name="Guangzhou Dealer",
            region=south,
            franchisee=f1,
            city="Guangzhou",
            latitude="23.129100",
            longitude="113.264400",
        ),
        f2_north_east=LocationFactory(
            brand=brand,
            code="SY-201",
            name="Shenyang Dealer",
            region=north_east,
            franchisee=f2,
            city="Shenyang",
            city_tier=2,
            latitude="41.805700",
            longitude="123.431500",
        ),
        f1_tier3=LocationFactory(
            brand=brand,
            code="LY-102",
            name="Luoyang Dealer",
            region=south,
            franchisee=f1,
            city="Luoyang",
            city_tier=3,
            latitude="34.619700",
            longitude="112.454000",
        ),
        other=LocationFactory(brand=other_brand, code="SH-001", name="Zenith Shanghai"),
    )


@pytest.fixture
def user_in(db):
    """Make a user with one role in a brand: ``user_in(brand, Role.AUDITOR, regions=[...])``."""

    def make(brand: Brand, role: str, **scope):
        return MembershipFactory(brand=brand, role=role, **scope).user

    return make


@pytest.fixture
def role_users(chain, user_in) -> dict[str, object]:
    """One user per role in brand A (the auditor covers North; the franchisee is F1)."""
    return {
        "hq_admin": user_in(chain.brand, Role.HQ_ADMIN),
        "hq_analyst": user_in(chain.brand, Role.HQ_ANALYST),
        "auditor": user_in(chain.brand, Role.AUDITOR, regions=[chain.north]),
        "franchisee": user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f1),
        "other_admin": user_in(chain.other_brand, Role.HQ_ADMIN),
        "outsider": UserFactory(),
    }


@pytest.fixture
def api():
    """An API client; ``api(user)`` signs that user in."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def client_for(db):
    """A page client (Django's test client); ``client_for(user)`` signs that user in."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


class _TableRows(HTMLParser):
    """The text of each data row of each table, cell by cell (a row of one spanning cell is a message)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._spanning = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row, self._spanning = [], False
        elif tag == "td" and self._row is not None:
            self._cell = []
            self._spanning |= any(name == "colspan" for name, _ in attrs)
        elif self._cell is not None:
            self._cell.append(" ")  # elements inside a cell read as separate words

    def handle_endtag(self, tag: str) -> None:
        if tag != "td" and self._cell is not None:
            self._cell.append(" ")
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row and not (self._spanning and len(self._row) == 1):
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def table_rows():
    """Read a page as a person reads its tables: ``table_rows(response)`` → list of rows of cell texts."""

    def read(response) -> list[list[str]]:
        parser = _TableRows()
        parser.feed(response.content.decode())
        return parser.rows

    return read


# --- The checkout as the suite found it ----------------------------------------------------------

# Not looked at: git's own files, the virtualenv, and caches of the interpreter and the tools.
UNWATCHED = frozenset({".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"})
CHECKOUT_BEFORE = pytest.StashKey[dict[str, tuple[int, int] | None]]()
CHECKOUT_CHANGES = pytest.StashKey[list[str]]()
ASKED_FOR = pytest.StashKey[frozenset[str]]()


def checkout_snapshot(root: Path = CHECKOUT, skip: Collection[str] = ()) -> dict[str, tuple[int, int] | None]:
    """Every file under ``root`` with its size and modification time, and every directory (None),
    by path relative to ``root`` (directories end in "/"); ``UNWATCHED`` names and the absolute
    paths in ``skip`` are left out."""
    found: dict[str, tuple[int, int] | None] = {}
    pending = [root]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.name in UNWATCHED or entry.path in skip:
                    continue
                name = Path(entry.path).relative_to(root).as_posix()
                if entry.is_dir(follow_symlinks=False):
                    found[name + "/"] = None
                    pending.append(Path(entry.path))
                else:
                    stat = entry.stat(follow_symlinks=False)
                    found[name] = (stat.st_size, stat.st_mtime_ns)
    return found


def checkout_changes(
    before: dict[str, tuple[int, int] | None], after: dict[str, tuple[int, int] | None]
) -> list[str]:
    """One line per path created, changed or deleted between two snapshots, sorted by path."""
    lines = [f"created: {name}" for name in after.keys() - before.keys()]
    lines += [f"deleted: {name}" for name in before.keys() - after.keys()]
    lines += [f"changed: {name}" for name in before.keys() & after.keys() if before[name] != after[name]]
    return sorted(lines, key=lambda line: line.split(": ", 1)[1])


def _controller(config: pytest.Config) -> bool:
    """Not a pytest-xdist worker: the check runs once, around the whole run."""
    return not hasattr(config, "workerinput")


def _asked_for(config: pytest.Config) -> frozenset[str]:
    """Where the command line asked pytest to write (--basetemp, --junitxml, pytest-playwright's
    --output for the screenshots, videos and traces it keeps): not leftovers, wherever they are."""
    paths = [config.getoption(name, None) for name in ("basetemp", "xmlpath", "output")]
    return frozenset(os.path.abspath(path) for path in paths if path)


def pytest_sessionstart(session: pytest.Session) -> None:
    if _controller(session.config):
        skip = session.config.stash[ASKED_FOR] = _asked_for(session.config)
        session.config.stash[CHECKOUT_BEFORE] = checkout_snapshot(skip=skip)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if it created, changed or deleted anything in the checkout (./media, db.sqlite3,
    .hypothesis/, a PDF, ...): tests write to ``tmp_path`` and ``media_root`` only."""
    before = session.config.stash.get(CHECKOUT_BEFORE, None)
    if before is None:
        return
    changes = checkout_changes(before, checkout_snapshot(skip=session.config.stash[ASKED_FOR]))
    if changes:
        session.config.stash[CHECKOUT_CHANGES] = changes
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    matrix = sys.modules.get("tests.trust.matrix")
    if matrix is not None and matrix.COUNTS["requests"]:
        counts = matrix.COUNTS
        terminalreporter.section("permission matrix", sep="=")
        terminalreporter.line(
            f"requests: {counts['requests']}, another's object asked: {counts['hidden']}, "
            f"5xx: {counts['5xx']}, leaks: {counts['leaks']}"
        )
    changes = config.stash.get(CHECKOUT_CHANGES, [])
    if changes:
        terminalreporter.section("the suite left the checkout changed", sep="=", red=True, bold=True)
        terminalreporter.line(
            f"{len(changes)} path(s) under {CHECKOUT} differ from before the run; tests must write "
            "to tmp_path or media_root (tests/conftest.py) instead (a file you edited yourself "
            "while the tests ran is listed too):",
            red=True,
        )
        for line in changes:
            terminalreporter.line(f"  {line}", red=True)
