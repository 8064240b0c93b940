//! Child processes that are always stopped (Drop guards) and the Ctrl-C/SIGTERM flag.

use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::cmd;

static STOP: AtomicBool = AtomicBool::new(false);

/// Catches SIGINT, SIGTERM and SIGHUP: xtask must outlive its children to stop them in order.
pub fn install_signal_handler() -> Result<()> {
    ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst))
        .context("cannot install the signal handler")
}

/// True once the user pressed Ctrl-C or someone sent SIGTERM.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// What the signal handler does, for tests.
#[cfg(test)]
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// The signal that asks a child to shut down cleanly.
#[derive(Debug, Clone, Copy)]
pub enum StopSignal {
    /// Postgres: SIGINT is its "fast" shutdown.
    Int,
    Term,
}

impl StopSignal {
    fn name(self) -> &'static str {
        match self {
            Self::Int => "INT",
            Self::Term => "TERM",
        }
    }
}

/// A running child that is signalled, waited for and, past its grace period, killed on drop.
#[derive(Debug)]
pub struct Guard {
    name: String,
    child: Option<Child>,
    signal: StopSignal,
    signalled: bool,
    grace: Duration,
}

impl Guard {
    pub fn spawn(name: &str, command: &mut Command, signal: StopSignal) -> Result<Self> {
        let child = command
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {name}: `{}`", cmd::describe(command)))?;
        Ok(Self {
            name: name.to_owned(),
            child: Some(child),
            signal,
            signalled: false,
            grace: Duration::from_secs(20),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The exit status if the child has ended (reaping it).
    pub fn exited(&mut self) -> Option<ExitStatus> {
        let child = self.child.as_mut()?;
        match child.try_wait() {
            Ok(Some(status)) => {
                self.child = None;
                Some(status)
            }
            _ => None,
        }
    }

    /// Sends the stop signal without waiting (so several children can stop at once).
    pub fn signal(&mut self) {
        if let Some(child) = &self.child
            && !self.signalled
        {
            // `kill` the command: the workspace forbids the unsafe libc call.
            let pid = child.id().to_string();
            cmd::succeeds(Command::new("kill").args(["-s", self.signal.name(), &pid]));
            self.signalled = true;
        }
    }

    /// Signals, waits up to the grace period, then kills. Idempotent.
    pub fn stop(&mut self) {
        if matches!(
            self.child.as_mut().map(Child::try_wait),
            Some(Ok(Some(_))) | None
        ) {
            self.child = None;
            return;
        }
        self.signal();
        let Some(mut child) = self.child.take() else {
            return;
        };
        let deadline = Instant::now() + self.grace;
        while Instant::now() < deadline {
            if !matches!(child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!(
            "xtask: {} did not stop within {:?}; killing it",
            self.name, self.grace
        );
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Stops a group of children: signal all first, then wait for each (reverse start order).
pub fn stop_all(guards: &mut [Guard]) {
    for guard in guards.iter_mut() {
        guard.signal();
    }
    for guard in guards.iter_mut().rev() {
        guard.stop();
    }
}
