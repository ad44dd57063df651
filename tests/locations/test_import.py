"""The location import: service, geocoding through a local Nominatim, command and API."""

from __future__ import annotations

import csv
import io
import socket
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from benchmarks.location_csv import location_file
from locations.geocoding import AddressQuery, Geocoder
from locations.import_file import COLUMNS, ImportIssue
from locations.importing import ImportReport, locations_import
from locations.models import GeocodeResult, Location, LocationStatus, OutletType
from tests.conftest import Chain
from tests.factories import FranchiseeFactory
from tests.locations.nominatim_server import NominatimStub, nominatim_server

pytestmark = pytest.mark.django_db

KNOWN_ADDRESS = "300 Nanjing Road, Shanghai"


def row(**values: str) -> dict[str, str]:
    """A clean row for brand Aurora of the ``chain`` fixture; keyword arguments override cells."""
    base = {
        "code": "SH-100",
        "name": "Shanghai Dealer",
        "outlet_type": "authorized",
        "franchisee": "F1",
        "region": "S",
        "address": "300 Nanjing Road",
        "city": "Shanghai",
        "country": "CN",
        "latitude": "31.2304",
        "longitude": "121.4737",
        "city_tier": "1",
        "status": "open",
        "opening_date": "2021-05-01",
        "floor_area": "120.5",
        "annual_revenue": "2500000",
    }
    return base | values


