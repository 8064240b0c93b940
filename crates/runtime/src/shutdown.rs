//! Graceful shutdown: one future that resolves on SIGTERM or Ctrl-C.

use tokio::sync::watch;

/// Resolves when the process is asked to stop (SIGINT or SIGTERM).
pub async fn signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}

/// A shutdown flag that many tasks can wait on.
#[derive(Debug, Clone)]
pub struct Shutdown {
    rx: watch::Receiver<bool>,
}

/// The sending half: `trigger` tells every [`Shutdown`] to stop.
#[derive(Debug)]
pub struct ShutdownTrigger {
    tx: watch::Sender<bool>,
}

impl ShutdownTrigger {
    pub fn trigger(&self) {
        self.tx.send_replace(true);
    }
}

pub fn channel() -> (ShutdownTrigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (ShutdownTrigger { tx }, Shutdown { rx })
}

impl Shutdown {
    pub fn is_triggered(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once shutdown is triggered (at once if it already was).
    pub async fn wait(&mut self) {
        // An error means the trigger is gone, which also means: stop.
        let _ = self.rx.wait_for(|stop| *stop).await;
    }

    /// Sleeps for `duration` unless shutdown comes first; returns false on shutdown.
    pub async fn sleep(&mut self, duration: std::time::Duration) -> bool {
        tokio::select! {
            () = tokio::time::sleep(duration) => true,
            () = self.wait() => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn sleep_is_cut_short_by_the_trigger() {
        let (trigger, mut shutdown) = channel();
        assert!(shutdown.sleep(Duration::from_millis(1)).await);
        trigger.trigger();
        assert!(shutdown.is_triggered());
        assert!(!shutdown.sleep(Duration::from_secs(3600)).await);
    }
}
