"""The ceiling for mockcrm's stack: a bare Flask app on mockcrm's server (granian, in-process,
with mockcrm's default threads) answering fixed bytes.

    python -m benchmarks.floor_app PORT [BODIES.json]

BODIES.json maps "METHOD path" to {"status": int, "body": str}; the app answers those bytes (and
200 `{}` on /__admin/health, the ready probe). With no file it only has the health route, which
is the start-up floor: Flask + the server and nothing else.
"""

from __future__ import annotations

import json
import sys

from flask import Flask, Response, request

from mockcrm import server
from mockcrm.settings import Settings

CONTENT_TYPE = "application/json;charset=UTF-8"


def create(bodies: dict[str, dict]) -> Flask:
    app = Flask("floor")

    @app.route("/__admin/health")
    def health() -> Response:
        return Response("{}", content_type=CONTENT_TYPE)

    @app.route("/<path:path>", methods=["GET", "POST", "PUT"])
    def fixed(path: str) -> Response:
        # Keyed without the query string, so every page size is its own entry only by path.
        key = f"{request.method} {request.full_path.rstrip('?')}"
        entry = bodies.get(key) or bodies.get(f"{request.method} /{path}")
        if entry is None:
            return Response("{}", status=404, content_type=CONTENT_TYPE)
        if request.content_length or request.headers.get("Transfer-Encoding"):
            request.get_data()  # read a body that is there, as mockcrm's hooks do
        return Response(entry["body"], status=entry["status"], content_type=CONTENT_TYPE)

    return app


def main() -> None:
    port = int(sys.argv[1])
    bodies = {}
    if len(sys.argv) > 2:
        with open(sys.argv[2], encoding="utf-8") as handle:
            bodies = json.load(handle)
    server.serve(create(bodies), server.bind("127.0.0.1", port), threads=Settings().threads)


if __name__ == "__main__":
    main()