def csv_text(*rows: dict[str, str], columns: tuple[str, ...] | list[str] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def run(chain: Chain, text: str | bytes, *, dry_run: bool = False, **kwargs) -> ImportReport:
    data = text.encode() if isinstance(text, str) else text
    return locations_import(brand=chain.brand, file=io.BytesIO(data), dry_run=dry_run, **kwargs)


def where(report: ImportReport) -> list[tuple[int | None, str | None]]:
    return [(issue.line, issue.column) for issue in report.errors]


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _no_real_geocoder(settings):
    """No test may reach the public Nominatim: by default the geocoder points at a closed port."""
    settings.GEOCODER_DOMAIN = f"127.0.0.1:{closed_port()}"
    settings.GEOCODER_SCHEME = "http"
    settings.GEOCODER_MIN_DELAY = 0
    settings.GEOCODER_MAX_RETRIES = 0
    settings.GEOCODER_ERROR_WAIT = 0
    settings.GEOCODER_TIMEOUT = 2


@pytest.fixture
def nominatim(settings) -> Iterator[NominatimStub]:
    """A local Nominatim knowing one Shanghai address; the geocoder settings point at it."""
    with nominatim_server() as stub:
        stub.add(KNOWN_ADDRESS, 31.2303904, 121.4737021)
        settings.GEOCODER_DOMAIN = stub.domain
        settings.GEOCODER_SCHEME = "http"
        settings.GEOCODER_MIN_DELAY = 0
        yield stub


class TestCleanFile:
    def test_creates_every_row_with_its_values(self, chain):
        text = csv_text(
            row(),
            row(code="SH-101", outlet_type="direct", franchisee="", region="", city_tier="1"),
            row(code="SH-102", country="", status="", opening_date="", floor_area="", annual_revenue=""),
        )
        report = run(chain, text)
        assert report.ok, report.errors
        assert (report.rows, report.created, report.updated, report.dry_run) == (3, 3, 0, False)
        dealer = Location.objects.get(brand=chain.brand, code="SH-100")
        assert dealer.franchisee == chain.f1
        assert dealer.region == chain.south
        assert dealer.outlet_type == OutletType.AUTHORIZED
        assert (dealer.latitude, dealer.longitude) == (Decimal("31.230400"), Decimal("121.473700"))
        assert (dealer.floor_area, dealer.annual_revenue) == (Decimal("120.5"), Decimal("2500000"))
        assert str(dealer.opening_date) == "2021-05-01"
        direct = Location.objects.get(brand=chain.brand, code="SH-101")
        assert (direct.franchisee, direct.region) == (None, None)
        defaults = Location.objects.get(brand=chain.brand, code="SH-102")
        assert (defaults.country, defaults.status) == ("CN", LocationStatus.OPEN)
        assert (defaults.opening_date, defaults.floor_area, defaults.annual_revenue) == (None, None, None)

    def test_reimport_updates_by_code_without_duplicates(self, chain):
        text = csv_text(
            row(), row(code="BJ-001", name="Beijing Flagship II", outlet_type="direct", franchisee="")
        )
        report = run(chain, text)
        assert (report.created, report.updated, report.unchanged) == (1, 1, 0)  # BJ-001 existed
        flagship = Location.objects.get(pk=chain.direct_north.pk)
        assert flagship.name == "Beijing Flagship II"
        assert flagship.updated_at > chain.direct_north.updated_at
        before = Location.objects.count()
        report = run(chain, text.replace("Shanghai Dealer", "Shanghai Dealer (renamed)"))
        assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
        assert Location.objects.count() == before
        assert Location.objects.get(brand=chain.brand, code="SH-100").name == "Shanghai Dealer (renamed)"

    def test_reimporting_the_same_file_changes_nothing(self, chain, django_assert_max_num_queries):
        text = csv_text(row(), row(code="SH-101", annual_revenue="2500000.00", floor_area="120.50"))
        run(chain, text)
        stamps = dict(Location.objects.values_list("code", "updated_at"))
        with django_assert_max_num_queries(3):  # the three look-ups; no write at all
            report = run(chain, text)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
        assert dict(Location.objects.values_list("code", "updated_at")) == stamps

    def test_same_code_in_another_brand_is_not_touched(self, chain):
        report = run(chain, csv_text(row(code="SH-001", outlet_type="direct", franchisee="")))
        assert (report.created, report.updated) == (1, 0)
        assert Location.objects.get(pk=chain.other.pk).name == "Zenith Shanghai"

    def test_bom_crlf_header_case_and_partial_columns(self, chain):
        columns = ["Code", " Name ", "OUTLET_TYPE", "city", "city_tier"]
        text = "\ufeff" + ",".join(columns) + "\r\n" + "SH-200,Pop-up,Direct,Hangzhou,1\r\n"
        report = run(chain, text.encode("utf-8"))
        assert report.ok, report.errors
        created = Location.objects.get(brand=chain.brand, code="SH-200")
        assert (created.outlet_type, created.city, created.has_coordinates) == ("direct", "Hangzhou", False)

    def test_missing_optional_columns_leave_existing_values(self, chain):
        text = csv_text(
            {
                "code": "GZ-101",
                "name": "Guangzhou Dealer",
                "outlet_type": "authorized",
                "city": "Guangzhou",
                "city_tier": "2",
            },
            columns=("code", "name", "outlet_type", "city", "city_tier"),
        )
        report = run(chain, text)
        assert (report.updated, report.errors) == (1, [])  # only the tier changed
        dealer = Location.objects.get(pk=chain.f1_south.pk)
        assert (dealer.city_tier, dealer.franchisee, dealer.region) == (2, chain.f1, chain.south)
        assert dealer.latitude == Decimal("23.129100")

    def test_direct_store_in_small_city_is_imported_with_a_warning(self, chain):
        report = run(chain, csv_text(row(outlet_type="direct", franchisee="", city_tier="3")))
        assert report.ok
        assert [(w.line, w.column) for w in report.warnings] == [(2, "city_tier")]
        assert Location.objects.filter(code="SH-100").exists()

    def test_more_precise_coordinates_are_rounded_to_six_decimals(self, chain):
        run(chain, csv_text(row(latitude="31.23039041", longitude="121.47370215")))
        store = Location.objects.get(code="SH-100")
        assert (store.latitude, store.longitude) == (Decimal("31.230390"), Decimal("121.473702"))


BAD_VALUES = [
    ("city_tier", {"city_tier": "7"}, "must be 1, 2, 3 or 4"),
    ("city_tier", {"city_tier": "0"}, "must be 1, 2, 3 or 4"),
    ("city_tier", {"city_tier": "big"}, "must be an integer"),
    ("city_tier", {"city_tier": ""}, "is required"),
    ("outlet_type", {"outlet_type": "shop"}, "use direct or authorized"),
    ("outlet_type", {"outlet_type": ""}, "is required"),
    ("status", {"status": "gone"}, "“gone” is not valid"),
    ("franchisee", {"franchisee": ""}, "must have a franchisee"),
    ("franchisee", {"outlet_type": "direct"}, "has no franchisee"),
    ("franchisee", {"franchisee": "F9"}, "no franchisee with code “F9” in brand aurora"),
    ("franchisee", {"franchisee": "OTHER"}, "no franchisee with code “OTHER”"),  # exists in brand B
    ("region", {"region": "W"}, "no region with code “W”"),
    ("latitude", {"latitude": "95"}, "less than or equal to 90"),
    ("longitude", {"longitude": "-181"}, "greater than or equal to -180"),
    ("latitude", {"latitude": "north"}, "must be a decimal number"),
    ("longitude", {"longitude": ""}, "latitude and longitude together"),
    ("latitude", {"latitude": ""}, "latitude and longitude together"),
    ("floor_area", {"floor_area": "-5"}, "greater than or equal to 0"),
    ("floor_area", {"floor_area": "12.25"}, "decimal place"),
    ("annual_revenue", {"annual_revenue": "-1"}, "greater than or equal to 0"),
    ("annual_revenue", {"annual_revenue": "1,000"}, "must be a decimal number"),
    ("opening_date", {"opening_date": "2024-13-01"}, "invalid date"),
    ("opening_date", {"opening_date": "01/05/2021"}, "YYYY-MM-DD"),
    ("name", {"name": ""}, "is required"),
    ("city", {"city": "   "}, "is required"),
    ("code", {"code": "X" * 41}, "at most 40 characters"),
    ("country", {"country": "CHN"}, "at most 2 characters"),
]


class TestBadValues:
    @pytest.mark.parametrize(("column", "cells", "reason"), BAD_VALUES)
    def test_each_bad_value_is_reported_on_its_line_and_column(self, chain, column, cells, reason):
        FranchiseeFactory(brand=chain.other_brand, code="OTHER")
        report = run(chain, csv_text(row(code="OK-1"), row(**({"code": "BAD-1"} | cells))))
        assert where(report) == [(3, column)], report.errors
        assert reason in report.errors[0].message
        assert not Location.objects.filter(code="OK-1").exists()

    def test_message_names_line_column_and_reason(self, chain):
        report = run(chain, csv_text(row(city_tier="7"), row(code="SH-101", latitude="95")))
        assert [str(issue) for issue in report.errors] == [
            "line 2, column city_tier: must be 1, 2, 3 or 4",
            "line 3, column latitude: ensure this value is less than or equal to 90",
        ]
        assert report.errors[0].as_dict() == {
            "line": 2,
            "column": "city_tier",
            "message": "must be 1, 2, 3 or 4",
        }

    def test_every_error_of_every_row_in_one_pass(self, chain):
        text = csv_text(
            row(code="A", city_tier="9", status="gone", floor_area="-1"),
            row(code="B"),
            row(code="C", franchisee="NOPE", latitude="91"),
        )
        report = run(chain, text)
        assert where(report) == [
            (2, "city_tier"),
            (2, "status"),
            (2, "floor_area"),
            (4, "franchisee"),
            (4, "latitude"),
        ]

    def test_duplicate_code_is_reported_on_the_second_use_naming_the_first(self, chain):
        report = run(chain, csv_text(row(code="D-1"), row(code="D-2"), row(code="D-1")))
        assert where(report) == [(4, "code")]
        assert "already used on line 2" in report.errors[0].message

    def test_line_numbers_are_physical_lines(self, chain):
        """A quoted cell may span lines and blank lines are skipped; lines still count as an editor does."""
        text = csv_text(row(code="M-1", address="Tower 2\nFloor 3"))
        text += "\n" + csv_text(row(code="M-2", city_tier="8")).split("\n", 1)[1]
        report = run(chain, text)
        assert where(report) == [(5, "city_tier")]

    def test_wrong_number_of_values_is_a_row_error(self, chain):
        text = csv_text(row(code="W-1")) + "W-2,too,few\n"
        report = run(chain, text)
        assert where(report) == [(3, None)]
        assert "has 3 values" in report.errors[0].message


class TestBadFile:
    @pytest.mark.parametrize(
        ("text", "expected", "reason"),
        [
            ("code,name,outlet_type,city\nA,B,direct,X\n", [(1, "city_tier")], "required column is missing"),
            (csv_text(row(), columns=(*COLUMNS, "colour")), [(1, "colour")], "unknown column"),
            ("code,name,outlet_type,city,city_tier,code\n", [(1, "code")], "more than once"),
            ("code,name,outlet_type,city,city_tier,\nA,B,direct,X,1,\n", [(1, None)], "column 6 has no name"),
            ("code;name;outlet_type;city;city_tier\nA;B;direct;X;1\n", [(1, None)], "separated by commas"),
            ("", [(None, None)], "the file is empty"),
            (csv_text(), [(None, None)], "no rows"),
        ],
    )
    def test_file_level_errors(self, chain, text, expected, reason):
        report = run(chain, text)
        assert where(report) == expected
        assert reason in report.errors[0].message

    def test_not_utf8_says_how_to_fix_it(self, chain):
        report = run(chain, csv_text(row(name="上海专卖店")).encode("gbk"))
        assert where(report) == [(None, None)]
        assert "not UTF-8" in report.errors[0].message


class TestLargeFile:
    """The issue's baseline: 1,000 rows with 30 bad ones; all 30 in one pass, then the fixed file."""

    def test_all_thirty_errors_in_one_pass_and_nothing_imported(self, chain):
        bad = location_file(1000, 30, franchisees=["F1", "F2"], regions=["N", "NE", "S"])
        before = Location.objects.count()
        report = run(chain, bad.csv())
        assert len(report.errors) == 30
        assert where(report) == bad.expected
        assert Location.objects.count() == before

        fixed = location_file(1000, 0, franchisees=["F1", "F2"], regions=["N", "NE", "S"])
        report = run(chain, fixed.csv())
        assert report.ok, report.errors[:3]
        assert (report.created, report.updated) == (1000, 0)
        assert Location.objects.filter(brand=chain.brand).count() == 1000 + 4

    def test_checking_does_not_query_per_row(self, chain, django_assert_max_num_queries):
        bad = location_file(300, 10, franchisees=["F1", "F2"], regions=["N", "NE", "S"])
        with django_assert_max_num_queries(3):  # franchisees, regions, existing locations
            report = run(chain, bad.csv(), dry_run=True)
        assert len(report.errors) == 10

    def test_writing_is_in_bulk(self, chain, django_assert_max_num_queries):
        clean = location_file(300, 0, franchisees=["F1", "F2"], regions=["N", "NE", "S"])
        run(chain, clean.csv())
        # Not 300 saves: a few batched INSERTs, or UPDATEs on the second run (SQLite's
        # parameter limit makes batches of ~50 rows; PostgreSQL takes one statement each).
        with django_assert_max_num_queries(20):
            report = run(chain, clean.csv().replace("Store", "Shop"))
        assert report.updated == 300


class TestDryRun:
    def test_clean_file_reports_what_would_happen_and_writes_nothing(self, chain):
        text = csv_text(row(), row(code="BJ-001", name="Renamed", outlet_type="direct", franchisee=""))
        report = run(chain, text, dry_run=True)
        assert (report.ok, report.dry_run, report.created, report.updated, report.written) == (
            True,
            True,
            1,
            1,
            False,
        )
        assert not Location.objects.filter(code="SH-100").exists()
        assert Location.objects.get(pk=chain.direct_north.pk).name == "Beijing Flagship"

    def test_bad_file_reports_errors(self, chain):
        report = run(chain, csv_text(row(city_tier="5")), dry_run=True)
        assert where(report) == [(2, "city_tier")]


class TestGeocoding:
    def test_rows_without_coordinates_are_geocoded(self, chain, nominatim):
        report = run(chain, csv_text(row(latitude="", longitude="")))
        assert report.ok, report.errors
        assert report.geocoded == 1
        store = Location.objects.get(code="SH-100")
        assert (store.latitude, store.longitude) == (Decimal("31.230390"), Decimal("121.473702"))
        assert nominatim.requests == [
            {"q": KNOWN_ADDRESS, "format": "json", "limit": "1", "countrycodes": "cn"}
        ]

    def test_coordinates_in_the_file_win_and_the_server_is_not_asked(self, chain, nominatim):
        report = run(chain, csv_text(row(latitude="31.1", longitude="121.1")))
        assert report.geocoded == 0
        assert nominatim.requests == []
        assert Location.objects.get(code="SH-100").latitude == Decimal("31.100000")

    def test_each_address_is_asked_once_ever(self, chain, nominatim):
        text = csv_text(
            row(code="G-1", latitude="", longitude=""),
            row(code="G-2", latitude="", longitude="", address="  300  nanjing road "),
        )
        assert run(chain, text, dry_run=True).geocoded == 2
        assert len(nominatim.requests) == 1
        assert GeocodeResult.objects.get().found
        report = run(chain, text)  # the dry run's answers are cached, too
        assert (report.created, report.geocoded) == (2, 2)
        assert len(nominatim.requests) == 1

    def test_unknown_address_is_a_row_error_and_not_asked_again(self, chain, nominatim):
        text = csv_text(row(code="U-1"), row(code="U-2", address="1 Nowhere Lane", latitude="", longitude=""))
        for _attempt in range(2):
            report = run(chain, text)
            assert where(report) == [(3, "address")]
            assert "no place found for “1 Nowhere Lane, Shanghai”" in report.errors[0].message
        assert len(nominatim.requests) == 1
        assert GeocodeResult.objects.get(query__startswith="1 nowhere lane").found is False
        assert not Location.objects.filter(code__startswith="U-").exists()

    def test_no_geocode_imports_without_coordinates(self, chain, nominatim):
        report = run(chain, csv_text(row(latitude="", longitude="")), geocode=False)
        assert (report.ok, report.geocoded) == (True, 0)
        assert not Location.objects.get(code="SH-100").has_coordinates
        assert nominatim.requests == []

    def test_rows_without_address_are_not_geocoded(self, chain, nominatim):
        report = run(chain, csv_text(row(address="", latitude="", longitude="")))
        assert (report.ok, report.geocoded, nominatim.requests) == (True, 0, [])

    def test_known_coordinates_are_kept_while_the_address_is_unchanged(self, chain, nominatim):
        text = csv_text(
            row(code="GZ-101", city="Guangzhou", address=chain.f1_south.address, latitude="", longitude="")
        )
        assert run(chain, text).updated == 1
        assert nominatim.requests == []
        assert Location.objects.get(pk=chain.f1_south.pk).latitude == Decimal("23.129100")

    def test_a_changed_address_is_geocoded_again(self, chain, nominatim):
        text = csv_text(row(code="GZ-101", latitude="", longitude=""))  # now at the Shanghai address
        assert run(chain, text).geocoded == 1
        assert Location.objects.get(pk=chain.f1_south.pk).latitude == Decimal("31.230390")

    def test_timeout_is_a_row_error_not_a_crash_and_not_cached(self, chain, nominatim, settings):
        settings.GEOCODER_TIMEOUT = 0.2
        nominatim.slow[KNOWN_ADDRESS.casefold()] = 1.0
        report = run(chain, csv_text(row(latitude="", longitude="")))
        assert where(report) == [(2, "address")]
        assert "timed out" in report.errors[0].message
        assert not GeocodeResult.objects.exists()
        del nominatim.slow[KNOWN_ADDRESS.casefold()]
        assert run(chain, csv_text(row(latitude="", longitude=""))).ok  # asked again, now answered

    def test_service_error_is_a_row_error_and_a_dead_service_is_not_hammered(self, chain, nominatim):
        addresses = [f"{n} Failing Street" for n in range(5)]
        nominatim.broken.update(f"{a}, shanghai".casefold() for a in addresses)
        rows = [row(code=f"E-{n}", address=a, latitude="", longitude="") for n, a in enumerate(addresses)]
        report = run(chain, csv_text(*rows))
        assert where(report) == [(line, "address") for line in range(2, 7)]
        assert "the geocoder failed" in report.errors[0].message
        assert "failed 3 times in a row" in report.errors[-1].message
        assert len(nominatim.requests) == 3
        assert not GeocodeResult.objects.exists()

    def test_unreachable_service_is_a_row_error(self, chain):
        report = run(chain, csv_text(row(latitude="", longitude="")))
        assert where(report) == [(2, "address")]
        assert "the geocoder failed" in report.errors[0].message

    def test_misconfigured_geocoder_is_a_row_error(self, chain, settings):
        settings.GEOCODER_SCHEME = "ftp"
        report = run(chain, csv_text(row(latitude="", longitude="")))
        assert where(report) == [(2, "address")]
        assert "the geocoder failed" in report.errors[0].message

    def test_retries_follow_the_settings(self, chain, nominatim, settings):
        settings.GEOCODER_MAX_RETRIES = 2
        nominatim.broken.add(KNOWN_ADDRESS.casefold())
        Geocoder().geocode(AddressQuery("300 Nanjing Road", "Shanghai", "CN"))
        assert len(nominatim.requests) == 3


def write_csv(tmp_path, text: str):
    path = tmp_path / "stores.csv"
    path.write_text(text, encoding="utf-8")
    return path


class Terminal(io.StringIO):
    """Captured stderr that says it is a terminal, where the progress bar is drawn."""

    def isatty(self) -> bool:
        return True


class TestCommand:
    def test_imports_and_prints_the_report(self, chain, tmp_path, nominatim):
        path = write_csv(tmp_path, csv_text(row(), row(code="SH-101", latitude="", longitude="")))
        out, err = io.StringIO(), Terminal()
        call_command("import_locations", str(path), "--brand", "aurora", stdout=out, stderr=err)
        assert out.getvalue().splitlines() == [
            "Imported 2 rows: created 2, updated 0, unchanged 0.",
            "Coordinates found by the geocoder: 1.",
        ]
        assert "Checking rows" in err.getvalue()  # the progress bars
        assert "Geocoding" in err.getvalue()
        assert Location.objects.filter(code__startswith="SH-10").count() == 2

    def test_dry_run_and_no_geocode(self, chain, tmp_path, nominatim):
        path = write_csv(tmp_path, csv_text(row(latitude="", longitude="")))
        out = io.StringIO()
        call_command(
            "import_locations",
            str(path),
            "--brand",
            "aurora",
            "--dry-run",
            "--no-geocode",
            stdout=out,
            stderr=io.StringIO(),
        )
        assert "Dry run: 1 rows are clean; would create 1 and update 0 (0 unchanged)." in out.getvalue()
        assert not Location.objects.filter(code="SH-100").exists()
        assert nominatim.requests == []

    def test_bad_file_lists_every_error_and_fails(self, chain, tmp_path):
        path = write_csv(
            tmp_path, csv_text(row(city_tier="7"), row(code="X-2"), row(code="X-3", status="gone"))
        )
        with pytest.raises(CommandError) as raised:
            call_command("import_locations", str(path), "--brand", "aurora", stderr=io.StringIO())
        message = str(raised.value)
        assert "2 errors" in message
        assert "nothing was imported" in message
        assert "line 2, column city_tier: must be 1, 2, 3 or 4" in message
        assert "line 4, column status:" in message
        assert not Location.objects.filter(code="X-2").exists()

    def test_exit_status_is_non_zero_for_a_bad_file(self, chain, tmp_path, capsys):
        path = write_csv(tmp_path, csv_text(row(city_tier="7")))
        with pytest.raises(SystemExit) as exited:
            ManagementUtility(["manage.py", "import_locations", str(path), "--brand", "aurora"]).execute()
        assert exited.value.code == 1
        assert "line 2, column city_tier: must be 1, 2, 3 or 4" in capsys.readouterr().err

    def test_unknown_brand_and_missing_file(self, chain, tmp_path):
        path = write_csv(tmp_path, csv_text(row()))
        with pytest.raises(CommandError, match="No brand with slug “nova”"):
            call_command("import_locations", str(path), "--brand", "nova")
        with pytest.raises(CommandError, match="Cannot read"):
            call_command("import_locations", str(tmp_path / "missing.csv"), "--brand", "aurora")


URL = "/api/locations/import/"


def upload(text: str, brand, dry_run: bool = False) -> dict:
    file = io.BytesIO(text.encode())
    file.name = "stores.csv"
    return {"brand": brand.pk, "file": file, "dry_run": dry_run}


class TestImportAPI:
    def test_hq_admin_imports(self, api, chain, role_users):
        response = api(role_users["hq_admin"]).post(
            URL, upload(csv_text(row(), row(code="SH-101")), chain.brand)
        )
        assert response.status_code == 201, response.content
        assert response.json() == {
            "rows": 2,
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "geocoded": 0,
            "geocode_pending": 0,
            "dry_run": False,
            "warnings": [],
        }
        assert set(
            Location.objects.filter(brand=chain.brand, code__startswith="SH-").values_list("code", flat=True)
        ) == {
            "SH-100",
            "SH-101",
        }

    def test_dry_run_answers_200_and_writes_nothing(self, api, chain, role_users):
        response = api(role_users["hq_admin"]).post(URL, upload(csv_text(row()), chain.brand, dry_run=True))
        assert response.status_code == 200, response.content
        assert (response.json()["created"], response.json()["dry_run"]) == (1, True)
        assert not Location.objects.filter(code="SH-100").exists()

    @pytest.mark.parametrize("role", ["hq_analyst", "auditor", "franchisee"])
    def test_other_roles_are_forbidden(self, api, chain, role_users, role):
        response = api(role_users[role]).post(URL, upload(csv_text(row()), chain.brand))
        assert response.status_code == 403
        assert not Location.objects.filter(code="SH-100").exists()

    def test_anonymous_is_rejected(self, api, chain):
        assert api().post(URL, upload(csv_text(row()), chain.brand)).status_code == 401

    def test_foreign_brand_is_400_on_brand(self, api, chain, role_users):
        response = api(role_users["other_admin"]).post(URL, upload(csv_text(row()), chain.brand))
        assert response.status_code == 400
        assert set(response.json()) == {"brand"}
        assert not Location.objects.filter(code="SH-100").exists()

    def test_bad_file_is_400_with_every_error(self, api, chain, role_users):
        text = csv_text(row(city_tier="7"), row(code="SH-101", franchisee="F9"))
        response = api(role_users["hq_admin"]).post(URL, upload(text, chain.brand))
        assert response.status_code == 400
        assert response.json() == {
            "errors": [
                {"line": 2, "column": "city_tier", "message": "must be 1, 2, 3 or 4"},
                {
                    "line": 3,
                    "column": "franchisee",
                    "message": "no franchisee with code “F9” in brand aurora",
                },
            ]
        }
        assert not Location.objects.filter(code__in=["SH-100", "SH-101"]).exists()

    def test_missing_file_is_400_on_file(self, api, chain, role_users):
        response = api(role_users["hq_admin"]).post(URL, {"brand": chain.brand.pk})
        assert response.status_code == 400
        assert "file" in response.json()


def test_issue_without_line_reads_as_its_message():
    assert str(ImportIssue(None, None, "the file is empty")) == "the file is empty"
    assert str(ImportIssue(7, None, "has 3 values")) == "line 7: has 3 values"
