#!/usr/bin/env bash
# Mutation testing (not part of CI): how many of mutmut's mutants of a core module its unit tests kill.
# Usage: scripts/mutation.sh [module ...]   (default: the four below). Each module runs in a copy of the
# worktree under ${MUTATION_DIR:-/tmp/tierscope-mutation}/<module>, so runs may go side by side and the
# worktree stays clean; the kill percentage of each module is printed at the end and kept in <dir>/score.txt.
# MUTATION_JOBS: mutants run side by side (1); MUTATION_EXAMPLES: Hypothesis examples per test under mutation
# (25, see scripts/mutation_plugin.py); MUTATION_SLOW=0: the slow tests are not run on the survivors.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
MUTMUT_VERSION=3.8.1
.venv/bin/python -m pip show mutmut 2>/dev/null | grep -qx "Version: $MUTMUT_VERSION" \
  || .venv/bin/python -m pip install --quiet --disable-pip-version-check "mutmut==$MUTMUT_VERSION"

# module -> the unit tests that guard it
declare -A TESTS=(
  [tiers/reading/numbers.py]="tests/test_numbers.py"
  [tiers/analysis/schemes.py]="tests/test_schemes.py"
  [tiers/analysis/engagement.py]="tests/test_engagement.py"
  [tiers/analysis/changes.py]="tests/test_changes.py"
)
# module -> its slow tests (a -k expression): a deck drawn by Chromium, a CLI in a new process. They check what
# the module's results become, seconds each, so mutmut runs the others on every mutant and these only on the
# survivors afterwards (a mutant any of them kills is counted killed): the figure is that of all the tests.
declare -A SLOW=(
  [tiers/analysis/changes.py]="cli_changes or story_says or report_and_the_workbook or deck_has"
)
# pytest's own per-run work that a mutant does not need: the garbage collection of the unraisable-exception
# plugin at exit (seconds on a heap holding pandas and pyarrow), rewriting asserts, the browser plugin.
FAST_PYTEST='"-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:playwright", "--assert=plain"'
# scripts/mutation_plugin.py: each mutant's process starts with the modules the tests import (the fork server
# imports them), and runs the fastest tests first.
FAST_PYTEST+=', "-p", "scripts.mutation_plugin"'
modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(tiers/reading/numbers.py tiers/analysis/schemes.py tiers/analysis/engagement.py
                                     tiers/analysis/changes.py)
base="${MUTATION_DIR:-/tmp/tierscope-mutation}"
for module in "${modules[@]}"; do
  tests="${TESTS[$module]:?no unit tests listed for $module}"
  work="$base/$(basename "$module" .py)"
  rm -rf "$work" && mkdir -p "$work"
  (cd "$root" && tar --exclude=.venv --exclude=.git --exclude=mutants --exclude=test-artifacts \
     --exclude=__pycache__ -cf - .) | tar -xf - -C "$work"
  ln -s "$root/.venv" "$work/.venv"
  # pyproject.toml has no [tool.mutmut]; the copy gets one naming this module and its tests only.
  {
    printf '\n[tool.mutmut]\nsource_paths = ["tiers/"]\nonly_mutate = ["%s"]\n' "$module"
    printf 'pytest_add_cli_args_test_selection = ["%s"]\n' "${tests// /\", \"}"
    slow="${SLOW[$module]:-}"
    printf 'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x", "-m", "not browser", %s%s]\n' "$FAST_PYTEST" \
      "${slow:+, \"-k\", \"not ($slow)\"}"
    printf 'also_copy = ["data/", "app.py", "pages/", "ui/", "benchmarks/", "scripts/", "babel.cfg"]\n'
  } >> "$work/pyproject.toml"
  (cd "$work" && "$root/.venv/bin/mutmut" run --max-children "${MUTATION_JOBS:-1}" > mutmut.log 2>&1 || true)
  (cd "$work" && "$root/.venv/bin/mutmut" results --all true > results.txt 2>&1 || true)
  slow_tests() {  # the slow tests in the mutated copy, with the mutant $1 switched on (none: the code as it is)
    (cd "$work/mutants" && MUTANT_UNDER_TEST="$1" timeout 600 "$root/.venv/bin/python" -m pytest -q -x \
       -p no:cacheprovider -p no:randomly -m "not browser" -k "${SLOW[$module]}" $tests > /dev/null 2>&1)
  }
  if [ "${MUTATION_SLOW:-1}" = 0 ]; then  # the slow tests skipped: a minute or more per survivor under load
    [ -z "${SLOW[$module]:-}" ] || echo "$module: the slow tests were not run on the survivors" >&2
  elif [ -n "${SLOW[$module]:-}" ] && ! slow_tests ""; then
    echo "$module: the slow tests fail without a mutant, so they cannot judge the survivors" >&2
  elif [ -n "${SLOW[$module]:-}" ]; then  # the survivors against the slow tests
    for name in $(sed -n 's/^ *\([^ ]*\): survived$/\1/p' "$work/results.txt"); do
      if ! slow_tests "$name"; then
        sed -i "s/^\( *$name\): survived$/\1: killed/" "$work/results.txt"
        echo "$name: killed by a slow test" >> "$work/slow-kills.txt"
      fi
    done
  fi
  killed=$(grep -c ': killed$' "$work/results.txt" || true)
  total=$(grep -c -E ': [a-z ]+$' "$work/results.txt" || true)
  survived=$(grep -c ': survived$' "$work/results.txt" || true)
  pct=$(python3 -c "print(f'{100 * $killed / max($total, 1):.1f}')")
  echo "$module: $killed of $total mutants killed ($pct %), $survived survived" | tee "$work/score.txt"
done
