#!/usr/bin/env bash
# Mutation testing of hand-written modules, each against the tests of its area.
#
#   scripts/mutation.sh                              every module held at 90% or more (HELD below)
#   scripts/mutation.sh server/schemas cli/landed    these modules
#   scripts/mutation.sh resolve ids                  a bare name is a module of ax_tasks_mcp/service/
#
# AREA/MODULE names ax_tasks_mcp/AREA/MODULE.py (AREA: service, server, sandbox) or
# cli/ax_tasks_cli/MODULE.py (AREA: cli), each tested by tests/AREA (the fast loop's tests: no e2e,
# faults or fuzz). mutmut reads its settings only from pyproject.toml, so the run happens in a
# scratch copy (.mutation/) whose [tool.mutmut] names just these modules and tests; each mutant's
# tests run on MUTATION_WORKERS (default 2) processes, then each module's score and survivors are
# printed (scripts/mutation_report.py). One survivor: (cd .mutation && uv run --project ..
# mutmut show NAME). mutmut's progress goes to .mutation/mutmut-run.log. CPU-heavy: give it a
# quiet machine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

HELD=(service/reconcile service/transport service/resolve service/polling service/ids
      service/answers service/wire server/schemas server/confirmation cli/landed)

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=("${HELD[@]}")
files=()
names=()
tests=()
for module in "${modules[@]}"; do
  case "$module" in */*) ;; *) module="service/$module" ;; esac
  area=${module%%/*}
  name=${module#*/}
  case "$area" in
    service|server|sandbox) file="ax_tasks_mcp/$area/$name.py"; dotted="ax_tasks_mcp.$area.$name" ;;
    cli) file="ax_tasks_cli/$name.py"; dotted="ax_tasks_cli.$name" ;;
    *) echo "unknown area '$area' in $module: use service, server, sandbox or cli" >&2; exit 2 ;;
  esac
  [ -f "$file" ] || [ -f "cli/$file" ] || { echo "no module $module" >&2; exit 2; }
  files+=("$file")
  names+=("$dotted.*")
  [[ " ${tests[*]} " == *" tests/$area "* ]] || tests+=("tests/$area")
done

work="$root/.mutation"
rm -rf "$work"
mkdir -p "$work"
# The CLI's package sits at the top, as the tests import it: mutmut names mutants by file path.
cp -r ax_tasks_mcp cli/ax_tasks_cli docs generated_client openapi scripts tests pyproject.toml uv.lock \
  "$work/"
find "$work" -name __pycache__ -prune -exec rm -rf {} +
# This run's modules and tests, over the shared settings of pyproject.toml's [tool.mutmut].
uv run --locked python - "$work/pyproject.toml" "${#files[@]}" "${files[@]}" "${tests[@]}" <<'PY'
import re, sys
path, count = sys.argv[1], int(sys.argv[2])
files, tests = sys.argv[3 : 3 + count], sys.argv[3 + count :]
text = open(path).read()
def listed(values): return "[" + ", ".join(f'"{v}"' for v in values) + "]"
text = re.sub(r"(?m)^only_mutate = .*$", f"only_mutate = {listed(files)}", text)
text = re.sub(
    r"(?m)^pytest_add_cli_args_test_selection = .*$",
    f"pytest_add_cli_args_test_selection = {listed(tests)}",
    text,
)
open(path, "w").write(text)
PY

log="$work/mutmut-run.log"
echo "mutating ${files[*]} against ${tests[*]} (log: $log)"
if ! (cd "$work" && uv run --project "$root" --locked mutmut run \
      --max-children "${MUTATION_WORKERS:-2}" "${names[@]}" >"$log" 2>&1); then
  tail -20 "$log" >&2
  echo "mutmut failed; see $log" >&2
  exit 1
fi
(cd "$work" && uv run --project "$root" --locked python scripts/mutation_report.py "${files[@]}")
