#!/usr/bin/env bash
# Installs what akeso needs on Debian 12, or says exactly what to install.
# Run by build.sh (and so by main.sh and test.sh); safe to run again: it
# only installs what is missing.
set -euo pipefail

packages=(clang-19 llvm-19-dev llvm-19-tools libclang-rt-19-dev lld-19
          libtbb-dev libboost-container-dev libgtest-dev cmake ninja-build
          python3 make
          # guess/fail: the Z3 service of the page backend (issue #6), and
          # the peers bench/ compares backtracking with (issue #5)
          libz3-dev swi-prolog-nox gprolog minisat)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "akeso: missing Debian packages: ${missing[*]}" >&2
  echo "akeso: install them as root with:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "akeso: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
