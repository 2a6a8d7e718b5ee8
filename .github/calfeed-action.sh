#!/usr/bin/env bash
# The steps of the calfeed GitHub Action (action.yml), runnable on any machine:
#
#   calfeed-action.sh plan      where calfeed is installed and the cache key for it
#   calfeed-action.sh install   install calfeed unless the cache already brought it
#   calfeed-action.sh publish   check the input, build it, write .nojekyll
#
# Environment:
#   CALFEED_VERSION     "" (the calfeed beside this script), a release version (0.1.0 or v0.1.0),
#                       or a git branch, tag or commit of CALFEED_REPOSITORY
#   CALFEED_REPOSITORY  owner/name of the calfeed repository on GitHub (from the action's context)
#   CALFEED_ROOT        install folder (default ~/.calfeed-action/<key>)
#   CALFEED_RELEASE_URL where releases are downloaded from
#                       (default https://github.com/$CALFEED_REPOSITORY/releases/download)
#   CALFEED_INPUT       events file (default events.toml)
#   CALFEED_OUTPUT      output folder (default public)
#   GITHUB_OUTPUT, GITHUB_PATH are written to when set, as in GitHub Actions.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="${GITHUB_ACTION_PATH:-$(dirname "$here")}"
version="${CALFEED_VERSION:-}"
version="${version#v}"
repository="${CALFEED_REPOSITORY:-}"

fail() {
    echo "::error title=calfeed action::$*"
    exit 1
}

# What to install: "source" (this action's own code), "release" or "git".
kind() {
    if [ -z "${CALFEED_VERSION:-}" ]; then
        echo source
    elif [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]]; then
        echo release
    else
        echo git
    fi
}

# A cache key naming exactly one calfeed.
key() {
    case "$(kind)" in
        source)
            # The action's own files: same sources, same binary.
            (cd "$source_dir" && find Cargo.toml Cargo.lock src -type f -print0 | sort -z |
                xargs -0 sha256sum | sha256sum | cut -c1-16 | sed 's/^/source-/')
            ;;
        release) echo "release-$version" ;;
        git)
            [ -n "$repository" ] || fail "version \`$CALFEED_VERSION\` is a git ref, but the action's repository is unknown"
            local commit
            commit="$(git ls-remote "https://github.com/$repository" "$CALFEED_VERSION" 2>/dev/null | awk 'NR==1 {print $1}')"
            # A commit hash is its own key; a ref that cannot be resolved is not cached.
            if [ -z "$commit" ] && [[ "$CALFEED_VERSION" =~ ^[0-9a-f]{7,40}$ ]]; then
                commit="$CALFEED_VERSION"
            fi
            echo "git-${commit:-uncached-$(date +%s)}"
            ;;
    esac
}

root() {
    echo "${CALFEED_ROOT:-$HOME/.calfeed-action/$(key)}"
}

plan() {
    local k r
    k="$(key)"
    r="${CALFEED_ROOT:-$HOME/.calfeed-action/$k}"
    echo "calfeed: $(kind) install, cache key $k, in $r"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        {
            echo "key=$k"
            echo "root=$r"
        } >>"$GITHUB_OUTPUT"
    fi
}

# Downloads the release binary and checks its SHA-256 sum. Returns 1 when the release has no
# binary for this machine (then calfeed is built instead); a wrong sum stops everything.
download_release() {
    local target_root="$1" target asset base tmp expected actual
    case "$(uname -sm)" in
        "Linux x86_64") target=x86_64-unknown-linux-musl ;;
        "Linux aarch64") target=aarch64-unknown-linux-musl ;;
        "Darwin arm64") target=aarch64-apple-darwin ;;
        "Darwin x86_64") target=x86_64-apple-darwin ;;
        *) return 1 ;;
    esac
    [ -n "$repository" ] || [ -n "${CALFEED_RELEASE_URL:-}" ] || return 1
    base="${CALFEED_RELEASE_URL:-https://github.com/$repository/releases/download}/v$version"
    asset="calfeed-v$version-$target.tar.gz"
    tmp="$(mktemp -d)"
    if ! curl -fsSL --retry 3 -o "$tmp/$asset" "$base/$asset"; then
        echo "calfeed: release v$version has no $asset; building it instead"
        rm -rf "$tmp"
        return 1
    fi
    curl -fsSL --retry 3 -o "$tmp/$asset.sha256" "$base/$asset.sha256" ||
        fail "release v$version has $asset but no $asset.sha256 to check it against"
    expected="$(awk 'NR==1 {print $1}' "$tmp/$asset.sha256")"
    actual="$(sha256sum "$tmp/$asset" | awk '{print $1}')"
    [ "$expected" = "$actual" ] ||
        fail "$asset does not match its SHA-256 sum (expected $expected, got $actual); not installed"
    echo "calfeed: $asset matches its SHA-256 sum $actual"
    mkdir -p "$tmp/unpacked" "$target_root/bin"
    tar -xzf "$tmp/$asset" -C "$tmp/unpacked"
    local binary
    binary="$(find "$tmp/unpacked" -type f -name calfeed | head -n 1)"
    [ -n "$binary" ] || fail "$asset holds no calfeed binary"
    install -m 755 "$binary" "$target_root/bin/calfeed"
    rm -rf "$tmp"
}

install_calfeed() {
    local r
    r="$(root)"
    if [ -x "$r/bin/calfeed" ] && "$r/bin/calfeed" --version >/dev/null 2>&1; then
        echo "calfeed: $("$r/bin/calfeed" --version) from the cache"
    else
        case "$(kind)" in
            source) cargo install --locked --root "$r" --path "$source_dir" ;;
            release)
                download_release "$r" ||
                    cargo install --locked --root "$r" calfeed --version "$version"
                ;;
            git)
                cargo install --locked --root "$r" --git "https://github.com/$repository" \
                    --rev "$CALFEED_VERSION" calfeed
                ;;
        esac
        echo "calfeed: installed $("$r/bin/calfeed" --version)"
    fi
    if [ -n "${GITHUB_PATH:-}" ]; then
        echo "$r/bin" >>"$GITHUB_PATH"
    fi
}

publish() {
    local input="${CALFEED_INPUT:-events.toml}" output="${CALFEED_OUTPUT:-public}" epoch
    # Annotations point at the offending lines; nothing is built when there are errors.
    calfeed check --message-format github "$input"
    # The time of the last commit makes the feeds depend on the input only.
    if epoch="$(git -C "$(dirname "$input")" log -1 --format=%ct 2>/dev/null)" && [ -n "$epoch" ]; then
        export SOURCE_DATE_EPOCH="$epoch"
    else
        echo "::warning title=calfeed::$input is not in a git checkout; events without \`updated\` get the build time as DTSTAMP"
    fi
    # `check` has annotated the warnings already.
    calfeed build --input "$input" --out "$output"
    # GitHub Pages must not run Jekyll over the folder.
    touch "$output/.nojekyll"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        echo "output=$output" >>"$GITHUB_OUTPUT"
    fi
}

case "${1:-}" in
    plan) plan ;;
    install) install_calfeed ;;
    publish) publish ;;
    *)
        echo "usage: $0 plan|install|publish" >&2
        exit 2
        ;;
esac
