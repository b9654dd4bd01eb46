"""`python -m tiers classify|changes ... --engine duckdb|spark`: a creator base (Parquet or CSV files,
folders or globs of typed columns) classified or compared by an engine into an output folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tiers.analysis.engagement import DEFAULT_NORMS, get_norm_set, norm_ids
from tiers.analysis.schemes import get_scheme
from tiers.reading.read import RosterError
from tiers.reading.roster import load_mapping

ENGINE_CHOICES = ("pandas", "duckdb", "spark")


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """--engine, --master, --memory-limit (and --mapping, --norms where the parser lacks them) on a
    `classify` or `changes` parser."""
    known = parser._option_string_actions
    if "--mapping" not in known:
        parser.add_argument("--mapping", type=Path, help="JSON object field -> column, for both files")
    if "--norms" not in known:
        parser.add_argument("--norms", default=DEFAULT_NORMS, choices=norm_ids(),
                            help="--engine duckdb|spark: the norm set of the verdicts and grades")
    parser.add_argument("--engine", default="pandas", choices=ENGINE_CHOICES,
                        help="pandas (default): one roster file, read as a spreadsheet; duckdb or spark: a "
                             "creator base of Parquet/CSV files (a file, folder or glob) into the folder -o OUT/")
    parser.add_argument("--master", help="spark: the cluster's master URL (default: local mode on this machine)")
    parser.add_argument("--memory-limit", help="duckdb: memory limit, e.g. 2GB (beyond it DuckDB spills to disk)")


def run(args: argparse.Namespace) -> int:
    """The engine path of `classify` or `changes`; counts on stderr as the pandas path prints them."""
    from tiers.engines.backends import connect
    from tiers.engines.run import changes_base, classify_base, location

    if args.output is None:
        raise RosterError(f"--engine {args.engine} writes a folder of Parquet files: give it with -o OUT/")
    if args.engine != "spark" and args.master:
        raise RosterError("--master is for --engine spark")
    mapping = load_mapping(args.mapping) if getattr(args, "mapping", None) else {}
    scheme, norms = get_scheme(args.scheme), get_norm_set(args.norms)
    out = location(args.output).rstrip("/")
    engine = connect(args.engine, args.master, args.memory_limit)
    try:
        if args.command == "classify":
            source = location(args.roster)
            counts = classify_base(engine, source, mapping, scheme, norms, out)
            reasons = "".join(f"; {rows} rejected: {reason}" for reason, rows in counts["reasons"][:5])
            print(f"{source}: {counts['read']} rows read, {counts['ok']} classified, {counts['rejected']} rejected"
                  f"{reasons}; wrote {out}/creators and {out}/tiers.parquet", file=sys.stderr)
        else:
            counts = changes_base(engine, location(args.old), location(args.new), mapping, scheme, norms, out)
            print(f"{counts['kept']} accounts matched, {counts['new']} new, {counts['dropped']} dropped, "
                  f"{counts['flagged']} flagged; wrote {out}/accounts and {out}/tier_flow.parquet",
                  file=sys.stderr)
    finally:
        engine.close()
    return 0

