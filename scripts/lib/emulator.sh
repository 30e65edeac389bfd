# Sourced by test suites: start wix-auth-emulator instances on free loopback ports and stop them
# (by PID, not by name) when the suite exits.
#   emulator_start NAME BIN [FLAGS...]   runs BIN --port 0 --db :memory: FLAGS, exports NAME=<its API
#                                        URL> and NAME_SITE=<its site URL> (the hosted pages' origin)
EMULATOR_WORK=$(mktemp -d "${TMPDIR:-/tmp}/wix-emulators.XXXXXX")
EMULATOR_PIDS=()
emulator_cleanup() {
  for pid in "${EMULATOR_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$EMULATOR_WORK"
}
trap emulator_cleanup EXIT

emulator_start() {
  local name=$1 bin=$2; shift 2
  "$bin" --host 127.0.0.1 --port 0 --db :memory: "$@" >"$EMULATOR_WORK/$name.out" 2>"$EMULATOR_WORK/$name.err" &
  EMULATOR_PIDS+=($!)
  local url="" site=""
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^wix-auth-emulator listening on \(http:[^ ]*\).*/\1/p' "$EMULATOR_WORK/$name.out" | head -n1)
    site=$(sed -n 's/^site: \(http:[^ ]*\).*/\1/p' "$EMULATOR_WORK/$name.out" | head -n1)
    [ -n "$url" ] && [ -n "$site" ] && break
    sleep 0.1
  done
  if [ -z "$site" ]; then echo "emulator $name did not start:" >&2; cat "$EMULATOR_WORK/$name.err" >&2; return 1; fi
  export "$name=$url" "${name}_SITE=$site"
  echo "$name=$url ${name}_SITE=$site"
}
