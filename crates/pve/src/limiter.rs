//! A concurrency limit per node: calls on `/nodes/{node}/…` share one semaphore per node, so
//! a busy node is not flooded while calls to other nodes go on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Debug)]
pub(crate) struct NodeLimiter {
    per_node: usize,
    nodes: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl NodeLimiter {
    pub(crate) fn new(per_node: usize) -> Self {
        Self {
            per_node: per_node.max(1),
            nodes: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a slot on `node`; calls without a node are not limited.
    pub(crate) async fn acquire(&self, node: Option<&str>) -> Option<OwnedSemaphorePermit> {
        let node = node?;
        let semaphore = {
            // A poisoned map still holds valid semaphores.
            let mut nodes = self.nodes.lock().unwrap_or_else(|p| p.into_inner());
            nodes
                .entry(node.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_node)))
                .clone()
        };
        // Never closed, so this only fails if that invariant breaks; then run unlimited.
        semaphore.acquire_owned().await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn limits_each_node_separately() {
        let l = NodeLimiter::new(1);
        let a = l.acquire(Some("pve1")).await;
        assert!(a.is_some());
        // pve2 is not blocked by pve1.
        assert!(l.acquire(Some("pve2")).await.is_some());
        let blocked = tokio::time::timeout(
            std::time::Duration::from_millis(50),
            l.acquire(Some("pve1")),
        )
        .await;
        assert!(blocked.is_err(), "second call on pve1 waits");
        drop(a);
        assert!(l.acquire(Some("pve1")).await.is_some());
        assert!(l.acquire(None).await.is_none());
    }
}
