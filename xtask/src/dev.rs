//! `cargo xtask dev`: services, build, migrate, then run the Proxmox simulator (with sandboxed
//! containers behind a real sshd when the machine allows), server and worker until Ctrl-C.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::args::Args;
use crate::install::{self, Needs};
use crate::paths::Paths;
use crate::proc::{self, Guard, StopSignal};
use crate::pve_sim::Ssh;
use crate::services::{Kind, Services};
use crate::{binaries, bootstrap, cmd, net, pve_sim, route, sim_ssh, site};

pub fn task(paths: &Paths, args: &Args) -> Result<()> {
    install::ensure(
        paths,
        Needs {
            services: true,
            site: true,
            test_tools: false,
            // Sandboxes need root; as anyone else dev runs without them, so installs nothing.
            sandboxes: cmd::is_root(),
        },
    )?;
    let route = route::resolve(args.route)?;
    let mut services = Services::start(paths, Kind::Dev)?;
    site::build(paths, route)?;
    let built = binaries::build(paths, args.release, binaries::Scope::Binaries)?;
    let port = net::port_preferring(3000)?;
    let site = paths.site();
    // User-set BERTH_* variables are inherited; these are xtask's to decide.
    let mut env = vec![
        ("BERTH_DATABASE_URL", services.database_url.clone()),
        ("BERTH_REDIS_URL", services.redis_url.clone()),
        ("BERTH_LISTEN", format!("127.0.0.1:{port}")),
        ("BERTH_SITE_ROOT", site.display().to_string()),
    ];
    let mut children = Vec::new();
    // Only the worker reads these.
    let mut worker_env = Vec::new();
    // A real Proxmox VE given by the user wins; otherwise the simulator is the backend.
    if std::env::var_os("BERTH_PVE_URL").is_some_and(|url| !url.is_empty()) {
        println!("proxmox: using BERTH_PVE_URL");
        println!(
            "provisioning: the worker's SSH settings are yours (BERTH_WORKER_SSH_KEY; without it \
             runs stop before `connect`)"
        );
    } else {
        let sim = start_sim(paths, &built.pve_sim)?;
        println!(
            "proxmox: simulator at {} (token {}, state in .berth/dev/pve-sim)",
            sim.url,
            sim.token.split('=').next().unwrap_or_default()
        );
        env.extend(sim.berth_env());
        if let Some(ssh) = &sim.ssh {
            let key = sim_ssh::key_pair(&paths.repo.join(DEV_KEY), "berth-dev-worker")?;
            let state = paths.repo.join(".berth/dev/worker");
            worker_env = sim_ssh::worker_env(ssh, &key, &state);
            println!(
                "provisioning: all nine stages — containers are sandboxes in \
                 .berth/dev/pve-sim/sandboxes, the worker reaches them with {DEV_KEY} through \
                 the simulator's sshd on port {} (direct mode)",
                ssh.port
            );
        }
        children.push(sim.guard);
    }
    let command = |program: &std::path::Path| {
        let mut command = Command::new(program);
        command.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        command
    };
    let mut worker = command(&built.worker);
    worker.envs(worker_env.iter().map(|(k, v)| (*k, v.as_str())));
    cmd::run(command(&built.server).arg("migrate"))?;
    let access = bootstrap::admin(&built.server, &command)?;
    children.extend([
        Guard::spawn(
            "berth-server",
            &mut command(&built.server),
            StopSignal::Term,
        )?,
        Guard::spawn("berth-worker", &mut worker, StopSignal::Term)?,
    ]);
    let result = supervise(&mut children, &mut services, port, &access);
    proc::stop_all(&mut children);
    services.stop();
    result
}

/// Berth's SSH key for the containers it creates in development, kept between runs.
const DEV_KEY: &str = ".berth/dev/worker_ssh_key";

/// The simulator, with sandboxes and its sshd when the machine allows; otherwise (or when that
/// fails to start) without, saying why: runs then stop before `connect`.
fn start_sim(paths: &Paths, binary: &Path) -> Result<pve_sim::PveSim> {
    let dir = paths.repo.join(".berth/dev/pve-sim");
    let why = match sim_ssh::unavailable(binary) {
        None => match pve_sim::start(binary, &dir, 1.0, Ssh::On) {
            Ok(sim) => return Ok(sim),
            Err(e) => format!("the simulator's sshd did not start: {e:#}"),
        },
        Some(why) => why,
    };
    println!(
        "provisioning: Proxmox stages only, runs stop before `connect` (no container sandboxes: \
         {why})"
    );
    pve_sim::start(binary, &dir, 1.0, Ssh::Off)
}

/// Waits for readiness, announces the URL, then watches children until a signal or a death.
fn supervise(
    children: &mut [Guard],
    services: &mut Services,
    port: u16,
    access: &bootstrap::Bootstrap,
) -> Result<()> {
    let started = Instant::now();
    let mut ready = false;
    loop {
        if proc::stop_requested() {
            println!("stopping Berth…");
            return Ok(());
        }
        let died = children
            .iter_mut()
            .find_map(|c| c.exited().map(|status| format!("{} ({status})", c.name())))
            .or_else(|| services.dead_child());
        if let Some(died) = died {
            // Ctrl-C reaches the children too; they may beat our own handler by a moment.
            std::thread::sleep(Duration::from_millis(300));
            if proc::stop_requested() {
                println!("stopping Berth…");
                return Ok(());
            }
            bail!("{died} exited unexpectedly; stopped the rest");
        }
        if !ready && net::http_answers(port, "/api/ready") {
            ready = true;
            println!("Berth is running at http://127.0.0.1:{port}");
            match &access.password {
                Some(password) => println!(
                    "sign in as `{}` with the one-time password {password} (shown only now)",
                    bootstrap::ADMIN
                ),
                None => println!(
                    "sign in as `{}` with the password printed on the first run",
                    bootstrap::ADMIN
                ),
            }
            println!("admin API token (7 days): {}", access.token);
        }
        if !ready && started.elapsed() > Duration::from_secs(120) {
            bail!("berth-server did not answer GET /api/ready on port {port} within 120 s");
        }
        std::thread::sleep(Duration::from_millis(if ready { 250 } else { 100 }));
    }
}
