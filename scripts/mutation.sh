#!/usr/bin/env bash
# Mutation testing of the service core against tests/service ([tool.mutmut] in pyproject.toml).
#
#   scripts/mutation.sh                 reconcile, transport, resolve, polling and ids
#   scripts/mutation.sh resolve ids     only these modules of ax_tasks_mcp/service/
#
# Starts afresh (mutants/ is rebuilt), runs each mutant's tests on MUTATION_WORKERS (default 2)
# processes, then prints each module's score and its survivors (`uv run mutmut show NAME`).
# mutmut's own progress goes to mutants/mutmut-run.log. CPU-heavy: give it a quiet machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(reconcile transport resolve polling ids)
names=()
for module in "${modules[@]}"; do
  [ -f "ax_tasks_mcp/service/$module.py" ] || { echo "no module ax_tasks_mcp/service/$module.py" >&2; exit 2; }
  names+=("ax_tasks_mcp.service.$module.*")
done

rm -rf mutants
mkdir -p mutants
log=mutants/mutmut-run.log
echo "mutating ${modules[*]} (log: $log)"
if ! uv run --locked mutmut run --max-children "${MUTATION_WORKERS:-2}" "${names[@]}" >"$log" 2>&1; then
  tail -20 "$log" >&2
  echo "mutmut failed; see $log" >&2
  exit 1
fi
uv run --locked python scripts/mutation_report.py "${modules[@]}"
