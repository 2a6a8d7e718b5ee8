#!/usr/bin/env bash
# Runs the steps of the GitHub Action (action.yml calls .github/calfeed-action.sh) on this
# machine, with the calfeed built from this checkout:
#   - plan names one cache key per calfeed;
#   - install takes a release binary only when its SHA-256 sum matches (a release folder on disk
#     stands in for GitHub Releases), and reuses what the cache brought;
#   - publish builds the example into a folder with .nojekyll, reproducibly from the last commit;
#   - publish on a broken input prints annotations, exits 1, and publishes nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$(pwd)"
action="$repo/.github/calfeed-action.sh"

cargo build --locked --quiet
bin="$(cd "${CARGO_TARGET_DIR:-target}/debug" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

failed=0
check() {
    local what="$1"
    shift
    if "$@"; then
        echo "ok: $what"
    else
        echo "FAILED: $what"
        failed=1
    fi
}
# Succeeds when the command fails.
fails() {
    ! "$@"
}
# Runs a step with a clean GitHub-like environment; output goes to $work/log.
step() {
    env -u CALFEED_VERSION -u CALFEED_ROOT -u GITHUB_ACTION_PATH GITHUB_OUTPUT="$work/github_output" \
        GITHUB_PATH="$work/github_path" "$@" >"$work/log" 2>&1
}

# plan
: >"$work/github_output"
check "plan without a version keys on the sources" step bash "$action" plan
check "plan writes the key" grep -q '^key=source-[0-9a-f]\{16\}$' "$work/github_output"
check "plan writes the install folder" grep -q '^root=.*/\.calfeed-action/source-' "$work/github_output"
: >"$work/github_output"
check "plan for a release" step env CALFEED_VERSION=v0.1.0 bash "$action" plan
check "a release is keyed by its version" grep -qx 'key=release-0.1.0' "$work/github_output"

# install from a release whose sum matches, then from the cache
if [ "$(uname -sm)" = "Linux x86_64" ]; then
    release="$work/releases/v9.9.9"
    asset="calfeed-v9.9.9-x86_64-unknown-linux-musl.tar.gz"
    mkdir -p "$release" "$work/pack/calfeed-v9.9.9"
    cp "$bin/calfeed" "$work/pack/calfeed-v9.9.9/"
    tar -czf "$release/$asset" -C "$work/pack" calfeed-v9.9.9
    (cd "$release" && sha256sum "$asset" >"$asset.sha256")
    export CALFEED_RELEASE_URL="file://$work/releases"
    : >"$work/github_path"
    check "install takes a release binary whose sum matches" \
        step env CALFEED_VERSION=9.9.9 CALFEED_ROOT="$work/root" CALFEED_RELEASE_URL="$CALFEED_RELEASE_URL" bash "$action" install
    check "the sum was checked" grep -q 'matches its SHA-256 sum' "$work/log"
    check "the installed calfeed runs" "$work/root/bin/calfeed" --version
    check "its folder goes on the PATH" grep -qx "$work/root/bin" "$work/github_path"
    check "a second install uses the cache" \
        step env CALFEED_VERSION=9.9.9 CALFEED_ROOT="$work/root" CALFEED_RELEASE_URL="$CALFEED_RELEASE_URL" bash "$action" install
    check "...and says so" grep -q 'from the cache' "$work/log"
    # A binary that does not match its sum is never installed, nor built instead.
    echo "0000000000000000000000000000000000000000000000000000000000000000  $asset" >"$release/$asset.sha256"
    check "install refuses a binary with the wrong sum" \
        fails step env CALFEED_VERSION=9.9.9 CALFEED_ROOT="$work/tampered" CALFEED_RELEASE_URL="$CALFEED_RELEASE_URL" bash "$action" install
    check "...with an annotation" grep -q '^::error title=calfeed action::.*does not match its SHA-256 sum' "$work/log"
    check "...and installs nothing" test ! -e "$work/tampered/bin/calfeed"
    unset CALFEED_RELEASE_URL
fi

# publish the example from a git checkout
site="$work/site"
mkdir -p "$site"
cp "$repo/events.toml" "$site/events.toml"
git -C "$site" init -q
git -C "$site" add events.toml
GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.org GIT_COMMITTER_NAME=ci \
    GIT_COMMITTER_EMAIL=ci@example.org GIT_COMMITTER_DATE="2026-01-05T00:00:00Z" \
    GIT_AUTHOR_DATE="2026-01-05T00:00:00Z" git -C "$site" commit -q -m example
: >"$work/github_output"
check "publish builds the example" step env -C "$site" PATH="$bin:$PATH" bash "$action" publish
check "...every feed" test -s "$site/public/all.ics"
check "...with .nojekyll" test -e "$site/public/.nojekyll"
check "...and names the folder" grep -qx 'output=public' "$work/github_output"
check "...without annotations" fails grep -q "^::" "$work/log"
cp "$site/public/all.ics" "$work/first.ics"
sleep 1
check "publish again" step env -C "$site" PATH="$bin:$PATH" bash "$action" publish
check "...gives the same bytes (SOURCE_DATE_EPOCH from the last commit)" cmp -s "$work/first.ics" "$site/public/all.ics"

# publish a broken input: annotations, exit 1, nothing published
broken="$work/broken"
mkdir -p "$broken"
sed 's/timezone = "Asia\/Tokyo"/timezone = "Asia\/Tokyoo"/' "$repo/events.toml" >"$broken/events.toml"
git -C "$broken" init -q
check "the broken input differs" fails cmp -s "$repo/events.toml" "$broken/events.toml"
check "publish fails on errors" fails step env -C "$broken" PATH="$bin:$PATH" \
    CALFEED_OUTPUT=site bash "$action" publish
check "...with an annotation on the line" grep -q '^::error file=events.toml,line=[0-9]*,col=[0-9]*,endLine=[0-9]*,endColumn=[0-9]*,title=unknown timezone' "$work/log"
check "...and publishes nothing" test ! -e "$broken/site"

if [ "$failed" -ne 0 ]; then
    echo "action steps: FAILED (last step's output below)"
    cat "$work/log"
    exit 1
fi
echo "action steps: all passed"
