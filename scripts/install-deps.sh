#!/usr/bin/env bash
# Installs the Debian packages trainsim needs, and nothing when all are present.
# apt-get update runs at most once, and only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libsimgrid-dev libboost-graph-dev libtbb-dev libhdf5-dev libyaml-cpp-dev catch2 libjpeg-dev
  python3 python3-h5py python3-pandas python3-matplotlib python3-pytest
  jupyter-nbconvert python3-ipykernel
)
# The real-Slurm sweep test (tests/cli/test_slurm.py) starts a one-node Slurm and its munge.
packages+=(slurm-wlm munge)
# The asan preset (ASan + UBSan and the libFuzzer targets that make test runs) builds with clang.
packages+=(clang-14 libclang-rt-14-dev)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
