//! `pct exec` and `pct push` as a Proxmox node runs them (pve-container `PVE/CLI/pct.pm`,
//! PVE-API.md §8.2): same arguments, same checks in the same order, same messages.

use std::ffi::OsString;
use std::path::Path;
use std::process::Stdio;

use berth_pve_sim::sandbox::{Meta, rootfs_dir};

use crate::Fail;
use crate::jail::{self, Jail};

pub fn run(dir: &Path, args: &[OsString]) -> Result<(), Fail> {
    let node = std::env::var("BERTH_SIM_NODE")
        .map_err(|_| Fail::pct("berth-ct-exec: BERTH_SIM_NODE (this node's name) is not set"))?;
    match args.first().and_then(|a| a.to_str()) {
        Some("exec") => Err(exec(dir, &node, &args[1..])),
        Some("push") => Err(push(dir, &node, &args[1..])),
        Some(other) => Err(Fail::pct(format!(
            "ERROR: unknown command 'pct {other}' (berth-ct-exec knows exec and push)"
        ))),
        None => Err(Fail::pct("ERROR: no command specified")),
    }
}

/// Options and positional words of a PVE CLI call (`--opt value`, `--opt=value`, `-opt value`).
#[derive(Debug, Default)]
struct Parsed {
    positional: Vec<OsString>,
    options: Vec<(String, String)>,
}

impl Parsed {
    fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn parse(args: &[OsString], known: &[&str]) -> Result<Parsed, Fail> {
    let mut parsed = Parsed::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let text = word.to_string_lossy();
        let Some(option) = text.strip_prefix("--").or_else(|| text.strip_prefix('-')) else {
            parsed.positional.push(word.clone());
            continue;
        };
        let (name, value) = match option.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (option.to_string(), None),
        };
        if !known.contains(&name.as_str()) {
            return Err(Fail::pct(format!(
                "Unknown option: {name}\n400 unable to parse option"
            )));
        }
        let value = match value {
            Some(v) => v,
            None => words
                .next()
                .map(|v| v.to_string_lossy().into_owned())
                .ok_or_else(|| Fail::pct(format!("Option {name} requires an argument")))?,
        };
        parsed.options.push((name, value));
    }
    Ok(parsed)
}

fn vmid_of(word: Option<&OsString>, synopsis: &str) -> Result<u32, Fail> {
    let word = word.ok_or_else(|| Fail::pct(format!("400 not enough arguments\n{synopsis}")))?;
    word.to_str()
        .and_then(|w| w.parse::<u32>().ok())
        .filter(|v| (100..=999_999_999).contains(v))
        .ok_or_else(|| {
            Fail::pct(format!(
                "400 Parameter verification failed.\nvmid: invalid format - value does not look like a valid VM ID\n\n{synopsis}"
            ))
        })
}

/// The container as this node sees it: `None` when it is not this node's.
fn on_this_node(dir: &Path, node: &str, vmid: u32) -> Result<Option<Meta>, Fail> {
    let meta = Meta::load(dir, vmid)
        .map_err(|e| Fail::pct(format!("berth-ct-exec: reading the meta of CT {vmid}: {e}")))?;
    Ok(meta.filter(|m| m.node == node))
}

fn config_missing(node: &str, vmid: u32) -> Fail {
    Fail::pct(format!(
        "Configuration file 'nodes/{node}/lxc/{vmid}.conf' does not exist"
    ))
}

fn boolean(name: &str, value: &str) -> Result<bool, Fail> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "yes" | "on" | "true" => Ok(true),
        "0" | "no" | "off" | "false" => Ok(false),
        _ => Err(Fail::pct(format!(
            "400 Parameter verification failed.\n{name}: type check ('boolean') failed - got '{value}'"
        ))),
    }
}

