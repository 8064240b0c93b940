//! What the SSH stages share: the connection into the container (opened once per attempt and
//! kept on the run's context), and running a command whose lines go to the run's log as they
//! come, with secret input values masked.

use crate::context::RunContext;
use crate::error::ProvisionError;
use crate::exec::{AnyExecutor, Direct, Endpoint, Executor, Node, Output, OutputLine};
use crate::settings::ExecMode;
use berth_domain::run::{LogStream, RunEvent, Stage};
use berth_domain::template::InputKind;
use openssh::KnownHosts;
use std::time::Duration;
use tokio::sync::mpsc;

/// Opens the way into the run's container as the worker's settings say; one attempt.
pub(crate) async fn open(ctx: &RunContext) -> Result<AnyExecutor, ProvisionError> {
    let Some(exec) = ctx.settings().exec.as_ref() else {
        return Err(ProvisionError::Unsupported(
            "this worker has no SSH key configured (BERTH_WORKER_SSH_KEY)".into(),
        ));
    };
    let vmid = ctx.vmid()?;
    let endpoint = |host: String, port, user: &str, known_hosts, check| Endpoint {
        host,
        port,
        user: user.to_string(),
        key_file: exec.key_file.clone(),
        known_hosts,
        check,
        connect_timeout: exec.connect_timeout,
    };
    match exec.mode {
        ExecMode::Direct => {
            let address = ctx
                .checkpoint
                .address
                .clone()
                .ok_or(ProvisionError::MissingCheckpoint("the container's address"))?;
            // One file per run: a new container's key is trusted when the run first meets it,
            // then pinned for the run's later stages and attempts.
            let dir = exec.state_dir.join("known_hosts");
            std::fs::create_dir_all(&dir).map_err(|e| {
                ProvisionError::Unsupported(format!("cannot create {}: {e}", dir.display()))
            })?;
            let known = dir.join(ctx.id.to_string());
            let target = endpoint(address, exec.container_port, "root", known, KnownHosts::Add);
            Ok(AnyExecutor::Direct(Direct::connect(target).await?))
        }
        ExecMode::Node => {
            let node = ctx.node()?;
            let target = endpoint(
                exec.node_host(node),
                exec.node_port,
                &exec.node_user,
                exec.node_known_hosts.clone(),
                KnownHosts::Strict,
            );
            Ok(AnyExecutor::Node(Node::connect(target, vmid).await?))
        }
    }
}

/// Makes sure the context holds an open executor (a resumed run reconnects here).
pub(crate) async fn ensure(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    if ctx.executor.is_none() {
        ctx.executor = Some(open(ctx).await?);
    }
    Ok(())
}

fn executor(ctx: &RunContext) -> Result<&AnyExecutor, ProvisionError> {
    ctx.executor
        .as_ref()
        .ok_or(ProvisionError::MissingCheckpoint("an SSH connection"))
}

/// Runs `command` in the container, its lines streamed into the run's log under `stage`.
/// A non-zero exit is a [`ProvisionError::CommandFailed`] naming `what`.
pub(crate) async fn run(
    ctx: &mut RunContext,
    stage: Stage,
    what: &str,
    command: &str,
    env: &[(String, String)],
    timeout: Duration,
) -> Result<Output, ProvisionError> {
    ensure(ctx).await?;
    let ctx = &*ctx;
    let executor = executor(ctx)?;
    let secrets = secret_values(ctx);
    let (sender, mut receiver) = mpsc::unbounded_channel::<OutputLine>();
    let command_done = async move {
        let result = executor.exec(command, env, timeout, Some(&sender)).await;
        // The forwarder stops once the last sender is gone.
        drop(sender);
        result
    };
    let forward = async {
        while let Some(line) = receiver.recv().await {
            let stream = if line.stderr {
                LogStream::Stderr
            } else {
                LogStream::Stdout
            };
            let event = RunEvent::Log {
                stage: Some(stage),
                stream,
                line: mask(&line.line, &secrets),
            };
            ctx.emit(event).await?;
        }
        Ok::<_, ProvisionError>(())
    };
    let (output, forwarded) = tokio::join!(command_done, forward);
    let output = output?;
    forwarded?;
    if output.success() {
        return Ok(output);
    }
    Err(ProvisionError::CommandFailed {
        what: what.to_string(),
        code: output.code_text(),
        output: mask(&output.tail(5), &secrets),
    })
}

/// Writes a file into the container.
pub(crate) async fn push(
    ctx: &mut RunContext,
    path: &str,
    bytes: &[u8],
    mode: u32,
    owner: &str,
) -> Result<(), ProvisionError> {
    ensure(ctx).await?;
    executor(ctx)?.push(path, bytes, mode, owner).await?;
    Ok(())
}

/// The values of the run's secret inputs, which must never show in its log.
fn secret_values(ctx: &RunContext) -> Vec<String> {
    let site = ctx.settings().script_env.secrets();
    ctx.template
        .inputs
        .iter()
        .filter(|input| input.kind == InputKind::Secret)
        .filter_map(|input| ctx.spec.inputs.get(&input.name))
        // Masking one or two characters would garble the log and hide nothing.
        .filter(|value| value.len() >= 3)
        .map(str::to_string)
        .chain(site)
        .collect()
}

fn mask(line: &str, secrets: &[String]) -> String {
    secrets.iter().fold(line.to_string(), |line, secret| {
        line.replace(secret.as_str(), "••••••")
    })
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn secrets_are_masked_wherever_they_appear() {
        let secrets = vec!["hunter22".to_string()];
        assert_eq!(
            mask("password=hunter22 again hunter22", &secrets),
            "password=•••••• again ••••••"
        );
        assert_eq!(mask("nothing here", &secrets), "nothing here");
    }
}
