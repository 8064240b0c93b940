//! Commands through the node that owns the container: `ssh root@<node> pct exec <vmid> -- …`, and
//! files copied to the node first, then placed with `pct push` (PVE-API.md §8.2).

use super::link::{Endpoint, Link};
use super::{
    ExecError, Executor, LineSender, Output, PUSH_TIMEOUT, check_path, check_request, failed,
    script,
};
use std::time::Duration;

#[derive(Debug)]
pub struct Node {
    link: Link,
    vmid: u32,
}

impl Node {
    pub async fn connect(endpoint: Endpoint, vmid: u32) -> Result<Self, ExecError> {
        Ok(Self {
            link: Link::open(endpoint).await?,
            vmid,
        })
    }

    pub fn describe(&self) -> String {
        format!("CT {} via {}", self.vmid, self.link.describe())
    }

    pub async fn close(self) {
        self.link.close().await
    }

    /// Runs a command on the node itself; a failure is an error naming `what`.
    async fn on_node(&self, what: &str, command: &str, stdin: &[u8]) -> Result<(), ExecError> {
        let output = self.link.run(command, stdin, PUSH_TIMEOUT, None).await?;
        if output.success() {
            return Ok(());
        }
        Err(failed(what, &output))
    }
}

impl Executor for Node {
    async fn exec(
        &self,
        command: &str,
        env: &[(String, String)],
        timeout: Duration,
        lines: Option<&LineSender>,
    ) -> Result<Output, ExecError> {
        check_request(env)?;
        let input = script::with_env(env, command);
        // `pct exec` attaches stdio through, so the script reaches the container's shell.
        let remote = format!("pct exec {} -- /bin/sh -s", self.vmid);
        self.link
            .run(&remote, input.as_bytes(), timeout, lines)
            .await
    }

    async fn push(
        &self,
        path: &str,
        bytes: &[u8],
        mode: u32,
        owner: &str,
    ) -> Result<(), ExecError> {
        check_path(path)?;
        let (user, group) = match owner.split_once(':') {
            Some((user, group)) => (user, Some(group)),
            None => (owner, None),
        };
        // `pct push` does not make missing directories.
        let parent = match path.rfind('/') {
            Some(0) | None => "/",
            Some(at) => &path[..at],
        };
        self.on_node(
            &format!("creating {parent} in CT {}", self.vmid),
            &format!(
                "pct exec {} -- mkdir -p {}",
                self.vmid,
                script::quote(parent)
            ),
            b"",
        )
        .await?;
        let staged = format!("/tmp/berth-push-{}", uuid::Uuid::new_v4());
        self.on_node(
            "copying the file to the node",
            &format!("umask 077 && cat > {}", script::quote(&staged)),
            bytes,
        )
        .await?;
        let mut push = format!(
            "pct push {} {} {} --perms {mode:o} --user {}",
            self.vmid,
            script::quote(&staged),
            script::quote(path),
            script::quote(user),
        );
        if let Some(group) = group {
            push.push_str(&format!(" --group {}", script::quote(group)));
        }
        // The staged copy goes whatever `pct push` says.
        let command = format!(
            "{push}; status=$?; rm -f {}; exit $status",
            script::quote(&staged)
        );
        self.on_node(&format!("pct push to {path}"), &command, b"")
            .await
    }
}
