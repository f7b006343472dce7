#!/usr/bin/env bash
# Throughput, CPU and memory figures on the shared corpora (prints figures; asserts nothing about time).
#
#   benchmarks/run.sh                  # whole corpora
#   LIMIT=500 benchmarks/run.sh        # only the first 500 documents of each
#   DASK=0 benchmarks/run.sh           # skip the Dask comparison
#
# 1. BBC news, full pipeline in one process against the bare spaCy pipeline (--compare-bare);
# 2. BBC news on the local process pool (what `ingest --workers N` uses): 1 worker, then 2 workers against the
#    bare pipeline (the issue #3 target: >= 15 docs/s on 2 cores), and the speed-ups;
# 3. BBC news on a local Dask cluster of 2 workers (--runner dask), for comparison;
# 4. MUC-4 train (text in `doctext`) with --compare-bare.
# Every run also prints CPU ms per document over all its processes, which stays comparable when other jobs
# share the machine (wall-clock docs/s does not: check the load average printed with each run).
# Skips cleanly (exit 0) when ../shared/data is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared/data}
BBC="$SHARED/bbc_news/bbc_fulltext.jsonl"
MUC="$SHARED/muc4/ree_grit/train.jsonl"
CL=${CL:-.venv/bin/conflictlens}
LIMIT_ARGS=()
if [ -n "${LIMIT:-}" ]; then LIMIT_ARGS=(--limit "$LIMIT"); fi

if [ ! -f "$BBC" ] || [ ! -f "$MUC" ]; then
    echo "benchmarks: $SHARED not found (needs bbc_news/bbc_fulltext.jsonl and muc4/ree_grit/train.jsonl); skipped"
    exit 0
fi
echo "machine: $(nproc) CPUs, $(python3 -c 'import os; print(round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30))') GiB;" \
     "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Run one benchmark, print its figures, and keep its last (machine-readable) line in $LAST.
bench() {
    local out
    out=$("$CL" benchmark "$@" "${LIMIT_ARGS[@]}")
    echo "$out"
    LAST=$(tail -n 1 <<<"$out")
}
docs_per_s() { sed -n 's/.*docs_per_s=\([0-9.]*\).*/\1/p' <<<"$1"; }

echo; echo "== BBC news: full pipeline vs bare spaCy pipeline (one process) =="
bench "$BBC" --compare-bare; single=$(docs_per_s "$LAST")
echo; echo "== BBC news: local process pool, 1 worker =="
bench "$BBC" --workers 1; one=$(docs_per_s "$LAST")
echo; echo "== BBC news: local process pool, 2 workers, vs bare spaCy pipeline (one process) =="
bench "$BBC" --workers 2 --compare-bare; two=$(docs_per_s "$LAST")
python3 -c 'import sys; s, o, t = map(float, sys.argv[1:]); print(f"\npool speed-up: 2 workers / 1 worker = {t / o:.2f}x; 2 workers / single process = {t / s:.2f}x")' \
    "$single" "$one" "$two"
if [ "${DASK:-1}" != 0 ] && "${CL%conflictlens}python" -c 'import distributed' 2>/dev/null; then
    echo; echo "== BBC news: local Dask cluster, 2 workers (--runner dask) =="
    bench "$BBC" --workers 2 --runner dask
fi

echo; echo "== MUC-4 train (doctext): full pipeline vs bare spaCy pipeline =="
bench "$MUC" --text-field doctext --compare-bare
