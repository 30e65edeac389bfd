#!/usr/bin/env bash
# The bench's own statistics: the interval its cold start and reload verdicts quote beside the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
node --test bench/lib/stats.test.mjs
