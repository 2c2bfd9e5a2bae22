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
    from assistant_fake.core.journal import DEFAULT_JOURNAL_SIZE
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
    serve.add_argument("--seed", type=int, metavar="N",
                       help="generate ids from this seed: the same requests get the same ids")
    serve.add_argument("--clock", type=_frozen_time, metavar="RFC3339",
                       help="start with the clock frozen at this time, e.g. 2026-01-01T00:00:00Z")
    serve.add_argument("--admin-token", metavar="TOKEN",
                       help="let any client use the admin API with this token (default: the "
                            "admin API answers loopback clients only)")
    serve.add_argument("--journal-size", type=_non_negative, default=DEFAULT_JOURNAL_SIZE,
                       metavar="N", help="requests kept in the journal (/__fake/journal); "
                                         "0 turns it off (default: %(default)s)")
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
    contract.add_argument("--dry-run", action="store_true",
                          help="list the operations and phases that would run; call nothing")
    _real_service_options(contract)
    contract.set_defaults(run=_contract)
    record = commands.add_parser(
        "record", help="record the journey and the contract suite against a real service")
    record.add_argument("--api", required=True, choices=["telnyx", "achieveapex"])
    record.add_argument("--url", required=True, metavar="BASE",
                        help="the real API's base URL (Telnyx: including /v2)")
    record.add_argument("--key", help="API key (default: $TELNYX_API_KEY / $ACHIEVEAPEX_API_KEY)")
    record.add_argument("--suite", choices=["journey", "contract", "both"], default="both",
                        help="what to run while recording (default: both, journey first)")
    record.add_argument("--max-examples", type=int, metavar="N")
    record.add_argument("--seed", type=int, metavar="S")
    record.add_argument("--phases", metavar="LIST", help="contract phases (default: all)")
    _real_service_options(record)
    record.add_argument("--dry-run", action="store_true",
                        help="list the calls that would be made and make none")
    record.add_argument("cassette", type=Path, metavar="CASSETTE", help="the JSON file to write")
    record.set_defaults(run=_record)
    drift = commands.add_parser(
        "drift", help="replay a cassette against the fake and report every difference")
    drift.add_argument("cassette", type=Path, metavar="CASSETTE")
    drift.add_argument("--url", metavar="BASE",
                       help="the fake API's base URL (default: a fake started in-process)")
    drift.add_argument("--key", help="API key for the replay (default: a fresh one)")
    drift.set_defaults(run=_drift)
    explain = commands.add_parser(
        "explain", help="print the exact status and body the fake answers one request with")
    explain.add_argument("--api", required=True, choices=["telnyx", "achieveapex"])
    explain.add_argument("method", metavar="METHOD", help="GET, POST, PATCH, ...")
    explain.add_argument("path", metavar="PATH",
                         help="e.g. /ai/assistants (Telnyx: /v2 is added when missing)")
    explain.add_argument("payload", nargs="?", metavar="PAYLOAD",
                         help="a file holding the request body, or - for stdin")
    explain.add_argument("--key", help="API key to send (default: a fixed one; '' sends none)")
    explain.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'",
                         help="an extra request header (repeatable)")
    explain.add_argument("--include", "-i", action="store_true",
                         help="print the response headers too")
    explain.set_defaults(run=_explain)
    return parser


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _real_service_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--enable", metavar="GROUPS",
        help="with --url, also run these outward-facing operations (comma-separated; Telnyx: "
             "chat,sms,scheduled-calls,imports,test-runs,tool-calls; AchieveApex: "
             "mcp,reservations; or all)")
    parser.add_argument("--pace", metavar="N/UNIT",
                        help="with --url, at most N requests per s|m|h|d "
                             "(default: AchieveApex 900/h, Telnyx unlimited)")


def _phases(text: str | None) -> list[str] | None:
    return [p.strip() for p in text.split(",") if p.strip()] if text else None


def _suite_choices(args: argparse.Namespace) -> tuple[list[str] | None, frozenset[str]]:
    """``--phases`` and ``--enable``, checked with ``--pace`` before anything is sent (a
    ValueError says what is wrong)."""
    from assistant_fake.contract.cleanup import Pacer
    from assistant_fake.contract.real_service import parse_groups
    from assistant_fake.contract.runner import check_phases

    phases = _phases(args.phases)
    check_phases(phases)
    Pacer.parse(args.pace)
    return phases, frozenset(parse_groups(args.api, args.enable))


