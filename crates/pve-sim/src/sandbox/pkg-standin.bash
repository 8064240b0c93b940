#!/bin/bash
# berth-pve-sim's stand-in for package managers inside a simulated container (installed as
# /usr/local/sbin/berth-sim-pkg, with apt-get, apt, apk, dnf, yum, npm, pip and pip3 linking to
# it). Nothing is downloaded or installed: each package named is appended to
# /var/lib/berth-sim/packages/<manager>, and the output imitates the real tool. A package named
# berth-sim-missing, or any name starting with missing-, fails the way the real manager fails.
# A local .deb given to apt-get install (a path) is really unpacked and recorded in
# /var/lib/dpkg/status, so dpkg-query sees it; the host's /usr is read-only in the sandbox, so
# what the package puts under /usr (or /bin, /sbin, /lib) goes to /usr/local instead.
set -euo pipefail

db=/var/lib/berth-sim/packages
tool=${0##*/}
packages=()

is_missing() {
    case "$1" in
        berth-sim-missing | missing-*) return 0 ;;
        *) return 1 ;;
    esac
}

# Prints the first missing package of "${packages[@]}" and succeeds, or fails when none is.
first_missing() {
    local pkg
    for pkg in "${packages[@]}"; do
        if is_missing "$pkg"; then
            printf '%s' "$pkg"
            return 0
        fi
    done
    return 1
}

record() {
    local pkg
    mkdir -p "$db"
    for pkg in "${packages[@]}"; do
        printf '%s\n' "$pkg" >>"$db/$1"
    done
}

forget() {
    local pkg
    [ -f "$db/$1" ] || return 0
    for pkg in "${packages[@]}"; do
        grep -vxF -- "$pkg" "$db/$1" >"$db/$1.tmp" || true
        mv "$db/$1.tmp" "$db/$1"
    done
}

# Collects the non-option words into "packages"; the options named in $1 (a |-separated list)
# take a value as the next word.
collect() {
    local with_value=$1
    shift
    while [ $# -gt 0 ]; do
        case "|$with_value|" in
            *"|$1|"*) shift 2 || shift ;;
            *)
                case "$1" in
                    -*) ;;
                    *) packages+=("$1") ;;
                esac
                shift
                ;;
        esac
    done
}

# Unpacks a .deb into / (its /usr into /usr/local) and records it as installed.
install_deb() {
    local deb=$1 tmp name version arch top
    [ -f "$deb" ] || { echo "E: Unsupported file $deb given on commandline" >&2; exit 100; }
    if ! { name=$(dpkg-deb -f "$deb" Package) && version=$(dpkg-deb -f "$deb" Version) &&
        arch=$(dpkg-deb -f "$deb" Architecture); }; then
        echo "E: Invalid archive signature: $deb is not a Debian package" >&2
        exit 100
    fi
    tmp=$(mktemp -d)
    dpkg-deb -x "$deb" "$tmp"
    mkdir -p "$tmp/usr/local"
    for top in bin sbin lib lib64; do
        if [ -d "$tmp/$top" ] && [ ! -L "$tmp/$top" ]; then
            mkdir -p "$tmp/usr/$top"
            cp -a "$tmp/$top/." "$tmp/usr/$top/"
            rm -rf "${tmp:?}/$top"
        fi
    done
    for top in "$tmp"/usr/*; do
        [ "${top##*/}" = local ] && continue
        mkdir -p "/usr/local/${top##*/}"
        cp -a "$top/." "/usr/local/${top##*/}/"
    done
    [ -d "$tmp/usr/local" ] && cp -a "$tmp/usr/local/." /usr/local/
    rm -rf "${tmp:?}/usr"
    cp -a "$tmp/." /
    rm -rf "$tmp"
    mkdir -p /var/lib/dpkg
    touch /var/lib/dpkg/status
    awk -v p="$name" 'BEGIN { RS = ""; ORS = "\n\n" } $0 !~ "(^|\n)Package: " p "(\n|$)"' \
        /var/lib/dpkg/status >/var/lib/dpkg/status.new
    printf 'Package: %s\nStatus: install ok installed\nVersion: %s\nArchitecture: %s\nMaintainer: berth-pve-sim\nDescription: %s (unpacked by the berth-pve-sim stand-in)\n\n' \
        "$name" "$version" "$arch" "$name" >>/var/lib/dpkg/status.new
    mv /var/lib/dpkg/status.new /var/lib/dpkg/status
    echo "Unpacking $name ($version) ..."
    echo "Setting up $name ($version) ..."
}

