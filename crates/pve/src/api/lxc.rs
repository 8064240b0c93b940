//! Container lifecycle: list, create, config, status and power actions, destroy.

use crate::client::PveClient;
use crate::endpoints as ep;
use crate::error::Error;
use crate::form::Params;
use crate::types::{CreateLxc, DeleteLxc, LxcConfig, LxcConfigUpdate, LxcStatus};
use crate::upid::Upid;

impl PveClient {
    /// `GET /nodes/{node}/lxc`: containers whose config lives on `node`.
    pub async fn lxc_list(&self, node: &str) -> Result<Vec<LxcStatus>, Error> {
        self.call(&ep::LXC_LIST, &[node], Params::new()).await
    }

    /// `POST /nodes/{node}/lxc`: starts a `vzcreate` task.
    pub async fn create_lxc(&self, node: &str, request: &CreateLxc) -> Result<Upid, Error> {
        self.call(&ep::LXC_CREATE, &[node], request.to_params())
            .await
    }

    /// `GET /nodes/{node}/lxc/{vmid}/config`. With `current`, pending changes are left out.
    pub async fn lxc_config(
        &self,
        node: &str,
        vmid: u32,
        current: bool,
    ) -> Result<LxcConfig, Error> {
        let params = if current {
            Params::new().bool("current", true)
        } else {
            Params::new()
        };
        self.call(&ep::LXC_CONFIG, &[node, &vmid.to_string()], params)
            .await
    }

    /// `PUT /nodes/{node}/lxc/{vmid}/config` (synchronous).
    pub async fn update_lxc_config(
        &self,
        node: &str,
        vmid: u32,
        update: &LxcConfigUpdate,
    ) -> Result<(), Error> {
        self.call(
            &ep::LXC_CONFIG_UPDATE,
            &[node, &vmid.to_string()],
            update.to_params(),
        )
        .await
    }

    /// `GET /nodes/{node}/lxc/{vmid}/status/current` (live, unlike `/cluster/resources`).
    pub async fn lxc_status(&self, node: &str, vmid: u32) -> Result<LxcStatus, Error> {
        self.call(&ep::LXC_STATUS, &[node, &vmid.to_string()], Params::new())
            .await
    }

    /// `POST …/status/start`: a `vzstart` task.
    pub async fn start_lxc(&self, node: &str, vmid: u32) -> Result<Upid, Error> {
        self.call(&ep::LXC_START, &[node, &vmid.to_string()], Params::new())
            .await
    }

    /// `POST …/status/stop`: a hard stop (`vzstop`). `overrule_shutdown` aborts running
    /// shutdown tasks (PVE ≥ 8.2; only sent when true, as PVE 7 rejects the parameter).
    pub async fn stop_lxc(
        &self,
        node: &str,
        vmid: u32,
        overrule_shutdown: bool,
    ) -> Result<Upid, Error> {
        let params = if overrule_shutdown {
            Params::new().bool("overrule-shutdown", true)
        } else {
            Params::new()
        };
        self.call(&ep::LXC_STOP, &[node, &vmid.to_string()], params)
            .await
    }

    /// `POST …/status/shutdown`: a clean shutdown (`vzshutdown`); `force_stop` kills it after
    /// `timeout` seconds (server default 60).
    pub async fn shutdown_lxc(
        &self,
        node: &str,
        vmid: u32,
        timeout: Option<u32>,
        force_stop: bool,
    ) -> Result<Upid, Error> {
        let params = Params::new()
            .opt_num("timeout", timeout)
            .bool("forceStop", force_stop);
        self.call(&ep::LXC_SHUTDOWN, &[node, &vmid.to_string()], params)
            .await
    }

    /// `POST …/status/reboot` (`vzreboot`); applies pending changes.
    pub async fn reboot_lxc(
        &self,
        node: &str,
        vmid: u32,
        timeout: Option<u32>,
    ) -> Result<Upid, Error> {
        let params = Params::new().opt_num("timeout", timeout);
        self.call(&ep::LXC_REBOOT, &[node, &vmid.to_string()], params)
            .await
    }

    /// `DELETE /nodes/{node}/lxc/{vmid}`: a `vzdestroy` task.
    pub async fn delete_lxc(
        &self,
        node: &str,
        vmid: u32,
        options: DeleteLxc,
    ) -> Result<Upid, Error> {
        let params = Params::new()
            .bool("purge", options.purge)
            .bool("force", options.force)
            .opt_bool(
                "destroy-unreferenced-disks",
                options.destroy_unreferenced_disks,
            );
        self.call(&ep::LXC_DELETE, &[node, &vmid.to_string()], params)
            .await
    }
}
