"""A tiny Nominatim-compatible server on 127.0.0.1, so geocoding is tested through geopy for real.

It answers ``/search?q=…&format=json`` like Nominatim: a JSON list with one place for a known
address, ``[]`` for an unknown one. It records every request, can answer slowly (to provoke a
timeout) or fail with a 5xx (a service error).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def _key(query: str) -> str:
    return " ".join(query.split()).casefold()


@dataclass
class NominatimStub:
    """What the server knows; change it between requests as a test needs."""

    places: dict[str, tuple[float, float]] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)  # query → seconds to wait before answering
    broken: set[str] = field(default_factory=set)  # queries answered with a 500 error
    requests: list[dict[str, str]] = field(default_factory=list)  # every /search request's parameters
    port: int = 0

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def queries(self) -> list[str]:
        return [request.get("q", "") for request in self.requests]

    def add(self, query: str, latitude: float, longitude: float) -> None:
        self.places[_key(query)] = (latitude, longitude)

    def answer(self, params: dict[str, str]) -> tuple[int, object]:
        """The HTTP status and JSON body for one /search request."""
        self.requests.append(params)
        query = _key(params.get("q", ""))
        time.sleep(self.slow.get(query, 0))
        if query in self.broken:
            return 500, {"error": "Internal Server Error"}
        if query not in self.places:
            return 200, []
        latitude, longitude = self.places[query]
        return 200, [_place(len(self.requests), params.get("q", ""), latitude, longitude)]


def _place(place_id: int, name: str, latitude: float, longitude: float) -> dict[str, object]:
    return {
        "place_id": place_id,
        "lat": f"{latitude:.7f}",
        "lon": f"{longitude:.7f}",
        "display_name": name,
        "boundingbox": [
            f"{latitude - 0.001:.7f}",
            f"{latitude + 0.001:.7f}",
            f"{longitude - 0.001:.7f}",
            f"{longitude + 0.001:.7f}",
        ],
        "class": "place",
        "type": "house",
        "importance": 0.5,
    }


def _handler_for(stub: NominatimStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != "/search":
                self._send(404, {"error": "not found"})
                return
            params = {name: values[-1] for name, values in parse_qs(url.query).items()}
            self._send(*stub.answer(params))

        def _send(self, status: int, body: object) -> None:
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                pass

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

    return Handler


@contextmanager
def nominatim_server(stub: NominatimStub | None = None) -> Iterator[NominatimStub]:
    """Serve ``stub`` on a free port of 127.0.0.1 in a background thread for the block's duration."""
    stub = stub or NominatimStub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(stub))
    server.daemon_threads = True
    stub.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="nominatim-stub", daemon=True
    )
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
