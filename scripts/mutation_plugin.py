"""pytest plugin for mutation runs (scripts/mutation.sh loads it with `-p scripts.mutation_plugin`; never in CI).

mutmut 3 forks one process per mutant from a fork server that has only collected the tests, and runs in it the
tests its stats run mapped to the mutated function, stopping at the first failure (`-x`). Two costs of a mutant
are not the mutant's:
- Modules the tests import lazily (Streamlit by the suite's autouse fixture, SQLAlchemy and Alembic by the
  scratch database, SciPy by the column reader, ...) were imported again in every mutant's process: over a
  second of a killed mutant's 1.4 s. The stats run writes down every module it ended with; the fork server
  imports them after collecting, so each mutant's process starts with them.
- The tests ran in the order of a Python set, so a mutant a 0.01 s test kills often ran a 10 s one first.
  They now run fastest first, by the stats run's durations: the same tests, so the same verdict, sooner.
And one cost that is: a mutant no test kills runs every test mapped to it, and in test_numbers.py the Hypothesis
tests (100 examples each, 6.4 s of the file's 7 s) are mapped to nearly every function. Under mutation each runs
MUTATION_EXAMPLES (default 25) examples, still derandomised (the same ones every run); README "Testing" gives the
kill figure measured both ways on the same mutants.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("mutation", max_examples=int(os.environ.get("MUTATION_EXAMPLES", "25")))
settings.load_profile("mutation")  # before the test modules are imported: their settings inherit it

MODULES = Path("mutation-modules.txt")  # in mutmut's working folder, mutants/
STATS = Path("mutmut-stats.json")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if STATS.exists():
        durations = json.loads(STATS.read_text(encoding="utf-8")).get("duration_by_test", {})
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))


def pytest_collection_finish(session: pytest.Session) -> None:
    if not session.config.option.collectonly or not MODULES.exists():
        return
    for name in MODULES.read_text(encoding="utf-8").split():  # the fork server's warm-up
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - best effort: a module that will not import is imported by its test
            continue


def pytest_sessionfinish(session: pytest.Session) -> None:
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        names = sorted(name for name, module in list(sys.modules.items())
                       if module is not None and not name.startswith("__main__"))
        MODULES.write_text("\n".join(names) + "\n", encoding="utf-8")
