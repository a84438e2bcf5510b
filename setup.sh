#!/usr/bin/env bash
# hilsim set-up: installs Debian packages (idempotent), configures and builds the
# simulator and the reference firmware into build/, then runs one job:
#   ./setup.sh demo   - boot the demo board on the reference firmware (the main job)
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
  libcapstone-dev libsodium-dev libimgui-dev libsdl2-dev
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
  demo)  # The reference board and firmware: boot, a UART command, a button press, a
         # software reset, all in virtual time (the update story joins with the firmware issue).
         ./build/hilsim boot --board boards/demo-m4/board.yaml \
           --firmware build/firmware/demo-m4/demo-m4.elf --for 5s \
           --uart-at '1s:status\n' --pin-at 2s:BUTTON=0 --pin-at 2.1s:BUTTON=1 \
           --uart-at '3s:reset\n' ;;
  test)  ctest --test-dir build --output-on-failure -j "$jobs" ;;
  *) echo "setup.sh: unknown job '$job' (expected demo, test or build)" >&2; exit 2 ;;
esac