apt_get() {
    local db_name=apt op=""
    local -a rest=()
    while [ $# -gt 0 ] && [ -z "$op" ]; do
        case "$1" in
            -o | -c | -t | --option | --config-file | --target-release) rest+=("$1" "${2:-}"); shift 2 || shift ;;
            -*) rest+=("$1"); shift ;;
            *) op=$1; shift ;;
        esac
    done
    collect "-o|-c|-t|--option|--config-file|--target-release" "${rest[@]}" "$@"
    case "$op" in
        update) echo "Reading package lists... Done (berth-pve-sim stand-in: nothing fetched)" ;;
        install)
            echo "Reading package lists..."
            if pkg=$(first_missing); then
                echo "E: Unable to locate package $pkg" >&2
                exit 100
            fi
            if [ ${#packages[@]} -eq 0 ]; then
                echo "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded."
                return
            fi
            local -a named=()
            for pkg in "${packages[@]}"; do
                case "$pkg" in
                    */*.deb) install_deb "$pkg" ;;
                    *)
                        echo "Setting up $pkg (berth-sim) ..."
                        named+=("$pkg")
                        ;;
                esac
            done
            packages=("${named[@]}")
            record "$db_name"
            ;;
        remove | purge)
            for pkg in "${packages[@]}"; do
                echo "Removing $pkg (berth-sim) ..."
            done
            forget "$db_name"
            ;;
        upgrade | dist-upgrade | full-upgrade | autoremove | clean | autoclean)
            echo "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded."
            ;;
        "")
            echo "Usage: $tool [options] command (berth-pve-sim stand-in)" >&2
            exit 1
            ;;
        *)
            echo "E: Invalid operation $op" >&2
            exit 100
            ;;
    esac
}

apk_() {
    local op=${1:-}
    shift || true
    collect "-X|--repository|-t|--virtual|-p|--root" "$@"
    case "$op" in
        update) echo "OK: 0 distinct packages available (berth-pve-sim stand-in)" ;;
        add)
            if pkg=$(first_missing); then
                printf 'ERROR: unable to select packages:\n  %s (no such package):\n    required by: world[%s]\n' "$pkg" "$pkg" >&2
                exit 1
            fi
            local i=0
            for pkg in "${packages[@]}"; do
                i=$((i + 1))
                echo "($i/${#packages[@]}) Installing $pkg (berth-sim)"
            done
            record apk
            echo "OK: ${#packages[@]} packages installed (berth-pve-sim stand-in)"
            ;;
        del) forget apk ;;
        *)
            echo "apk: unknown command '$op' (berth-pve-sim stand-in)" >&2
            exit 1
            ;;
    esac
}

dnf_() {
    local op=""
    local -a rest=()
    while [ $# -gt 0 ] && [ -z "$op" ]; do
        case "$1" in
            -*) rest+=("$1"); shift ;;
            *) op=$1; shift ;;
        esac
    done
    collect "-x|--exclude|--repo|--enablerepo|--disablerepo|--releasever|--installroot" "${rest[@]}" "$@"
    case "$op" in
        makecache | check-update | upgrade | update) echo "Metadata cache created. (berth-pve-sim stand-in)" ;;
        install)
            if pkg=$(first_missing); then
                echo "No match for argument: $pkg"
                echo "Error: Unable to find a match: $pkg" >&2
                exit 1
            fi
            echo "Installed:"
            for pkg in "${packages[@]}"; do
                echo "  $pkg-berth-sim"
            done
            record dnf
            echo "Complete!"
            ;;
        remove | erase) forget dnf; echo "Complete!" ;;
        *)
            echo "No such command: $op. (berth-pve-sim stand-in)" >&2
            exit 1
            ;;
    esac
}

npm_() {
    local op=${1:-}
    shift || true
    collect "--prefix|--registry" "$@"
    case "$op" in
        install | i | add)
            if pkg=$(first_missing); then
                echo "npm ERR! code E404" >&2
                echo "npm ERR! 404 Not Found - GET https://registry.npmjs.org/$pkg - Not found" >&2
                exit 1
            fi
            if [ ${#packages[@]} -eq 0 ]; then
                echo "up to date, audited 1 package in 0.1s"
                return
            fi
            record npm
            echo "added ${#packages[@]} packages in 0.1s (berth-pve-sim stand-in)"
            ;;
        uninstall | remove | rm) forget npm; echo "removed ${#packages[@]} packages" ;;
        -v | --version) echo "10.0.0-berth-sim" ;;
        *)
            echo "npm: unknown command '$op' (berth-pve-sim stand-in)" >&2
            exit 1
            ;;
    esac
}

pip_() {
    local op=${1:-} requirements=""
    shift || true
    local -a args=("$@")
    local i
    for ((i = 0; i < ${#args[@]}; i++)); do
        case "${args[i]}" in
            -r | --requirement) requirements=${args[i + 1]:-} ;;
        esac
    done
    collect "-r|--requirement|-c|--constraint|-i|--index-url|--extra-index-url|-t|--target|--prefix|--root" "$@"
    if [ -n "$requirements" ]; then
        while read -r line; do
            case "$line" in
                "" | "#"*) ;;
                *) packages+=("$line") ;;
            esac
        done <"$requirements"
    fi
    case "$op" in
        install)
            if pkg=$(first_missing); then
                echo "ERROR: Could not find a version that satisfies the requirement $pkg (from versions: none)" >&2
                echo "ERROR: No matching distribution found for $pkg" >&2
                exit 1
            fi
            record pip
            echo "Successfully installed ${packages[*]}"
            ;;
        uninstall) forget pip ;;
        *)
            echo "ERROR: unknown command \"$op\" (berth-pve-sim stand-in)" >&2
            exit 1
            ;;
    esac
}

case "$tool" in
    apt-get) apt_get "$@" ;;
    apt)
        printf '\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n' >&2
        apt_get "$@"
        ;;
    apk) apk_ "$@" ;;
    dnf | yum) dnf_ "$@" ;;
    npm) npm_ "$@" ;;
    pip | pip3) pip_ "$@" ;;
    *)
        echo "berth-sim-pkg: run it as apt-get, apt, apk, dnf, yum, npm, pip or pip3" >&2
        exit 2
        ;;
esac
