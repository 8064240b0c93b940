//! Commands straight into the container: `ssh root@<its address>` with the key Berth injected
//! when it was created.

use super::link::{Endpoint, Link};
use super::{
    ExecError, Executor, LineSender, Output, PUSH_TIMEOUT, check_path, check_request, failed,
    script,
};
use std::time::Duration;

#[derive(Debug)]
pub struct Direct {
    link: Link,
}

impl Direct {
    pub async fn connect(endpoint: Endpoint) -> Result<Self, ExecError> {
        Ok(Self {
            link: Link::open(endpoint).await?,
        })
    }

    pub fn describe(&self) -> String {
        self.link.describe()
    }

    pub async fn close(self) {
        self.link.close().await
    }
}

impl Executor for Direct {
    async fn exec(
        &self,
        command: &str,
        env: &[(String, String)],
        timeout: Duration,
        lines: Option<&LineSender>,
    ) -> Result<Output, ExecError> {
        check_request(env)?;
        let input = script::with_env(env, command);
        self.link
            .run("/bin/sh -s", input.as_bytes(), timeout, lines)
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
        let output = self
            .link
            .run(
                &script::write_file(path, mode, owner),
                bytes,
                PUSH_TIMEOUT,
                None,
            )
            .await?;
        if output.success() {
            return Ok(());
        }
        Err(failed(&format!("writing {path}"), &output))
    }
}
