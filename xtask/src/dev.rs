//! `cargo xtask dev`: services, build, migrate, then run the Proxmox simulator, server and worker
//! until Ctrl-C.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::args::Args;
use crate::install::{self, Needs};
use crate::paths::Paths;
use crate::proc::{self, Guard, StopSignal};
use crate::services::{Kind, Services};
use crate::{binaries, bootstrap, cmd, net, pve_sim, route, site};

pub fn task(paths: &Paths, args: &Args) -> Result<()> {
    install::ensure(
        paths,
        Needs {
            services: true,
            site: true,
            test_tools: false,
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
    // A real Proxmox VE given by the user wins; otherwise the simulator is the backend.
    if std::env::var_os("BERTH_PVE_URL").is_some_and(|url| !url.is_empty()) {
        println!("proxmox: using BERTH_PVE_URL");
    } else {
        let sim = pve_sim::start(&built.pve_sim, &paths.repo.join(".berth/dev/pve-sim"), 1.0)?;
        println!(
            "proxmox: simulator at {} (token {}, state in .berth/dev/pve-sim)",
            sim.url,
            sim.token.split('=').next().unwrap_or_default()
        );
        env.extend(sim.berth_env());
        children.push(sim.guard);
    }
    let command = |program: &std::path::Path| {
        let mut command = Command::new(program);
        command.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        command
    };
    cmd::run(command(&built.server).arg("migrate"))?;
    let access = bootstrap::admin(&built.server, &command)?;
    children.extend([
        Guard::spawn(
            "berth-server",
            &mut command(&built.server),
            StopSignal::Term,
        )?,
        Guard::spawn(
            "berth-worker",
            &mut command(&built.worker),
            StopSignal::Term,
        )?,
    ]);
    let result = supervise(&mut children, &mut services, port, &access);
    proc::stop_all(&mut children);
    services.stop();
    result
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
