#!/usr/bin/env bash
# Install what sohoa and its test suite need on a fresh Debian machine:
# tesseract with the Vietnamese, English and OSD models, PostgreSQL, Redis
# (apt, when run as root), then the pinned MinIO build. Idempotent and quiet
# when everything is already present.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
          postgresql redis-server)

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
    # The suite starts its own servers; the packaged services are not needed.
    for service in postgresql redis-server; do
        if command -v systemctl >/dev/null 2>&1; then
            systemctl disable --now "$service" >/dev/null 2>&1 || true
        fi
    done
fi

if ! command -v go >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "install-deps: installing golang" >&2
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends golang >/dev/null
    else
        echo "install-deps: go not found; install Go >= 1.24" >&2
        exit 1
    fi
fi

"$here/build-minio.sh" >/dev/null
