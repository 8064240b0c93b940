#!/bin/bash
# berth-pve-sim's stand-in for systemd inside a simulated container, installed as
# /usr/local/sbin/berth-sim-systemd with two names linking to it:
#
# - berth-sim-init: the container's init. The simulator starts it in a sandbox of its own when the
#   container starts and kills it (with everything it started) when the container stops. At boot it
#   starts the enabled units, then serves requests from systemctl on the FIFO /run/berth-sim/init.ctl.
# - systemctl: enable/disable/is-enabled work on the unit files' links; start/stop/restart/
#   is-active/status are asked of the init, because a service must outlive the session that starts
#   it, and sessions run in sandboxes of their own.
#
# Units are read from /etc/systemd/system, /run/systemd/system, /usr/local/lib/systemd/system and
# /usr/lib/systemd/system. ExecStart, User, Group, Environment, EnvironmentFile, WorkingDirectory,
# Type=oneshot and Restart= are honoured; other settings are ignored. Units other than services
# (timers, sockets, targets) are only marked active: they never fire. A service's output goes to
# /var/log/berth-sim/<unit>.log. The host's /usr is read-only in the sandbox, so packages land in
# /usr/local (see berth-sim-pkg): a missing /usr/... program is looked for under /usr/local too.
# Services get BERTH_SIM_IPV4, the container's own address: the sandboxes share the host's network.
set -euo pipefail

run_dir=/run/berth-sim
ctl=$run_dir/init.ctl
replies=$run_dir/replies
units_state=$run_dir/units
log_dir=/var/log/berth-sim
unit_dirs=(/etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /usr/lib/systemd/system)
tool=${0##*/}

# --- units ---------------------------------------------------------------------------------

# The full name of a unit: "nginx" → "nginx.service".
unit_name() {
    case "$1" in
        *.service | *.target | *.socket | *.timer) printf '%s' "$1" ;;
        *) printf '%s.service' "$1" ;;
    esac
}

