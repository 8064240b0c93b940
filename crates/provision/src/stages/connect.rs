//! Connect: wait until the container's SSH server (or its node) lets Berth in, check that
//! commands run as root, and set the root password from the run's hash when one was given.

use super::shell;
use crate::context::RunContext;
use crate::error::ProvisionError;
use crate::exec::ExecError;
use berth_domain::run::Stage;
use std::time::{Duration, Instant};

const STAGE: Stage = Stage::Connect;
/// How long a quick check in the container may take.
const QUICK: Duration = Duration::from_secs(30);
const RETRY_EVERY: Duration = Duration::from_secs(2);

pub(crate) async fn run(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    connect(ctx).await?;
    let probe = "id -u; . /etc/os-release 2>/dev/null; echo \"${PRETTY_NAME:-unknown OS}\"";
    let output = shell::run(ctx, STAGE, "checking the shell", probe, &[], QUICK).await?;
    let text = String::from_utf8_lossy(&output.stdout);
    if text.lines().next().map(str::trim) != Some("0") {
        return Err(ProvisionError::CommandFailed {
            what: "checking the shell".into(),
            code: "a user other than root".into(),
            output: text.lines().next().unwrap_or_default().to_string(),
        });
    }
    set_root_password(ctx).await
}

/// A new container's SSH server needs a moment after boot: connection failures are retried
/// until the deadline; anything else (a refused key, a changed host key) fails at once.
async fn connect(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    if let Some(old) = ctx.executor.take() {
        old.close().await;
    }
    let deadline = ctx
        .settings()
        .exec
        .as_ref()
        .map(|exec| exec.connect_deadline)
        .unwrap_or_default();
    let started = Instant::now();
    let mut said_waiting = false;
    loop {
        match shell::open(ctx).await {
            Ok(executor) => {
                let line = format!("connected: {}", executor.describe());
                ctx.executor = Some(executor);
                return ctx.log(STAGE, line).await;
            }
            Err(ProvisionError::Exec(error @ ExecError::Connect { .. }))
                if started.elapsed() + RETRY_EVERY < deadline && !refused(&error) =>
            {
                if !said_waiting {
                    ctx.log(STAGE, format!("waiting for SSH: {error}")).await?;
                    said_waiting = true;
                }
                tokio::time::sleep(RETRY_EVERY).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// A rejected key or a host key that changed will not get better by waiting.
fn refused(error: &ExecError) -> bool {
    let text = error.to_string();
    text.contains("Permission denied") || text.contains("HOST IDENTIFICATION HAS CHANGED")
}

async fn set_root_password(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    let Some(hash) = ctx.secrets.root_password_hash.clone() else {
        return Ok(());
    };
    // The hash travels in the environment (on the session's stdin), not on a command line.
    let env = vec![("BERTH_ROOT_HASH".to_string(), hash)];
    let command = "printf 'root:%s\\n' \"$BERTH_ROOT_HASH\" | chpasswd -e";
    shell::run(
        ctx,
        STAGE,
        "setting the root password",
        command,
        &env,
        QUICK,
    )
    .await?;
    ctx.log(STAGE, "root password set").await
}
