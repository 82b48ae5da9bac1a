# repair.sh makes a dependency bump's pull request buildable: when go.mod
# and go.sum ask for other modules than nix/vendor-hash.nix holds the hash
# of, it writes the new hash (nix run .#vendor-hash) and commits that file
# alone, with the git identity of the environment (the workflow's bot).
# With nothing stale it commits nothing, so running it twice adds nothing.
# .github/workflows/dependabot.yml runs it; so can you: bash nix/repair.sh
set -euo pipefail

if nix run .#vendor-hash -- --check; then
  echo "repair: nothing to commit"
  exit 0
fi
nix run .#vendor-hash
git add nix/vendor-hash.nix
git commit --quiet -m "nix/vendor-hash.nix: the vendorHash of go.mod and go.sum" -- nix/vendor-hash.nix
echo "repair: committed nix/vendor-hash.nix ($(git rev-parse --short HEAD))"
