"""`mockcrm serve`: one process, many threads (state is in memory), behind waitress."""

from __future__ import annotations

import argparse
import sys

from mockcrm.seed.loader import SEED_NAMES
from mockcrm.settings import AUTH_MODES, Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockcrm", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the emulated Zoho CRM API")
    serve.add_argument("--host", help="bind address (MOCKCRM_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (MOCKCRM_PORT, default 8080)")
    serve.add_argument("--seed", choices=SEED_NAMES, help="seed org (MOCKCRM_SEED, default zylker)")
    serve.add_argument("--auth", choices=AUTH_MODES, help="MOCKCRM_AUTH, default permissive")
    serve.add_argument("--threads", type=int, help="worker threads (MOCKCRM_THREADS, default 8)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env(
        host=args.host, port=args.port, seed=args.seed, auth=args.auth, threads=args.threads
    )
    from waitress import serve

    from mockcrm.app import create_app

    app = create_app(settings)
    print(
        f"mockcrm serving seed '{settings.seed}' on http://{settings.host}:{settings.port}",
        file=sys.stderr,
        flush=True,
    )
    serve(app, host=settings.host, port=settings.port, threads=settings.threads, ident="mockcrm")
    return 0
