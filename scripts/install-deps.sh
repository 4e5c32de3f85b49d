#!/usr/bin/env bash
# Install what sohoa needs on a fresh Debian machine; idempotent and quiet
# when everything is already present.
#   install-deps.sh runtime   tesseract (vie, eng, osd), fonts, python venv
#   install-deps.sh test      the same, plus PostgreSQL, Redis, Go and the
#                             pinned MinIO build used by the test suite
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="${1:-test}"
case "$mode" in
    runtime|test) ;;
    *) echo "usage: install-deps.sh runtime|test" >&2; exit 2 ;;
esac

packages=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
          fonts-dejavu-core)
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    packages+=(python3-venv)
fi
if [ "$mode" = test ]; then
    packages+=(postgresql redis-server)
    command -v go >/dev/null 2>&1 || packages+=(golang)
fi

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: missing ${missing[*]}; run as root or:" >&2
        echo "  sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "install-deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The test suite starts its own servers; the packaged services are not
    # needed.
    for service in postgresql redis-server; do
        if command -v systemctl >/dev/null 2>&1; then
            systemctl disable --now "$service" >/dev/null 2>&1 || true
        fi
    done
fi

if [ "$mode" = test ]; then
    # Without a MinIO build the S3 tests run on SeaweedFS alone and the
    # MinIO ones are skipped with this reason.
    if ! "$here/build-minio.sh" >/dev/null; then
        echo "install-deps: MinIO could not be built (see above); the tests" \
             "that need it will be skipped, SeaweedFS still runs" >&2
    fi
fi
