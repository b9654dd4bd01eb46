"""Command line: `python -m tiers classify ROSTER [--scheme ID] [--norms ID] [-o OUT.csv]` and
`python -m tiers schemes`. Errors end with a one-line message on stderr and exit status 2."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tiers.classify import classify_roster
from tiers.export import classified_table, to_safe_csv
from tiers.read import RosterError, read_table
from tiers.roster import build_roster
from tiers.schemes import DEFAULT_SCHEME, all_schemes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tiers",
                                     description="Classify creator rosters into follower tiers.")
    commands = parser.add_subparsers(dest="command", required=True)
    classify = commands.add_parser("classify", help="classify every row of a roster file")
    classify.add_argument("roster", type=Path, help="CSV, TSV, XLSX, XLS or ODS file")
    classify.add_argument("--scheme", default=DEFAULT_SCHEME, choices=list(all_schemes()))
    classify.add_argument("--sheet", help="sheet name in a workbook (default: the one holding the roster)")
    classify.add_argument("--mapping", type=Path,
                          help="JSON object field -> header (as downloaded from the Roster page); default: guessed")
    classify.add_argument("-o", "--output", type=Path, help="output CSV (default: standard output)")
    commands.add_parser("schemes", help="list the tier schemes with their thresholds and sources")
    return parser


def _classify(args: argparse.Namespace) -> int:
    try:
        data = args.roster.read_bytes()
    except OSError as error:
        raise RosterError(f"{args.roster}: cannot read the file ({error.strerror or error})") from None
    mapping = None
    if args.mapping:
        try:
            mapping = json.loads(args.mapping.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise RosterError(f"{args.mapping}: not a readable JSON mapping ({error})") from None
        if not isinstance(mapping, dict):
            raise RosterError(f"{args.mapping}: a mapping is a JSON object of field -> column header")
    roster = build_roster(read_table(data, args.roster.name, args.sheet), mapping)
    table = classified_table(classify_roster(roster, args.scheme))
    payload = to_safe_csv(table)
    if args.output:
        args.output.write_bytes(payload)
    else:
        sys.stdout.buffer.write(payload)
    counts = roster.counts
    print(f"{args.roster.name}: {counts['read']} rows read, {counts['ok']} classified, {counts['rejected']} rejected, "
          f"{counts['blank'] + counts['total']} blank or total", file=sys.stderr)
    return 0


def _schemes() -> int:
    for scheme in all_schemes().values():
        bounds = ", ".join(f"{tier} {scheme.bounds_label(tier)}" for tier in scheme.tier_ids)
        print(f"{scheme.id:<10} {scheme.name}: {bounds}  [{scheme.source}, {scheme.year}]")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _classify(args) if args.command == "classify" else _schemes()
    except (RosterError, KeyError, ValueError) as error:
        message = str(error).strip("'\"").replace("\n", " ")
        print(f"tierscope: error: {message}", file=sys.stderr)
        return 2
    except Exception as error:  # never a traceback for the user; say what happened in one line
        print(f"tierscope: error: {args.__dict__.get('roster', '')}: unexpected {type(error).__name__}: {error}",
              file=sys.stderr)
        return 2
