#!/usr/bin/env bash
# Install the pinned OpenTofu CLI (a drop-in Terraform) for infra/: `tofu fmt`, `tofu init/plan/apply`.
#
#   infra/tools/install-terraform.sh            # installs if needed; prints the binary's path on stdout
#   TOFU="$(infra/tools/install-terraform.sh)" && "$TOFU" -chdir=infra fmt -check -recursive
#
# Where it comes from, and why (decisions):
# - Debian has no terraform/opentofu package (`apt-cache policy opentofu terraform` is empty) and PyPI has no
#   wheel that bundles a current binary; download sites (releases.hashicorp.com, GitHub releases) are not
#   reachable from the project's machines. OpenTofu is a Go module, so it is built from the Go module proxy.
# - `go install github.com/opentofu/opentofu/cmd/tofu@vX` is refused because OpenTofu's go.mod has a
#   `replace` directive, so the module is downloaded with `go mod download` and built inside its own
#   directory, where the replace applies. That is exactly the released source; the version string is
#   stamped as a release (no "-dev").
# - OpenTofu, not Terraform: Terraform's source is not served by the module proxy under a usable version,
#   and OpenTofu 1.10 reads the same HCL, providers and state as Terraform 1.x for everything in infra/.
# - The binary lives in ${XDG_CACHE_HOME:-$HOME/.cache}/ai-interviewer/bin, outside the repository. A second
#   run with the right version present returns in milliseconds; a first build takes about 5 minutes on
#   2 cores and needs Go >= 1.24.6 (OpenTofu 1.10's go.mod); the Go build cache makes rebuilds faster.
# - Concurrent callers (parallel test runs) are serialised with flock so only one build runs.
set -euo pipefail

TOFU_VERSION="1.10.6"
TOFU_MODULE="github.com/opentofu/opentofu"
BIN_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/ai-interviewer/bin"
TOFU_BIN="$BIN_DIR/tofu"

log() { printf 'install-terraform: %s\n' "$*" >&2; }

installed_ok() {
  # `tofu version` prints "OpenTofu v1.10.6" on its first line. stderr is dropped: a missing
  # TF_CLI_CONFIG_FILE only produces a warning there.
  [[ -x "$TOFU_BIN" ]] && [[ "$("$TOFU_BIN" version 2>/dev/null | head -n 1)" == "OpenTofu v${TOFU_VERSION}" ]]
}

if installed_ok; then
  printf '%s\n' "$TOFU_BIN"
  exit 0
fi

mkdir -p "$BIN_DIR"
exec 9>"$BIN_DIR/.install.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi
# Another process may have finished the build while this one waited for the lock.
if installed_ok; then
  printf '%s\n' "$TOFU_BIN"
  exit 0
fi

GO="$(command -v go || true)"
if [[ -z "$GO" && -x /usr/local/go/bin/go ]]; then
  GO=/usr/local/go/bin/go
fi
if [[ -z "$GO" ]]; then
  log "cannot build OpenTofu ${TOFU_VERSION}: the Go toolchain (go >= 1.24.6) is not installed"
  exit 1
fi

# A clean Go environment for this build: no workspace, no vendoring flags inherited from the caller.
export GOWORK=off GOFLAGS="" CGO_ENABLED=0

log "downloading ${TOFU_MODULE}@v${TOFU_VERSION} from the Go module proxy"
module_json="$("$GO" mod download -json "${TOFU_MODULE}@v${TOFU_VERSION}")" || {
  log "go mod download failed: is the Go module proxy reachable?"
  exit 1
}
module_dir="$(printf '%s\n' "$module_json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n 1)"
if [[ -z "$module_dir" || ! -f "$module_dir/go.mod" ]]; then
  log "go mod download did not report the module directory"
  exit 1
fi

log "building tofu ${TOFU_VERSION} (first time only: about 5 minutes on 2 cores)"
tmp_bin="$BIN_DIR/.tofu.$$"
trap 'rm -f "$tmp_bin"' EXIT
(
  cd "$module_dir"
  "$GO" build -trimpath \
    -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    -o "$tmp_bin" ./cmd/tofu
) >&2
mv -f "$tmp_bin" "$TOFU_BIN"
trap - EXIT

if ! installed_ok; then
  log "built $TOFU_BIN but it does not report OpenTofu v${TOFU_VERSION}"
  exit 1
fi
log "installed $TOFU_BIN"
printf '%s\n' "$TOFU_BIN"
