"""The ``assistant-fake`` command."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    # Connexion imports Starlette's test client, which warns about httpx on every start; the
    # filter has to be in place before anything imports connexion, hence the lazy imports.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    from assistant_fake.core.rate_limit import RateLimit

    parser = argparse.ArgumentParser(prog="assistant-fake", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="run the fake (Telnyx under /v2, admin /__fake)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=4010)
    serve.add_argument("--data", type=Path, metavar="FILE",
                       help="keep the state in this JSON file (default: in memory)")
    serve.add_argument("--fixtures", type=Path, metavar="DIR",
                       help="load the fixture files under DIR at start-up")
    serve.add_argument("--rate-limit", type=RateLimit.parse, metavar="LIMIT/SECONDS",
                       help="enforce AchieveApex's per-organisation rate limit, e.g. 1000/3600")
    serve.add_argument("--log-level", default="warning",
                       choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(run=_serve)
    return parser


def _serve(args: argparse.Namespace) -> int:
    from assistant_fake.server import serve
    from assistant_fake.settings import Settings

    settings = Settings(host=args.host, port=args.port, data_file=args.data,
                        fixtures_dir=args.fixtures, rate_limit=args.rate_limit)
    serve(settings, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