def _serve(args: argparse.Namespace) -> int:
    from assistant_fake.server import serve
    from assistant_fake.settings import Settings
    from assistant_fake.store.log_storage import DataFileInUse

    settings = Settings(host=args.host, port=args.port, data_file=args.data,
                        fixtures_dir=args.fixtures, rate_limit=args.rate_limit, seed=args.seed,
                        clock=args.clock, admin_token=args.admin_token or None,
                        journal_size=args.journal_size)
    try:
        serve(settings, log_level=args.log_level)
    except DataFileInUse as error:
        print(f"assistant-fake serve: {error}", file=sys.stderr)
        return 2
    return 0


def _frozen_time(text: str):
    from assistant_fake.store.clock import parse_time

    try:
        return parse_time(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _contract(args: argparse.Namespace) -> int:
    import os

    from assistant_fake.contract.apis import APIS
    from assistant_fake.contract.runner import run_contract

    key = args.key or os.environ.get(APIS[args.api].key_env)
    try:
        phases, enable = _suite_choices(args)
    except ValueError as error:
        print(f"assistant-fake contract: {error}", file=sys.stderr)
        return 2
    if args.dry_run:
        from assistant_fake.contract.plan import describe

        try:
            print("\n".join(describe(args.api, args.url, phases, args.config, enable)))
        except ValueError as error:
            print(f"assistant-fake contract: {error}", file=sys.stderr)
            return 2
        return 0
    try:
        result = run_contract(args.api, url=args.url, key=key, max_examples=args.max_examples,
                              seed=args.seed, phases=phases, report=args.report,
                              config_path=args.config, enable=enable, pace=args.pace)
    except ValueError as error:
        print(f"assistant-fake contract: {error}", file=sys.stderr)
        return 2
    return result.exit_code


def _record(args: argparse.Namespace) -> int:
    import os

    from assistant_fake.contract.apis import APIS
    from assistant_fake.contract.plan import describe as describe_suite
    from assistant_fake.contract.record import (
        Recording,
        describe,
        public_url,
        record,
        record_suite,
        write_cassette,
    )

    try:
        phases, enable = _suite_choices(args)
    except ValueError as error:
        print(f"assistant-fake record: {error}", file=sys.stderr)
        return 2
    journey, suite = args.suite in ("journey", "both"), args.suite in ("contract", "both")
    if args.dry_run:
        print(f"record {args.api} (dry run, nothing is called): would write {args.cassette}")
        if journey:
            print("\n".join(describe(args.api, args.url)))
        if suite:
            print("\n".join(describe_suite(args.api, args.url, phases, None, enable)))
        return 0
    key = args.key or os.environ.get(APIS[args.api].key_env)
    if not key:
        print(f"assistant-fake record: a key is needed: --key or {APIS[args.api].key_env}",
              file=sys.stderr)
        return 2
    print(f"record {args.api}: {args.url}", flush=True)
    recording = record(args.api, args.url, key) if journey else Recording(args.api,
                                                                         public_url(args.url))
    passed = True
    if suite:
        passed = record_suite(recording, args.url, key, max_examples=args.max_examples,
                              seed=args.seed, phases=phases, enable=enable,
                              pace=args.pace)
    write_cassette(recording, args.cassette, key)
    print(f"{len(recording.interactions)} calls written to {args.cassette}"
          + (f", {len(recording.skipped)} skipped" if recording.skipped else ""))
    for error in recording.errors:
        print(f"assistant-fake record: {error}", file=sys.stderr)
    if not passed:
        print("assistant-fake record: the contract suite failed against the service "
              "(the cassette is written all the same)", file=sys.stderr)
    return 1 if recording.errors or recording.skipped or not passed else 0


def _drift(args: argparse.Namespace) -> int:
    from assistant_fake.contract.drift import drift, load_cassette

    try:
        cassette = load_cassette(args.cassette)
    except (OSError, ValueError) as error:
        print(f"assistant-fake drift: {error}", file=sys.stderr)
        return 2
    return drift(cassette, url=args.url, key=args.key).exit_code


def _explain(args: argparse.Namespace) -> int:
    from assistant_fake.explain import DEFAULT_KEY, explain, parse_headers

    try:
        headers = parse_headers(args.header)
        payload = _read_payload(args.payload)
    except (OSError, ValueError) as error:
        print(f"assistant-fake explain: {error}", file=sys.stderr)
        return 2
    answer = explain(args.api, args.method, args.path, payload,
                     key=DEFAULT_KEY if args.key is None else args.key, headers=headers)
    print(answer.status_line)
    if args.include:
        print("\n".join(f"{name}: {value}" for name, value in answer.headers.items()))
        print()
    print(answer.pretty_body())
    return 0


def _read_payload(source: str | None) -> bytes | None:
    if source is None:
        return None
    if source == "-":
        return sys.stdin.buffer.read()
    return Path(source).read_bytes()


if __name__ == "__main__":
    sys.exit(main())