# The file of a unit (the template's for an instance such as code-server@dev.service).
unit_file() {
    local name=$1 dir template
    template=${name%%@*}@.${name##*.}
    for dir in "${unit_dirs[@]}"; do
        if [ -f "$dir/$name" ]; then
            printf '%s' "$dir/$name"
            return 0
        fi
    done
    [[ $name == *@?*.* ]] || return 1
    for dir in "${unit_dirs[@]}"; do
        if [ -f "$dir/$template" ]; then
            printf '%s' "$dir/$template"
            return 0
        fi
    done
    return 1
}

# The values of Key= in a unit file, one per line, with %i, %I, %n and %% expanded.
unit_values() {
    local file=$1 key=$2 name=$3 instance="" line value
    if [[ $name == *@?*.* ]]; then
        instance=${name#*@}
        instance=${instance%.*}
    fi
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line#"${line%%[![:space:]]*}"}
        [[ $line == "$key="* ]] || continue
        value=${line#"$key="}
        value=${value//%%/$'\x01'}
        value=${value//%i/$instance}
        value=${value//%I/$instance}
        value=${value//%n/$name}
        printf '%s\n' "${value//$'\x01'/%}"
    done <"$file"
}

unit_value() { unit_values "$@" | tail -n 1; }

wanted_by() {
    local file=$1 name=$2 targets
    targets=$(unit_values "$file" WantedBy "$name" | tr ' ' '\n' | sed '/^$/d')
    printf '%s\n' "${targets:-multi-user.target}"
}

is_enabled() {
    compgen -G "/etc/systemd/system/*.wants/$1" >/dev/null
}

# --- the init ------------------------------------------------------------------------------

pid_of() { cat "$units_state/$1.pid" 2>/dev/null || true; }

is_active() {
    local pid
    if [[ $1 != *.service ]]; then
        [ -f "$units_state/$1.active" ]
        return
    fi
    pid=$(pid_of "$1")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Runs one service and restarts it as its Restart= says; started in a session of its own, so that
# stopping the unit is killing the process group.
supervise() {
    local name=$1 file=$2 exec_start user group home uid gid restart dir rc failures=0 started
    local -a argv env=()
    exec_start=$(unit_value "$file" ExecStart "$name")
    exec_start=${exec_start#[-@+!]}
    # Words as systemd splits them: quotes group, nothing is expanded (xargs does the same).
    mapfile -d '' -t argv < <(printf '%s\n' "$exec_start" | xargs printf '%s\0')
    [ ${#argv[@]} -gt 0 ] || { echo "$name has no ExecStart=" >&2; return 203; }
    if [ ! -e "${argv[0]}" ] && [[ ${argv[0]} == /usr/* && ${argv[0]} != /usr/local/* ]]; then
        argv[0]=/usr/local/${argv[0]#/usr/}
    fi
    user=$(unit_value "$file" User "$name")
    user=${user:-root}
    uid=$(id -u "$user") || { echo "user $user does not exist" >&2; return 217; }
    group=$(unit_value "$file" Group "$name")
    gid=$(if [ -n "$group" ]; then getent group "$group" | cut -d: -f3; else id -g "$user"; fi)
    home=$(getent passwd "$user" | cut -d: -f6)
    env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "HOME=${home:-/}"
        "USER=$user" "LOGNAME=$user" container=lxc "BERTH_SIM_IPV4=${BERTH_SIM_IPV4:-}")
    while IFS= read -r line; do
        [ -n "$line" ] && [ -f "${line#-}" ] && mapfile -t -O "${#env[@]}" env < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "${line#-}")
    done < <(unit_values "$file" EnvironmentFile "$name")
    while IFS= read -r line; do
        # shellcheck disable=SC2206 # Environment= holds space-separated assignments.
        [ -n "$line" ] && env+=($line)
    done < <(unit_values "$file" Environment "$name")
    dir=$(unit_value "$file" WorkingDirectory "$name")
    [ "$dir" = "~" ] && dir=$home
    restart=$(unit_value "$file" Restart "$name")
    while :; do
        started=$SECONDS
        rc=0
        (cd "${dir:-/}" && exec setpriv --reuid="$uid" --regid="$gid" --init-groups -- \
            env -i "${env[@]}" "${argv[@]}") </dev/null || rc=$?
        echo "$rc" >"$units_state/$name.result"
        case "${restart:-no}" in
            always) ;;
            on-failure | on-abnormal) [ "$rc" -ne 0 ] || return 0 ;;
            *) return "$rc" ;;
        esac
        # StartLimitBurst: five quick failures in a row and the unit stays failed.
        if ((SECONDS - started < 10)); then failures=$((failures + 1)); else failures=0; fi
        ((failures < 5)) || return "$rc"
        sleep 1
    done
}

start_unit() {
    local name=$1 file type pid
    file=$(unit_file "$name") || { echo "Failed to start $name: Unit $name not found." >&2; return 5; }
    is_active "$name" && return 0
    # Timers, sockets, targets and paths are marked active but never fire or listen.
    if [[ $name != *.service ]]; then
        touch "$units_state/$name.active"
        return 0
    fi
    mkdir -p "$log_dir"
    rm -f "$units_state/$name.result"
    type=$(unit_value "$file" Type "$name")
    if [ "$type" = oneshot ]; then
        if ! "$0" --supervise "$name" "$file" >>"$log_dir/$name.log" 2>&1; then
            echo "Job for $name failed because the control process exited with error code." >&2
            echo "See \"$log_dir/$name.log\" for details." >&2
            return 1
        fi
        return 0
    fi
    setsid "$0" --supervise "$name" "$file" >>"$log_dir/$name.log" 2>&1 &
    pid=$!
    echo "$pid" >"$units_state/$name.pid"
    # A program that cannot start at all fails the start, as with Type=exec.
    sleep 0.2
    if ! kill -0 "$pid" 2>/dev/null && [ "$(cat "$units_state/$name.result" 2>/dev/null || echo 0)" != 0 ]; then
        echo "Job for $name failed because the control process exited with error code." >&2
        echo "See \"$log_dir/$name.log\" for details." >&2
        return 1
    fi
}

stop_unit() {
    local name=$1 pid
    rm -f "$units_state/$name.active"
    pid=$(pid_of "$name")
    rm -f "$units_state/$name.pid"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
}

status_unit() {
    local name=$1 file pid state description
    file=$(unit_file "$name") || { echo "Unit $name could not be found." >&2; return 4; }
    description=$(unit_value "$file" Description "$name")
    pid=$(pid_of "$name")
    if is_active "$name"; then state="active (running)"; else state=inactive; pid=; fi
    printf '● %s - %s\n     Loaded: loaded (%s; %s)\n     Active: %s\n' "$name" "${description:-$name}" \
        "$file" "$(is_enabled "$name" && echo enabled || echo disabled)" "$state"
    [ -n "$pid" ] && printf '   Main PID: %s\n' "$pid"
    [ -f "$log_dir/$name.log" ] && { echo; tail -n 10 "$log_dir/$name.log"; }
    [ -n "$pid" ]
}

# One request from systemctl: VERB UNIT, answered in $replies/ID.{out,err} and, last, the exit
# code in $replies/ID.
serve_request() {
    local id=$1 verb=$2 name=$3 rc=0
    {
        case "$verb" in
            start) start_unit "$name" || rc=$? ;;
            stop) stop_unit "$name" || rc=$? ;;
            restart) stop_unit "$name" && start_unit "$name" || rc=$? ;;
            try-restart) if is_active "$name"; then stop_unit "$name" && start_unit "$name" || rc=$?; fi ;;
            is-active) if is_active "$name"; then echo active; else echo inactive; rc=3; fi ;;
            status) status_unit "$name" || rc=$? ;;
            *) echo "Unknown command verb $verb." >&2; rc=1 ;;
        esac
    } >"$replies/$id.out" 2>"$replies/$id.err"
    echo "$rc" >"$replies/$id.tmp"
    mv -f "$replies/$id.tmp" "$replies/$id"
}

init_main() {
    mkdir -p "$replies" "$units_state" /run/systemd/system
    local link name id verb
    for link in /etc/systemd/system/*.wants/*; do
        [ -e "$link" ] || continue
        name=${link##*/}
        start_unit "$name" || echo "berth-sim-init: $name failed to start at boot" >&2
    done
    rm -f "$ctl.new"
    mkfifo -m 0600 "$ctl.new"
    mv -f "$ctl.new" "$ctl"
    # Read-write, so that the FIFO never reads end-of-file between two writers.
    exec 3<>"$ctl"
    echo "berth-sim-init: up (pid $$)"
    while read -r -u 3 id verb name; do
        [[ $id =~ ^[A-Za-z0-9._-]+$ ]] || continue
        serve_request "$id" "$verb" "$name" || true
    done
}

# --- systemctl -----------------------------------------------------------------------------

# Asks the init to VERB UNIT; prints its answer and returns its exit code.
ask_init() {
    local verb=$1 name=$2 id tries=0 rc
    if [ ! -p "$ctl" ]; then
        echo "System has not been booted with systemd as init system (PID 1). Can't operate." >&2
        echo "Failed to connect to bus: Host is down" >&2
        return 1
    fi
    id=$$.$RANDOM.$SECONDS
    printf '%s %s %s\n' "$id" "$verb" "$name" >"$ctl"
    # Up to a minute: stopping a unit alone may take five seconds.
    while [ ! -f "$replies/$id" ] && ((tries++ < 1200)); do
        sleep 0.05
    done
    [ -f "$replies/$id" ] || { echo "Failed to $verb $name: Connection timed out" >&2; return 1; }
    cat "$replies/$id.out"
    cat "$replies/$id.err" >&2
    rc=$(cat "$replies/$id")
    rm -f "$replies/$id" "$replies/$id.out" "$replies/$id.err"
    return "$rc"
}

enable_unit() {
    local name=$1 file target
    file=$(unit_file "$name") || { echo "Failed to enable unit: Unit file $name does not exist." >&2; return 1; }
    while read -r target; do
        mkdir -p "/etc/systemd/system/$target.wants"
        if [ ! -L "/etc/systemd/system/$target.wants/$name" ]; then
            ln -sfn "$file" "/etc/systemd/system/$target.wants/$name"
            ((quiet)) || echo "Created symlink /etc/systemd/system/$target.wants/$name → $file."
        fi
    done < <(wanted_by "$file" "$name")
}

disable_unit() {
    local link
    for link in /etc/systemd/system/*.wants/"$1"; do
        [ -L "$link" ] || continue
        rm -f "$link"
        ((quiet)) || echo "Removed \"$link\"."
    done
}

systemctl_main() {
    local verb="" now=0 rc=0 name state
    quiet=0
    local -a names=()
    while [ $# -gt 0 ]; do
        case "$1" in
            -q | --quiet) quiet=1 ;;
            --now) now=1 ;;
            --no-pager | --no-block | --no-reload | --system | -l | --full | --no-ask-password) ;;
            -*) echo "systemctl: unrecognized option '$1' (berth-pve-sim stand-in)" >&2; return 1 ;;
            *) if [ -z "$verb" ]; then verb=$1; else names+=("$(unit_name "$1")"); fi ;;
        esac
        shift
    done
    case "$verb" in
        daemon-reload | daemon-reexec) return 0 ;;
        start | stop | restart | try-restart | reload-or-restart | enable | disable | is-enabled | is-active | status)
            [ ${#names[@]} -gt 0 ] || { echo "Too few arguments." >&2; return 1; } ;;
        "") echo "systemctl: no command (berth-pve-sim stand-in)" >&2; return 1 ;;
        *) echo "Unknown command verb $verb." >&2; return 1 ;;
    esac
    for name in "${names[@]}"; do
        case "$verb" in
            enable) enable_unit "$name" || rc=$?; ((now)) && { ask_init start "$name" || rc=$?; } ;;
            disable) disable_unit "$name"; ((now)) && { ask_init stop "$name" || rc=$?; } ;;
            is-enabled)
                if ! unit_file "$name" >/dev/null; then
                    ((quiet)) || echo "Failed to get unit file state for $name: No such file or directory" >&2
                    rc=1
                elif is_enabled "$name"; then ((quiet)) || echo enabled
                else ((quiet)) || echo disabled; rc=1
                fi
                ;;
            is-active)
                state=$(ask_init is-active "$name") || rc=3
                ((quiet)) || echo "$state"
                ;;
            reload-or-restart) ask_init restart "$name" || rc=$? ;;
            *) ask_init "$verb" "$name" || rc=$? ;;
        esac
    done
    return "$rc"
}

case "$tool:${1:-}" in
    *:--supervise) supervise "$2" "$3" ;;
    berth-sim-init:*) init_main ;;
    systemctl:*) systemctl_main "$@" ;;
    *)
        echo "berth-sim-systemd: run it as systemctl or berth-sim-init" >&2
        exit 2
        ;;
esac
