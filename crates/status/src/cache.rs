//! Where a cluster's snapshot lives in Redis.

use berth_domain::container::ContainersSnapshot;
use fred::prelude::{Client, KeysInterface};

/// `<prefix>status:containers:<cluster>` (prefix e.g. `berth:`).
pub fn snapshot_key(prefix: &str, cluster: &str) -> String {
    format!("{prefix}status:containers:{cluster}")
}

/// The last snapshot the cluster's poller wrote, if any. A snapshot that does not read (an
/// older Berth wrote it) counts as none: the poller replaces it within one interval.
pub async fn read_snapshot(
    client: &Client,
    prefix: &str,
    cluster: &str,
) -> Result<Option<ContainersSnapshot>, fred::error::Error> {
    let stored: Option<String> = client.get(snapshot_key(prefix, cluster)).await?;
    Ok(stored.and_then(|json| serde_json::from_str(&json).ok()))
}

pub(crate) async fn write_snapshot(
    client: &Client,
    prefix: &str,
    cluster: &str,
    snapshot: &ContainersSnapshot,
) -> Result<(), fred::error::Error> {
    let json = serde_json::to_string(snapshot).unwrap_or_default();
    client
        .set::<(), _, _>(snapshot_key(prefix, cluster), json, None, None, false)
        .await
}
