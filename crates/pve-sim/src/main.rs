//! The `berth-pve-sim` binary: serves a simulated Proxmox VE API until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use berth_pve_sim::sshd::{Sshd, SshdOptions};
use berth_pve_sim::{Faults, RunningSim, Seed, SimOptions};
use clap::Parser;

/// A Proxmox VE API simulator (https://HOST:PORT/api2/json) with fault injection at /_sim/faults.
#[derive(Debug, Parser)]
#[command(name = "berth-pve-sim", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8006", env = "BERTH_PVE_SIM_LISTEN")]
    listen: SocketAddr,
    /// Seed file (TOML); the built-in default seed when absent.
    #[arg(long, env = "BERTH_PVE_SIM_SEED")]
    seed: Option<PathBuf>,
    /// State file: loaded at start when it exists, written atomically on every change.
    #[arg(long, env = "BERTH_PVE_SIM_STATE")]
    state: Option<PathBuf>,
    /// Serve plain HTTP instead of HTTPS (real PVE is HTTPS only).
    #[arg(long)]
    http: bool,
    /// Write the CA certificate (PEM) the HTTPS certificate is signed by to this file.
    #[arg(long, env = "BERTH_PVE_SIM_CA_FILE")]
    ca_file: Option<PathBuf>,
    /// Faults active from the start, as the JSON `PUT /_sim/faults` takes (replaces the seed's).
    #[arg(long, env = "BERTH_PVE_SIM_FAULTS")]
    faults: Option<String>,
    /// Multiplier for simulated durations (task steps, lock timeouts, 401 delay, stats lag).
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Give containers real root filesystems here, for `berth-ct-exec` to run commands in.
    #[arg(long, env = "BERTH_PVE_SIM_SANDBOX_DIR")]
    sandbox_dir: Option<PathBuf>,
    /// Also run an OpenSSH server for the sandboxes: 127.0.0.1 is the node (with `pct`), any
    /// other 127.x address the container reporting it. Needs root, sshd and bubblewrap.
    #[arg(long, requires = "sandbox_dir")]
    ssh: bool,
    /// The sshd's port (default: a free one).
    #[arg(long, requires = "ssh")]
    ssh_port: Option<u16>,
    /// Also listen on port 22 when it is free: templates' health checks look for the
    /// containers' sshd there.
    #[arg(long, requires = "ssh")]
    ssh_port_22: bool,
    /// The node 127.0.0.1 stands for (default: the seed's first).
    #[arg(long, requires = "ssh")]
    ssh_node: Option<String>,
    /// Where sshd's host key and the node key are kept (default: beside the state file).
    #[arg(long, requires = "ssh")]
    ssh_dir: Option<PathBuf>,
    /// The `berth-ct-exec` binary sshd runs (default: beside this one).
    #[arg(long, requires = "ssh")]
    ct_exec: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    let mut seed = match &args.seed {
        Some(path) => Seed::from_file(path)?,
        None => Seed::default_seed()?,
    };
    if let Some(json) = &args.faults {
        seed.faults = serde_json::from_str::<Faults>(json).context("invalid --faults")?;
    }
    let ca_file = args.ca_file.clone();
    // sshd's configuration needs absolute paths, and it checks the tools before anything starts.
    let sandbox_dir = args.sandbox_dir.as_deref().map(absolute).transpose()?;
    let ssh_options = if args.ssh {
        Some(ssh_options(
            &args,
            &seed,
            sandbox_dir.clone().unwrap_or_default(),
        )?)
    } else {
        None
    };
    let options = SimOptions {
        listen: args.listen,
        seed,
        state_file: args.state,
        tls: !args.http,
        time_scale: args.time_scale,
        sandbox_dir,
    };
    let sim = berth_pve_sim::spawn(options)
        .await
        .context("starting the simulator")?;
    if let (Some(path), Some(pem)) = (&ca_file, &sim.ca_pem) {
        std::fs::write(path, pem).with_context(|| format!("writing {}", path.display()))?;
    }
    // Dropped (sshd stopped, its run dir removed) on every way out of main below.
    let sshd = match &ssh_options {
        Some(options) => {
            Some(tokio::task::block_in_place(|| Sshd::start(options)).context("starting sshd")?)
        }
        None => None,
    };
    announce(&sim, sshd.as_ref(), ssh_options.as_ref());
    wait_for_signal().await?;
    tracing::info!("shutting down");
    drop(sshd);
    sim.shutdown().await;
    Ok(())
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(path).with_context(|| format!("creating {}", path.display()))?;
    std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))
}

/// Where sshd's keys go (`--ssh-dir`, or `ssh/` beside the state file), its run dir in /run (per
/// process), which node 127.0.0.1 is, and `berth-ct-exec` beside this binary.
fn ssh_options(args: &Args, seed: &Seed, sandbox_dir: PathBuf) -> anyhow::Result<SshdOptions> {
    let run_dir = PathBuf::from(format!("/run/berth-pve-sim.{}", std::process::id()));
    let key_dir = match (&args.ssh_dir, &args.state) {
        (Some(dir), _) => absolute(dir)?,
        (None, Some(state)) => absolute(&state.with_file_name("ssh"))?,
        (None, None) => run_dir.join("keys"),
    };
    let node = match &args.ssh_node {
        Some(node) => node.clone(),
        None => seed
            .nodes
            .first()
            .map(|n| n.name.clone())
            .context("the seed has no node")?,
    };
    let ct_exec = match &args.ct_exec {
        Some(path) => path.clone(),
        None => std::env::current_exe()?.with_file_name("berth-ct-exec"),
    };
    Ok(SshdOptions {
        sandbox_dir,
        node,
        ct_exec,
        key_dir,
        run_dir,
        port: args.ssh_port,
        extra_ports: if args.ssh_port_22 {
            vec![22]
        } else {
            Vec::new()
        },
    })
}

/// Prints what a client needs: the URL, the certificate fingerprint, the sshd and the tokens.
#[allow(clippy::print_stdout)]
fn announce(sim: &RunningSim, sshd: Option<&Sshd>, ssh: Option<&SshdOptions>) {
    println!("berth-pve-sim listening on {}", sim.base_url);
    if let Some(fp) = &sim.fingerprint {
        println!("certificate SHA-256 fingerprint: {fp}");
    }
    if let (Some(sshd), Some(ssh)) = (sshd, ssh) {
        println!("ssh port: {}", sshd.port);
        println!("ssh node: {} at 127.0.0.1", ssh.node);
        println!("ssh node key: {}", sshd.node_key.private.display());
        println!("ssh host key: {}", sshd.host_public_key);
        println!("ssh known hosts: {}", sshd.known_hosts.display());
    }
    println!("fault injection: {}/faults", sim.admin_url);
    for t in &sim.tokens {
        println!("token: {}={}", t.full_id, t.secret);
    }
    for u in &sim.users {
        println!("user: {}", u.userid);
    }
}

async fn wait_for_signal() -> anyhow::Result<()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("installing the SIGTERM handler")?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r.context("waiting for Ctrl-C")?,
        _ = term.recv() => {}
    }
    Ok(())
}
