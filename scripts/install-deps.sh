#!/usr/bin/env bash
# Installs the Debian packages trainsim needs, and nothing when all are present.
# apt-get update runs at most once, and only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libsimgrid-dev libboost-graph-dev libtbb-dev libhdf5-dev libyaml-cpp-dev catch2 libjpeg-dev
  python3 python3-h5py python3-pandas python3-matplotlib python3-pytest
  jupyter-nbconvert python3-ipykernel
  rapidjson-dev zlib1g-dev python3-torch
  # bench/db_pipeline.py (make bench-loader; its quick mode in make test): DBNet's pipeline
  python3-numpy python3-opencv python3-pyclipper python3-shapely
)
# ONNX graphs (docs/models.md): the reader, and the torch that exports the test models.
# libopenblas0-pthread: without it Debian's torch runs on the reference BLAS, and tracing ViT-B/16
# for export takes minutes (4 s per Linear) instead of seconds.
packages+=(libonnx-dev libprotobuf-dev protobuf-compiler python3-torch python3-torchvision libopenblas0-pthread)
# The real-Slurm sweep test (tests/cli/test_slurm.py) starts a one-node Slurm and its munge.
packages+=(slurm-wlm munge)
# The asan preset (ASan + UBSan and the libFuzzer targets that make test runs) builds with clang.
packages+=(clang-14 libclang-rt-14-dev)
# The decision report's tests open it in headless Chromium (tests/cli/test_advise_html.py).
packages+=(chromium)

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
