//! The running simulator's shared core: state behind a lock, settings, faults, flocks.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{Notify, watch};

use crate::faults::Faults;
use crate::locks::Flocks;
use crate::sandbox::Sandboxes;
use crate::seed::SimSettings;
use crate::state::SimState;

/// Shared by every request handler and task.
#[derive(Debug)]
pub struct Sim {
    state: Mutex<SimState>,
    faults: RwLock<Faults>,
    pub settings: SimSettings,
    pub time_scale: f64,
    pub flocks: Flocks,
    /// Signalled whenever the state changed and should be saved.
    pub dirty: Notify,
    pub fingerprint: Option<String>,
    /// The guest figures `/cluster/resources` shows: refreshed every stats interval, so it lags.
    pub broadcast: Mutex<HashMap<u32, Value>>,
    pub shutdown: watch::Receiver<bool>,
    /// Real root filesystems for the containers, when the simulator runs with a sandbox dir.
    pub sandbox: Option<Sandboxes>,
    /// `/api2` calls answered so far: what benchmarks read as "Proxmox load".
    pub api_calls: Arc<AtomicU64>,
}

impl Sim {
    pub fn new(
        state: SimState,
        settings: SimSettings,
        faults: Faults,
        time_scale: f64,
        fingerprint: Option<String>,
        shutdown: watch::Receiver<bool>,
        sandbox: Option<Sandboxes>,
    ) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(state),
            faults: RwLock::new(faults),
            settings,
            time_scale,
            flocks: Flocks::default(),
            dirty: Notify::new(),
            fingerprint,
            broadcast: Mutex::new(HashMap::new()),
            shutdown,
            sandbox,
            api_calls: Arc::default(),
        })
    }

    /// Reads the state; never hold this across an `.await`.
    pub fn read<R>(&self, f: impl FnOnce(&SimState) -> R) -> R {
        f(&self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Changes the state, brings the sandboxes in step and schedules a save.
    pub fn write<R>(&self, f: impl FnOnce(&mut SimState) -> R) -> R {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let r = f(&mut state);
        if let Some(sandbox) = &self.sandbox {
            sandbox.sync(&state);
        }
        drop(state);
        self.dirty.notify_one();
        r
    }

    /// Changes the state without scheduling a save (moving figures only).
    pub fn touch<R>(&self, f: impl FnOnce(&mut SimState) -> R) -> R {
        f(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn faults(&self) -> Faults {
        self.faults
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.faults.write().unwrap_or_else(PoisonError::into_inner) = faults;
    }

    pub fn broadcast(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Value>> {
        self.broadcast
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// A simulated duration in real time.
    pub fn scaled(&self, secs: f64) -> Duration {
        Duration::from_secs_f64((secs * self.time_scale).max(0.0))
    }

    pub async fn sleep(&self, secs: f64) {
        tokio::time::sleep(self.scaled(secs)).await;
    }

    pub fn is_offline(&self, node: &str) -> bool {
        self.faults
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .offline_nodes
            .contains(node)
    }
}

/// Resolves once shutdown has been requested.
pub async fn wait_shutdown(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

/// Epoch seconds now.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
