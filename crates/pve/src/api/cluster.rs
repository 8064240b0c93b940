//! Version, nodes and cluster-wide calls.

use crate::client::PveClient;
use crate::endpoints as ep;
use crate::error::Error;
use crate::form::Params;
use crate::perl;
use crate::types::{ClusterResource, NodeListItem, NodeStatus, ResourceType, VersionInfo};
use serde::Deserialize;

/// `/cluster/nextid` answers a string in practice and an integer per the schema.
#[derive(Deserialize)]
struct LenientVmid(#[serde(deserialize_with = "perl::int")] u32);

impl PveClient {
    /// `GET /version`.
    pub async fn version(&self) -> Result<VersionInfo, Error> {
        self.call(&ep::VERSION, &[], Params::new()).await
    }

    /// `GET /nodes`.
    pub async fn nodes(&self) -> Result<Vec<NodeListItem>, Error> {
        self.call(&ep::NODES, &[], Params::new()).await
    }

    /// `GET /nodes/{node}/status` (needs `Sys.Audit` on the node).
    pub async fn node_status(&self, node: &str) -> Result<NodeStatus, Error> {
        self.call(&ep::NODE_STATUS, &[node], Params::new()).await
    }

    /// `GET /cluster/resources[?type=…]`.
    pub async fn cluster_resources(
        &self,
        kind: Option<ResourceType>,
    ) -> Result<Vec<ClusterResource>, Error> {
        let params = Params::new().opt_str("type", kind.map(ResourceType::as_str));
        self.call(&ep::CLUSTER_RESOURCES, &[], params).await
    }

    /// `GET /cluster/nextid[?vmid=N]`: the lowest free id, or `vmid` if it is free (a 400
    /// otherwise). Not a reservation: concurrent creators can get the same id.
    pub async fn cluster_nextid(&self, vmid: Option<u32>) -> Result<u32, Error> {
        let params = Params::new().opt_num("vmid", vmid);
        let id: LenientVmid = self.call(&ep::CLUSTER_NEXTID, &[], params).await?;
        Ok(id.0)
    }
}
