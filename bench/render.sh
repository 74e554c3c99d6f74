#!/usr/bin/env bash
# Time to render one agreement (人民调解协议书) and a 30-page case file (卷宗):
# render/ only, no database or HTTP (bench/render.c). Usage:
#   bench/render.sh [build-dir] [iterations]     (default build/release, 20)
# The build directory must be configured with an optimised buildtype.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
ITERS=${2:-20}
ninja -C "$BUILD" bench_render >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) CPU  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "# buildtype: $(meson introspect --buildoptions "$BUILD" | grep -o '"name": "buildtype", "value": "[a-z]*"' | sed 's/.*"value": //')"
"$BUILD/bench_render" "$ITERS"