/// `pct exec <vmid> [--keep-env 0|1] -- <cmd> [args…]`; returns only on failure.
fn exec(dir: &Path, node: &str, args: &[OsString]) -> Fail {
    const SYNOPSIS: &str = "pct exec <vmid> [<extra-args>] [OPTIONS]";
    let split = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let parsed = match parse(&args[..split], &["keep-env"]) {
        Ok(p) => p,
        Err(fail) => return fail,
    };
    let vmid = match vmid_of(parsed.positional.first(), SYNOPSIS) {
        Ok(v) => v,
        Err(fail) => return fail,
    };
    let keep_env = match parsed.option("keep-env").map(|v| boolean("keep-env", v)) {
        None => true, // Still the default in PVE 9 (pct.pm notes it is to become 0 one day).
        Some(Ok(b)) => b,
        Some(Err(fail)) => return fail,
    };
    let mut command: Vec<OsString> = parsed.positional[1..].to_vec();
    command.extend(args.iter().skip(split + 1).cloned());
    let meta = match on_this_node(dir, node, vmid) {
        Ok(Some(meta)) => meta,
        Ok(None) => return config_missing(node, vmid),
        Err(fail) => return fail,
    };
    if !meta.running {
        return Fail::pct(format!("container '{vmid}' not running!"));
    }
    if command.is_empty() {
        return Fail::pct("missing command");
    }
    let env = if keep_env {
        // lxc-attach --keep-env: the caller's environment, minus the simulator's own variables.
        let mut env: Vec<(OsString, OsString)> = std::env::vars_os()
            .filter(|(k, _)| {
                let k = k.to_string_lossy();
                !k.starts_with("BERTH_SIM_") && k != "PATH" && k != "HOME"
            })
            .collect();
        env.extend(jail::base_env());
        env
    } else {
        let mut env = jail::base_env();
        env.push(("container".into(), "lxc".into()));
        env
    };
    let rootfs = rootfs_dir(dir, vmid);
    Jail {
        rootfs: &rootfs,
        hostname: &meta.hostname,
        env,
        with_helper: false,
        stdin: None,
    }
    .exec(&command)
}

/// `pct push <vmid> <file> <destination> [--user u] [--group g] [--perms p]`; the file is created
/// from inside the container (by this program, mounted there), as pct does after entering the
/// container's mount namespace, so that links inside cannot point it at the host.
fn push(dir: &Path, node: &str, args: &[OsString]) -> Fail {
    const SYNOPSIS: &str = "pct push <vmid> <file> <destination> [OPTIONS]";
    let parsed = match parse(args, &["user", "group", "perms"]) {
        Ok(p) => p,
        Err(fail) => return fail,
    };
    let vmid = match vmid_of(parsed.positional.first(), SYNOPSIS) {
        Ok(v) => v,
        Err(fail) => return fail,
    };
    let (Some(file), Some(destination)) = (parsed.positional.get(1), parsed.positional.get(2))
    else {
        return Fail::pct(format!("400 not enough arguments\n{SYNOPSIS}"));
    };
    // pct checks "running" first: a CT of another node is not running here either.
    let meta = match on_this_node(dir, node, vmid) {
        Ok(Some(meta)) if meta.running => meta,
        Ok(_) => return Fail::pct("can only push files to a running CT"),
        Err(fail) => return fail,
    };
    let source = match std::fs::File::open(file) {
        Ok(f) => f,
        Err(_) => {
            return Fail::pct(format!(
                "failed to open {} for reading",
                Path::new(file).display()
            ));
        }
    };
    let mut argv: Vec<OsString> = vec![
        jail::HELPER.into(),
        crate::create_file::COMMAND.into(),
        destination.clone(),
    ];
    for name in ["perms", "user", "group"] {
        if let Some(value) = parsed.option(name) {
            // pct: "assume octal as default".
            let value = match name {
                "perms" if !value.starts_with('0') => format!("0{value}"),
                _ => value.to_string(),
            };
            argv.push(format!("--{name}").into());
            argv.push(value.into());
        }
    }
    let rootfs = rootfs_dir(dir, vmid);
    Jail {
        rootfs: &rootfs,
        hostname: &meta.hostname,
        env: jail::base_env(),
        with_helper: true,
        stdin: Some(Stdio::from(source)),
    }
    .exec(&argv)
}
