//! Container interfaces, snapshots and RRD statistics.

use crate::client::PveClient;
use crate::endpoints as ep;
use crate::error::Error;
use crate::form::Params;
use crate::types::{LxcInterface, RrdPoint, RrdTimeframe, Snapshot};
use crate::upid::Upid;

impl PveClient {
    /// `GET …/interfaces`: `None` when the container is not running (`{"data":null}`).
    pub async fn lxc_interfaces(
        &self,
        node: &str,
        vmid: u32,
    ) -> Result<Option<Vec<LxcInterface>>, Error> {
        self.call(
            &ep::LXC_INTERFACES,
            &[node, &vmid.to_string()],
            Params::new(),
        )
        .await
    }

    /// `GET …/snapshot`: the snapshots, then the `current` pseudo-entry.
    pub async fn lxc_snapshots(&self, node: &str, vmid: u32) -> Result<Vec<Snapshot>, Error> {
        self.call(
            &ep::LXC_SNAPSHOTS,
            &[node, &vmid.to_string()],
            Params::new(),
        )
        .await
    }

    /// `POST …/snapshot`: a `vzsnapshot` task.
    pub async fn create_lxc_snapshot(
        &self,
        node: &str,
        vmid: u32,
        snapname: &str,
        description: Option<&str>,
    ) -> Result<Upid, Error> {
        let params = Params::new()
            .str("snapname", snapname)
            .opt_str("description", description);
        self.call(&ep::LXC_SNAPSHOT_CREATE, &[node, &vmid.to_string()], params)
            .await
    }

    /// `DELETE …/snapshot/{snapname}`: a `vzdelsnapshot` task.
    pub async fn delete_lxc_snapshot(
        &self,
        node: &str,
        vmid: u32,
        snapname: &str,
        force: bool,
    ) -> Result<Upid, Error> {
        let params = if force {
            Params::new().bool("force", true)
        } else {
            Params::new()
        };
        let vmid = vmid.to_string();
        self.call(&ep::LXC_SNAPSHOT_DELETE, &[node, &vmid, snapname], params)
            .await
    }

    /// `POST …/snapshot/{snapname}/rollback`: a `vzrollback` task; stops a running CT first.
    pub async fn rollback_lxc_snapshot(
        &self,
        node: &str,
        vmid: u32,
        snapname: &str,
        start: Option<bool>,
    ) -> Result<Upid, Error> {
        let params = Params::new().opt_bool("start", start);
        let vmid = vmid.to_string();
        self.call(&ep::LXC_SNAPSHOT_ROLLBACK, &[node, &vmid, snapname], params)
            .await
    }

    /// `GET …/rrddata?timeframe=…&cf=AVERAGE|MAX`.
    pub async fn lxc_rrddata(
        &self,
        node: &str,
        vmid: u32,
        timeframe: RrdTimeframe,
        max: bool,
    ) -> Result<Vec<RrdPoint>, Error> {
        let params = Params::new()
            .str("timeframe", timeframe.as_str())
            .str("cf", if max { "MAX" } else { "AVERAGE" });
        self.call(&ep::LXC_RRDDATA, &[node, &vmid.to_string()], params)
            .await
    }
}
