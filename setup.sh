#!/usr/bin/env bash
# hilsim set-up: installs Debian packages (idempotent), configures and builds the
# simulator and the reference firmware into build/, then runs one job:
#   ./setup.sh demo   - the update story of the reference firmware (scenarios/demo.yaml)
#   ./setup.sh test   - run the whole test suite (what CI runs)
#   ./setup.sh build  - only install and build
set -euo pipefail
cd "$(dirname "$0")"
job=${1:-demo}

# Every dependency, from Debian only. Keep this list the single source of truth.
packages=(
  build-essential cmake ninja-build pkg-config python3
  gcc-arm-none-eabi libnewlib-arm-none-eabi
  libunicorn-dev libyaml-cpp-dev doctest-dev libcli11-dev nlohmann-json3-dev
  libcapstone-dev libsodium-dev zlib1g-dev libimgui-dev libsdl2-dev
  xvfb xauth gdb-multiarch lua5.4 qemu-system-arm clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release ${HILSIM_CMAKE_ARGS:-}
cmake --build build -j "$jobs"

case "$job" in
  build) ;;
  demo)  # The reference firmware's whole update story as a scenario, in virtual time:
         # boot v1, v2 published, power cut while writing it, resume, v2 hot-applied,
         # v3 raises, rolled back to v2 (scenarios/demo.yaml).
         ./build/hilsim run scenarios/demo.yaml ;;
  test)  ctest --test-dir build --output-on-failure -j "$jobs" ;;
  *) echo "setup.sh: unknown job '$job' (expected demo, test or build)" >&2; exit 2 ;;
esac
