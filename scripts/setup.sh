#!/usr/bin/env bash
# Set up a machine for dissuade and then run it: `demo` opens the client on a demo database,
# `test` runs the whole suite headless, `bench` runs the benchmarks. Safe to run again.
set -euo pipefail

mode="${1:-demo}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${DISSUADE_VENV:-$root/.venv}"
cd "$root"

# Debian packages Qt (offscreen and xcb), a CJK font, espeak-ng and Xvfb need; the sqlite3
# shell is what operators (and the durability test) read a centre's file with.
debs=(libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3
      libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
      libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1
      fonts-wqy-microhei libespeak-ng1 alsa-utils xvfb xauth python3-venv
      poppler-utils sqlite3)
# The benchmarks also load the hub with wrk, and run it over a private PostgreSQL server.
[ "$mode" = bench ] && debs+=(wrk postgresql)
# The dialling test calls a real softphone: baresip driven over its control port.
[ "$mode" = test ] && debs+=(baresip-core)
# The PostgreSQL tests start a private server of their own (initdb into a temporary folder).
[ "$mode" = test ] && debs+=(postgresql)
# The bundle test builds the workstation bundle: PyInstaller runs binutils' objcopy.
[ "$mode" = test ] && debs+=(binutils)

install_debs() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing=()
    for p in "${debs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "setup: installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "setup: these Debian packages are missing; install them as root and run again:" >&2
        echo "  sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
}

install_python() {
    local py="${PYTHON:-python3}"
    if [ ! -x "$venv/bin/python" ]; then
        echo "setup: creating virtual environment $venv"
        "$py" -m venv "$venv"
    fi
    "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
    # A plain (not editable) install: what runs is what a wheel ships.
    # `test` also builds the workstation bundle (tests/test_bundle.py): PyInstaller.
    local extras=test
    [ "$mode" = test ] && extras=test,bundle
    "$venv/bin/python" -m pip install -q ".[$extras]"
}

install_debs
install_python
export PATH="$venv/bin:$PATH"

case "$mode" in
    demo)
        shift || true
        if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
            echo "setup: no display here; rendering the demo workbench to demo-screenshot.png instead"
            QT_QPA_PLATFORM=offscreen exec dissuade --demo --screenshot "$root/demo-screenshot.png" "$@"
        fi
        exec dissuade --demo "$@"
        ;;
    test)
        shift || true
        export QT_QPA_PLATFORM=offscreen
        ruff check dissuade ui tests scripts
        mypy
        # One worker per core (pytest-xdist); a module's tests may land on different workers.
        exec python -m pytest -n auto --dist worksteal "$@"
        ;;
    bench)
        shift || true
        export QT_QPA_PLATFORM=offscreen
        exec python tests/bench/run.py "$@"
        ;;
    install)
        echo "setup: installed into $venv"
        ;;
    *)
        echo "usage: scripts/setup.sh demo|test|bench|install" >&2
        exit 2
        ;;
esac
