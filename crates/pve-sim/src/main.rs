//! The `berth-pve-sim` binary: serves a simulated Proxmox VE API until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
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
    let options = SimOptions {
        listen: args.listen,
        seed,
        state_file: args.state,
        tls: !args.http,
        time_scale: args.time_scale,
        sandbox_dir: args.sandbox_dir,
    };
    let sim = berth_pve_sim::spawn(options)
        .await
        .context("starting the simulator")?;
    if let (Some(path), Some(pem)) = (&ca_file, &sim.ca_pem) {
        std::fs::write(path, pem).with_context(|| format!("writing {}", path.display()))?;
    }
    announce(&sim);
    wait_for_signal().await?;
    tracing::info!("shutting down");
    sim.shutdown().await;
    Ok(())
}

/// Prints what a client needs: the URL, the certificate fingerprint and the tokens.
#[allow(clippy::print_stdout)]
fn announce(sim: &RunningSim) {
    println!("berth-pve-sim listening on {}", sim.base_url);
    if let Some(fp) = &sim.fingerprint {
        println!("certificate SHA-256 fingerprint: {fp}");
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
