#!/usr/bin/env bash
# Build the MinIO server at the version pinned in scripts/minio.version into
# ${SOHOA_CACHE:-$HOME/.cache/sohoa}/minio-<version>/minio (outside the
# repository). Does nothing when that binary is already there. Prints its path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(tr -d '[:space:]' < "$here/minio.version")"
cache="${SOHOA_CACHE:-$HOME/.cache/sohoa}"
dest="$cache/minio-$version"

if [ -x "$dest/minio" ]; then
    echo "$dest/minio"
    exit 0
fi

if ! command -v go >/dev/null 2>&1; then
    echo "build-minio: go not found; install Go >= 1.24 (Debian: golang)" >&2
    exit 1
fi
go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
if [ "${go_minor:-0}" -lt 24 ]; then
    echo "build-minio: $(go env GOVERSION) is too old; MinIO needs Go >= 1.24" >&2
    exit 1
fi

mkdir -p "$cache"
exec 9>"$cache/minio-build.lock"
flock 9
# Another run may have finished the build while this one waited.
if [ -x "$dest/minio" ]; then
    echo "$dest/minio"
    exit 0
fi

work="$(mktemp -d "$cache/minio-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "build-minio: building github.com/minio/minio@$version (several minutes)" >&2
# One package at a time keeps the compiler within the memory of small hosts.
GOBIN="$work/bin" GOFLAGS="${GOFLAGS:--p=1}" \
    go install "github.com/minio/minio@$version" >&2
mkdir -p "$dest"
mv "$work/bin/minio" "$dest/minio.partial"
mv "$dest/minio.partial" "$dest/minio"
echo "$dest/minio"
