#!/usr/bin/env bash
# Issue 3's scaling figures on a lent 16-core machine that reaches no network.
#
# The machine has Python 3.12 and neither nginx, wrk nor this project's
# dependencies, so everything travels in .bench16/ (ignored by git), as
# ../shared/bench/16-core.md describes:
#
#   benchmarks/scaling_16core.sh prepare     # here: .deb files, cp312 wheels, loadforge's wheel
#   benchmarks/scaling_16core.sh run         # there, with the device tool's carry: [".bench16"]
#
# `run` starts nginx with 8 workers on cores 0-7 and puts every generator on
# cores 8-15, 50 connections per generator core: wrk -t1/2/4/8, the bare
# client (one process per core), then `benchmarks/scaling.py` for LoadForge
# with 1/2/4/8 workers and the snapshot publish delay with 16 workers. Each
# figure is printed with the command that made it.
#
# Overrides, to try it on a small machine: D (seconds per run, 8), T (nginx's
# cores, 0-7), G (generator cores, 8-15), G0 (first generator core, 8),
# NS (generator counts, "1 2 4 8"), PY (the python), LOCAL=1 (use this
# checkout's src/ and installed packages instead of the carried wheels).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=.bench16

prepare() {
    mkdir -p "$BENCH/debs" "$BENCH/whl"
    (cd "$BENCH/debs" && apt-get download nginx nginx-common libpcre2-8-0 wrk libluajit-5.1-2)
    uv export --frozen --no-dev --no-hashes --no-emit-project | grep -v '^#' >"$BENCH/requirements.txt"
    python3 -m pip download -q --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
        --platform manylinux2014_x86_64 --platform manylinux_2_5_x86_64 \
        --platform manylinux1_x86_64 --platform any \
        -d "$BENCH/whl" -r "$BENCH/requirements.txt"
    rm -f "$BENCH"/whl/loadforge-*.whl
    uv build --wheel -o "$BENCH/whl"
    du -sh "$BENCH"
}

run() {
    local D=${D:-8} T=${T:-0-7} G=${G:-8-15} G0=${G0:-8} NS=${NS:-"1 2 4 8"} PY=${PY:-python3}
    mkdir -p /opt/x /tmp/loadforge-nginx /var/lib/nginx /var/log/nginx
    for deb in "$BENCH"/debs/*.deb; do dpkg -x "$deb" /opt/x; done
    export LD_LIBRARY_PATH=/opt/x/usr/lib/x86_64-linux-gnu PATH=/opt/x/usr/sbin:/opt/x/usr/bin:$PATH
    if [ -z "${LOCAL:-}" ]; then
        "$PY" -m pip install -q --no-index --no-deps --no-compile --target /tmp/site "$BENCH"/whl/*.whl
        export PYTHONPATH=/tmp/site:$PWD/benchmarks
    else
        export PYTHONPATH=$PWD/src:$PWD/benchmarks
    fi
    sed 's/^worker_processes 1;/worker_processes 8;/' benchmarks/nginx.conf >/tmp/nginx16.conf
    taskset -c "$T" nginx -c /tmp/nginx16.conf -p /tmp
    trap 'nginx -c /tmp/nginx16.conf -p /tmp -s stop' EXIT
    sleep 0.5
    echo "machine: $(nproc) cores; $("$PY" -VV)"
    echo "== wrk: taskset -c $G wrk -tN -c(50N) -d${D}s http://127.0.0.1:8080/"
    for n in $NS; do
        echo "wrk -t$n: $(taskset -c "$G" wrk -t"$n" -c$((50 * n)) -d"${D}"s http://127.0.0.1:8080/ | grep Requests/sec)"
    done
    echo "== bare client: one 'taskset -c <core> $PY benchmarks/bare_client.py --connections 50 --duration $D' per core"
    for n in $NS; do
        for ((i = 0; i < n; i++)); do
            taskset -c $((G0 + i)) "$PY" benchmarks/bare_client.py --connections 50 --duration "$D" \
                >"/tmp/bare_${n}_$i.txt" &
        done
        wait
        echo "bare x$n: $(cat /tmp/bare_"${n}"_*.txt | awk '/^requests\/s/ {s += $2} END {printf "%.0f requests/s", s}')"
    done
    echo "== loadforge"
    "$PY" benchmarks/scaling.py --target-cpu "$T" --cpus "$G" --workers "${NS// /,}" \
        --duration "$D" --delay-workers 16
}

case "${1:-}" in
prepare) prepare ;;
run) run ;;
*)
    echo "usage: $0 prepare|run" >&2
    exit 2
    ;;
esac
