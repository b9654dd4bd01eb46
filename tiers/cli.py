"""Command line: `python -m tiers classify ROSTER [--scheme ID] [-o OUT.csv]`,
`python -m tiers report ROSTER [--scheme ID] -o deck.pptx|report.html|roster.xlsx`,
`python -m tiers changes OLD NEW [--scheme ID] [-o OUT.csv]`,
`python -m tiers workspace list|export ID -o FILE|import FILE` and `python -m tiers schemes`.
Errors end with a one-line message on stderr and exit status 2."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pyarrow as pa

from tiers.analysis.changes import change_summary, compare_snapshots
from tiers.analysis.classify import analyse, classify_roster
from tiers.analysis.engagement import DEFAULT_NORMS, get_norm_set, norm_ids
from tiers.analysis.schemes import DEFAULT_SCHEME, all_schemes, get_scheme
from tiers.engines.cli import add_engine_options
from tiers.engines.cli import run as engine_run
from tiers.presenting.export import changes_table, classified_table, write_safe_csv
from tiers.presenting.i18n import LANGUAGES, translator
from tiers.reading.checking import check_roster, problem_text, read_checked
from tiers.reading.columns import PLATFORM_OF_ALL, repeated_headers
from tiers.reading.read import RosterError
from tiers.reading.roster import Roster, build_roster, load_mapping
from tiers.reading.sandbox import read_table_isolated, run_command_isolated


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tiers",
                                     description="Classify creator rosters into follower tiers.")
    commands = parser.add_subparsers(dest="command", required=True)
    classify = commands.add_parser("classify", help="classify every row of a roster file")
    classify.add_argument("roster", type=Path, help="CSV, TSV, XLSX, XLS or ODS file")
    classify.add_argument("--scheme", default=DEFAULT_SCHEME, choices=list(all_schemes()))
    classify.add_argument("--sheet", help="sheet name in a workbook (default: the one holding the roster; "
                                           "'*' for every sheet with a follower column)")
    classify.add_argument("--mapping", type=Path,
                          help="JSON object field -> header (as downloaded from the Roster page); default: guessed")
    classify.add_argument("-o", "--output", type=Path, help="output CSV (default: standard output)")
    add_engine_options(classify)
    report = commands.add_parser("report", help="make the client deck (.pptx), report (.html) or workbook (.xlsx)")
    report.add_argument("roster", type=Path, help="CSV, TSV, XLSX, XLS or ODS file")
    report.add_argument("--scheme", default=DEFAULT_SCHEME, choices=list(all_schemes()))
    report.add_argument("--norms", default=DEFAULT_NORMS, choices=norm_ids())
    report.add_argument("--sheet", help="sheet name in a workbook (default: the one holding the roster; "
                                         "'*' for every sheet with a follower column)")
    report.add_argument("--mapping", type=Path, help="JSON object field -> header; default: guessed")
    report.add_argument("--lang", default="en", choices=list(LANGUAGES), help="language of the deliverable")
    report.add_argument("--brand", default="Brand", help="the client's brand name")
    report.add_argument("--agency", default="", help="the agency's name (the cover names none without it)")
    report.add_argument("--accent", default="#219ebc", help="accent colour, e.g. #c2185b")
    report.add_argument("--logo", type=Path, help="agency logo (PNG or JPG)")
    report.add_argument("-o", "--output", type=Path, required=True, help="deck.pptx, report.html or roster.xlsx")
    changes = commands.add_parser("changes", help="compare two rosters of the same creators (older first): "
                                                   "growth, tier moves, new and dropped accounts, flags")
    changes.add_argument("old", type=Path, help="the older roster file")
    changes.add_argument("new", type=Path, help="the newer roster file")
    changes.add_argument("--scheme", default=DEFAULT_SCHEME, choices=list(all_schemes()))
    changes.add_argument("--sheet", help="sheet name in both workbooks (default: the one holding the roster)")
    changes.add_argument("--lang", default="en", choices=list(LANGUAGES), help="language of the flags' words")
    changes.add_argument("-o", "--output", type=Path, help="output CSV (default: standard output)")
    results = commands.add_parser("results", help="a campaign's results sheet (one row per post): figures per "
                                                   "post and per tier and platform")
    results.add_argument("posts", type=Path, help="the results sheet: CSV, TSV, XLSX, XLS or ODS")
    results.add_argument("--roster", type=Path, help="the campaign's roster, to match posts to its accounts")
    results.add_argument("--scheme", default=DEFAULT_SCHEME, choices=list(all_schemes()))
    results.add_argument("--sheet", help="sheet name in the results workbook (default: the one holding the posts)")
    results.add_argument("-o", "--output", type=Path, required=True, help="POSTS.csv: one row per data row")
    results.add_argument("--summary", type=Path, help="TIERS.csv: one row per tier and platform, and per tier")
    add_engine_options(changes)
    commands.add_parser("schemes", help="list the tier schemes with their thresholds and sources")
    workspace = commands.add_parser("workspace", help="saved analyses in the database ($TIERSCOPE_DATABASE_URL)")
    actions = workspace.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="every saved analysis by client, newest first")
    listing.add_argument("--search", default="", help="only those whose name, client or file name contains this")
    export = actions.add_parser("export", help="write one analysis as a .tierscope file")
    export.add_argument("id", help="the analysis id (see `workspace list`, or ?a= in the dashboard's URL)")
    export.add_argument("-o", "--output", type=Path, required=True, help="FILE.tierscope")
    load = actions.add_parser("import", help="add the analysis in a .tierscope file as a new analysis")
    load.add_argument("file", type=Path)
    return parser


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise RosterError(f"{path}: cannot read the file ({error.strerror or error})") from None


def _roster(args: argparse.Namespace, path: Path | None = None) -> Roster:
    path = path or args.roster
    mapping = load_mapping(args.mapping) if getattr(args, "mapping", None) else None
    raw = read_table_isolated(_read(path), path.name, args.sheet)
    english = translator("en")
    for key, values in raw.notes:
        print(english(key, **values), file=sys.stderr)
    others = [name for name in raw.roster_sheets if name != raw.sheet]
    if others:
        print(f"{path.name}: reading sheet '{raw.sheet}'; sheet(s) {', '.join(others)} also hold a follower "
              "column (choose with --sheet, or --sheet '*' for all)", file=sys.stderr)
    if mapping is None:
        reading, roster = read_checked(raw)
        problems = (*reading.switched, *reading.problems)
    else:
        roster = build_roster(raw, mapping)
        problems = tuple(check_roster(roster))
    for problem in problems:  # what looks wrong in the reading, naming the column
        print(f"{path.name}: {problem_text(problem, 'en')}", file=sys.stderr)
    return roster


def _report(args: argparse.Namespace) -> int:
    # Imported here: plotly and python-pptx cost the `classify` path time it does not need.
    from tiers.presenting.deliverables import (
        chart_renderer_missing,
        story_html,
        story_pptx,
        warm_renderer,
        workbook_xlsx,
    )
    from tiers.presenting.story import Branding, build_story
    from tiers.storage.analysis import check_logo

    kind = args.output.suffix.lower()
    if kind not in (".pptx", ".html", ".xlsx"):
        raise RosterError(f"{args.output}: the output must end in .pptx, .html or .xlsx")
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", args.accent):
        raise RosterError(f"--accent {args.accent}: give a colour as #rrggbb")
    if not args.output.parent.is_dir():  # said before the work, not after it
        raise RosterError(f"{args.output}: cannot write the file (no folder {args.output.parent})")
    logo = _read(args.logo) if args.logo else None
    if logo is not None:
        check_logo(logo, str(args.logo))  # ValueError: not a PNG or JPEG image
    roster = _roster(args)  # read under the reader's limits, which a Chromium started meanwhile would inherit
    if kind == ".pptx" and not chart_renderer_missing():
        warm_renderer()  # Chromium starts while the roster is analysed
    if not roster.counts["ok"]:
        raise RosterError(f"{args.roster.name}: no row could be classified ({roster.counts['rejected']} rejected), "
                          "so there is nothing to report; `classify` lists each row's reason")
    analysed = analyse(roster, args.scheme, args.norms)
    if kind == ".xlsx":
        payload = workbook_xlsx(analysed, roster, [], args.lang)
    else:
        branding = Branding(args.brand, args.agency, args.accent, logo)
        story = build_story(analysed, roster, get_scheme(args.scheme), get_norm_set(args.norms), None, args.lang,
                            branding)
        payload = story_pptx(story) if kind == ".pptx" else story_html(story).encode("utf-8")
    _write_bytes(args.output, payload)
    print(f"{args.roster.name}: wrote {args.output} ({len(payload) / 1024:.0f} KB)", file=sys.stderr)
    return 0


def _write_bytes(output: Path, payload: bytes) -> None:
    try:
        output.write_bytes(payload)
    except OSError as error:
        raise RosterError(f"{output}: cannot write the file ({error.strerror or error})") from None


def _write_csv(table, output: Path | None) -> None:
    if output is None:
        write_safe_csv(table, sys.stdout.buffer)
        return
    try:
        with output.open("wb") as sink:
            write_safe_csv(table, sink)
    except OSError as error:
        raise RosterError(f"{output}: cannot write the file ({error.strerror or error})") from None


def _classify(args: argparse.Namespace) -> int:
    roster = _roster(args)
    _write_csv(classified_table(classify_roster(roster, args.scheme)), args.output)
    counts = roster.counts
    notes = [f"no platform column: every row read as {roster.mapping[PLATFORM_OF_ALL]}"
             ] if PLATFORM_OF_ALL in roster.mapping else []
    notes += [f"'{header}' read in units of {unit:,.0f}" for header, unit in roster.header_units.items()]
    notes += [f"{len(columns)} columns are named '{columns[0]}': {field} read from '{header}' (another with --mapping)"
              for field, header, columns in repeated_headers(list(roster.headers), roster.mapping)]
    print(f"{args.roster.name}: {counts['read']} rows read, {counts['ok']} classified, {counts['rejected']} rejected, "
          f"{counts['blank'] + counts['total']} blank or total", *notes, sep="; ", file=sys.stderr)
    return 0


def _changes(args: argparse.Namespace) -> int:
    old, new = _roster(args, args.old), _roster(args, args.new)
    accounts = compare_snapshots(classify_roster(old, args.scheme), classify_roster(new, args.scheme),
                                 get_scheme(args.scheme)).accounts
    _write_csv(changes_table(accounts, args.lang), args.output)
    summary = change_summary(accounts)
    rejected = ", ".join(f"{roster.file_name} {roster.counts['rejected']}" for roster in (old, new))
    print(f"{summary['kept']} accounts matched, {summary['new']} new, {summary['dropped']} dropped, "
          f"{summary['flagged']} flagged; rows rejected (not accounts): {rejected}", file=sys.stderr)
    return 0


def _results(args: argparse.Namespace) -> int:
    from tiers.reading.posts import read_posts_file

    posts = read_posts_file(_read(args.posts), args.posts.name, args.sheet)
    from tiers.analysis.results import match_posts, post_figures, posts_table, tier_summary, tiers_table
    roster = None
    if args.roster:
        roster = _roster(argparse.Namespace(roster=args.roster, sheet=None, mapping=None)).rows
    figures = post_figures(match_posts(posts.rows, roster), args.scheme)
    _write_csv(posts_table(figures), args.output)
    if args.summary:
        _write_csv(tiers_table(tier_summary(figures)), args.summary)
    counts = posts.counts
    matched = f", {int(figures['roster_row'].notna().sum())} matched to the roster" if roster is not None else ""
    print(f"{args.posts.name}: {counts['read']} rows read, {counts['ok']} posts, {counts['rejected']} rejected, "
          f"{counts['blank'] + counts['total']} blank or total{matched}; "
          f"{sum(posts.packages.values())} merged package(s) counted once", file=sys.stderr)
    return 0


def _schemes() -> int:
    for scheme in all_schemes().values():
        bounds = ", ".join(f"{tier} {scheme.bounds_label(tier)}" for tier in scheme.tier_ids)
        print(f"{scheme.id:<10} {scheme.name}: {bounds}  [{scheme.source}, {scheme.year}]")
    return 0


def _workspace(args: argparse.Namespace) -> int:
    # Imported here: the database is only opened by this command.
    from tiers.storage.analysis import by_client
    from tiers.storage.store import NotFound, Store

    store = Store()
    try:
        if args.action == "list":
            for client, items in by_client(store.list(args.search)):
                print(client or "(no client)")
                for item in items:
                    print(f"  {item.id}  {item.updated_at:%Y-%m-%d %H:%M} UTC  {item.name}  [{item.file_name}]")
            print(f"work kept in {store.location}", file=sys.stderr)
        elif args.action == "export":
            try:
                packed = store.export(args.id)
            except NotFound:
                raise RosterError(f"no saved analysis '{args.id}' in {store.location}") from None
            _write_bytes(args.output, packed)
            print(f"wrote {args.output} ({len(packed) / 1024:.0f} KB)", file=sys.stderr)
        else:
            analysis = store.import_archive(_read(args.file), str(args.file))
            print(analysis.id)
            print(f"{args.file}: imported '{analysis.name}' into {store.location}", file=sys.stderr)
    finally:
        store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A one-shot run allocates and frees a few hundred MB once. With Arrow's default allocator
    # (mimalloc) a 1M-row classify took 1.8-2.5 s from run to run on a 2-core machine, with the C
    # library's 1.8-2.0 s. The long-running app keeps Arrow's default.
    pa.set_memory_pool(pa.system_memory_pool())
    # a file that exhausts its reader ends the child, not this process (the engines read no spreadsheet)
    if args.command in READING_COMMANDS and getattr(args, "engine", "pandas") == "pandas":
        return run_command_isolated(lambda: _run(args))
    return _run(args)


READING_COMMANDS = ("classify", "report", "changes", "results")


def _run(args: argparse.Namespace) -> int:
    try:
        if getattr(args, "engine", "pandas") != "pandas":
            return engine_run(args)
        commands = {"classify": _classify, "report": _report, "changes": _changes, "workspace": _workspace,
                    "results": _results}
        return commands.get(args.command, lambda _: _schemes())(args)
    except (RosterError, KeyError, ValueError, RuntimeError) as error:  # RuntimeError: ExportUnavailable, StoreError
        message = str(error).strip("'\"").replace("\n", " ")
        print(f"tierscope: error: {message}", file=sys.stderr)
        return 2
    except Exception as error:  # never a traceback for the user; say what happened in one line
        print(f"tierscope: error: {args.__dict__.get('roster', '')}: unexpected {type(error).__name__}: {error}",
              file=sys.stderr)
        return 2
