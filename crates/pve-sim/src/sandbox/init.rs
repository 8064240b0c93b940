//! Each running container's init: a long-lived `berth-sim-init` (the systemd stand-in, see
//! `systemd-standin.bash`) in a sandbox of its own, so that services a script starts with
//! `systemctl` outlive the script's session, come back when the container starts again, and
//! stop with it.
//!
//! The inits are spawned by one thread that lives as long as the simulator's sandboxes: bwrap's
//! `--die-with-parent` ties a child to the *thread* that spawned it, and a runtime's threads may
//! come and go. When that thread ends (the sandboxes are dropped, or the process dies), every
//! init and everything it started dies with it.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::jail;

/// Where the init program is inside a container.
pub const PROGRAM: &str = "/usr/local/sbin/berth-sim-init";

/// How long a start waits for the init to open its control FIFO.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// What an init is started with.
#[derive(Debug, Clone)]
pub struct Boot {
    pub vmid: u32,
    pub ct_dir: PathBuf,
    pub hostname: String,
    /// The container's first IPv4 address: the one its services bind instead of `0.0.0.0`,
    /// since the sandboxes share the host's network.
    pub ipv4: Option<String>,
}

enum Request {
    Start(Boot, mpsc::Sender<io::Result<()>>),
    Stop(u32, PathBuf, mpsc::Sender<()>),
}

/// The handle of the thread that owns the inits.
#[derive(Debug)]
pub struct Inits {
    requests: mpsc::Sender<Request>,
}

impl Inits {
    pub fn new() -> io::Result<Self> {
        let (requests, inbox) = mpsc::channel();
        thread::Builder::new()
            .name("berth-sim-inits".into())
            .spawn(move || serve(&inbox))?;
        Ok(Self { requests })
    }

    /// Starts the init of a container (nothing when it runs already); returns once it listens.
    pub fn start(&self, boot: Boot) -> io::Result<()> {
        let (reply, answer) = mpsc::channel();
        self.requests
            .send(Request::Start(boot, reply))
            .map_err(|_| io::Error::other("the inits' thread is gone"))?;
        answer
            .recv()
            .unwrap_or_else(|_| Err(io::Error::other("the inits' thread is gone")))
    }

    /// Kills the init of a container and everything it started, then clears its `/run`.
    pub fn stop(&self, vmid: u32, ct_dir: &Path) {
        let (reply, answer) = mpsc::channel();
        if self
            .requests
            .send(Request::Stop(vmid, ct_dir.to_path_buf(), reply))
            .is_ok()
        {
            let _ = answer.recv();
        }
    }
}

fn serve(inbox: &mpsc::Receiver<Request>) {
    let mut running: BTreeMap<u32, Child> = BTreeMap::new();
    while let Ok(request) = inbox.recv() {
        match request {
            Request::Start(boot, reply) => {
                let result = match running.get_mut(&boot.vmid).map(Child::try_wait) {
                    Some(Ok(None)) => Ok(()),
                    _ => spawn(&boot).map(|child| {
                        running.insert(boot.vmid, child);
                    }),
                };
                let _ = reply.send(result);
            }
            Request::Stop(vmid, ct_dir, reply) => {
                if let Some(mut child) = running.remove(&vmid) {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                clear_run(&ct_dir.join("rootfs"));
                let _ = reply.send(());
            }
        }
    }
    for (_, mut child) in running {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// `/run` is a tmpfs in a real container: what the last boot left there goes.
fn clear_run(rootfs: &Path) {
    for dir in ["run/berth-sim", "run/systemd"] {
        let path = rootfs.join(dir);
        if let Err(e) = fs::remove_dir_all(&path)
            && e.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!(error = %e, path = %path.display(), "clearing a sandbox's /run failed");
        }
    }
}

fn spawn(boot: &Boot) -> io::Result<Child> {
    let rootfs = boot.ct_dir.join("rootfs");
    clear_run(&rootfs);
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(boot.ct_dir.join("init.log"))?;
    let mut env = jail::base_env();
    env.push(("container".into(), "lxc".into()));
    if let Some(ip) = &boot.ipv4 {
        env.push(("BERTH_SIM_IPV4".into(), ip.into()));
    }
    let argv: [OsString; 1] = [PROGRAM.into()];
    let mut child = jail::command(&rootfs, &boot.hostname, &[], env, &argv)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()?;
    let ctl = rootfs.join("run/berth-sim/init.ctl");
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        if ctl.exists() {
            return Ok(child);
        }
        if let Some(status) = child.try_wait()? {
            return Err(io::Error::other(format!(
                "the init of CT {} ended at boot ({status}); see {}",
                boot.vmid,
                boot.ct_dir.join("init.log").display()
            )));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other(format!(
                "the init of CT {} did not start within {READY_TIMEOUT:?}",
                boot.vmid
            )));
        }
        thread::sleep(Duration::from_millis(10));
    }
}
