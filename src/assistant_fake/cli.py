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
    contract = commands.add_parser("contract", help="run the Schemathesis contract suite")
    contract.add_argument("--api", required=True, choices=["telnyx", "achieveapex"])
    contract.add_argument("--url", metavar="BASE",
                          help="the API's base URL (default: a fake started in-process)")
    contract.add_argument("--key", help="API key (default: $TELNYX_API_KEY / $ACHIEVEAPEX_API_KEY)")
    contract.add_argument("--max-examples", type=int, metavar="N")
    contract.add_argument("--seed", type=int, metavar="S")
    contract.add_argument("--report", type=Path, metavar="JUNIT_XML")
    contract.add_argument("--phases", metavar="LIST",
                          help="comma-separated: examples,coverage,fuzzing,stateful (default: all)")
    contract.add_argument("--config", type=Path, metavar="TOML",
                          help="Schemathesis config (default: the project's schemathesis.toml)")
    contract.set_defaults(run=_contract)
    return parser


def _serve(args: argparse.Namespace) -> int:
    from assistant_fake.server import serve
    from assistant_fake.settings import Settings

    settings = Settings(host=args.host, port=args.port, data_file=args.data,
                        fixtures_dir=args.fixtures, rate_limit=args.rate_limit)
    serve(settings, log_level=args.log_level)
    return 0


def _contract(args: argparse.Namespace) -> int:
    import os

    from assistant_fake.contract.apis import APIS
    from assistant_fake.contract.runner import run_contract

    key = args.key or os.environ.get(APIS[args.api].key_env)
    phases = [p.strip() for p in args.phases.split(",") if p.strip()] if args.phases else None
    try:
        result = run_contract(args.api, url=args.url, key=key, max_examples=args.max_examples,
                              seed=args.seed, phases=phases, report=args.report,
                              config_path=args.config)
    except ValueError as error:
        print(f"assistant-fake contract: {error}", file=sys.stderr)
        return 2
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
