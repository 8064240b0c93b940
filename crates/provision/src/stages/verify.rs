//! Verify: the template's health check, tried until it passes or its deadline ends; then, when
//! the operator asked for the container not to stay running, a clean shutdown.

use super::shell;
use crate::context::RunContext;
use crate::error::ProvisionError;
use berth_domain::run::Stage;
use berth_domain::template::HealthCheck;
use berth_pve::types::GuestStatus;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const STAGE: Stage = Stage::Verify;
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
const RETRY_EVERY: Duration = Duration::from_secs(2);

pub(crate) async fn run(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    match ctx.template.health_check.clone() {
        None => {
            ctx.log(STAGE, "the template defines no health check")
                .await?
        }
        Some(check) => until_healthy(ctx, &check).await?,
    }
    if !ctx.spec.start_after_create {
        shut_down(ctx).await?;
    }
    Ok(())
}

async fn until_healthy(ctx: &mut RunContext, check: &HealthCheck) -> Result<(), ProvisionError> {
    let deadline = ctx
        .settings()
        .exec
        .as_ref()
        .map(|exec| exec.verify_deadline)
        .unwrap_or(Duration::from_secs(120));
    let started = Instant::now();
    let mut reported = None;
    loop {
        match probe(ctx, check).await {
            Ok(passed) => return ctx.log(STAGE, passed).await,
            Err(ProvisionError::Unhealthy(why)) => {
                if started.elapsed() + RETRY_EVERY >= deadline {
                    return Err(ProvisionError::Unhealthy(format!(
                        "{why} (kept failing for {} s)",
                        started.elapsed().as_secs()
                    )));
                }
                // Say why once per distinct reason, not every two seconds.
                if reported.as_ref() != Some(&why) {
                    ctx.log(STAGE, format!("not healthy yet: {why}")).await?;
                    reported = Some(why);
                }
                tokio::time::sleep(RETRY_EVERY).await;
            }
            Err(other) => return Err(other),
        }
    }
}

/// One try: `Ok` with what passed, or [`ProvisionError::Unhealthy`] with why not.
async fn probe(ctx: &mut RunContext, check: &HealthCheck) -> Result<String, ProvisionError> {
    let address = || {
        ctx.checkpoint
            .address
            .clone()
            .ok_or(ProvisionError::MissingCheckpoint("the container's address"))
    };
    match check {
        HealthCheck::Tcp { port } => {
            let host = address()?;
            connect(&host, *port).await?;
            Ok(format!("port {port} on {host} accepts connections"))
        }
        HealthCheck::Http { port, path } => {
            let host = address()?;
            let status = http_get(&host, *port, path).await?;
            if status >= 400 {
                return Err(ProvisionError::Unhealthy(format!(
                    "GET http://{host}:{port}/{} answered {status}",
                    path.trim_start_matches('/')
                )));
            }
            Ok(format!(
                "GET http://{host}:{port}/{} answered {status}",
                path.trim_start_matches('/')
            ))
        }
        HealthCheck::Command { command } => {
            match shell::run(
                ctx,
                STAGE,
                "the health check",
                command,
                &[],
                ATTEMPT_TIMEOUT * 6,
            )
            .await
            {
                Ok(_) => Ok(format!("`{command}` succeeded")),
                Err(ProvisionError::CommandFailed { code, output, .. }) => Err(
                    ProvisionError::Unhealthy(format!("`{command}` failed with {code}: {output}")),
                ),
                Err(other) => Err(other),
            }
        }
    }
}

async fn connect(host: &str, port: u16) -> Result<TcpStream, ProvisionError> {
    match tokio::time::timeout(ATTEMPT_TIMEOUT, TcpStream::connect((host, port))).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(error)) => Err(ProvisionError::Unhealthy(format!(
            "port {port} on {host}: {error}"
        ))),
        Err(_) => Err(ProvisionError::Unhealthy(format!(
            "port {port} on {host} did not answer within {} s",
            ATTEMPT_TIMEOUT.as_secs()
        ))),
    }
}

/// A plain HTTP/1.0 GET; only the status line matters.
async fn http_get(host: &str, port: u16, path: &str) -> Result<u16, ProvisionError> {
    let mut stream = connect(host, port).await?;
    let request = format!(
        "GET /{} HTTP/1.0\r\nHost: {host}:{port}\r\nUser-Agent: berth-health-check\r\nConnection: close\r\n\r\n",
        path.trim_start_matches('/')
    );
    let exchange = async {
        stream.write_all(request.as_bytes()).await?;
        let mut head = vec![0u8; 256];
        let mut read = 0;
        while read < head.len() && !head[..read].contains(&b'\n') {
            match stream.read(&mut head[read..]).await? {
                0 => break,
                n => read += n,
            }
        }
        head.truncate(read);
        Ok::<_, std::io::Error>(head)
    };
    let head = match tokio::time::timeout(ATTEMPT_TIMEOUT, exchange).await {
        Ok(Ok(head)) => head,
        Ok(Err(error)) => {
            return Err(ProvisionError::Unhealthy(format!(
                "GET on port {port}: {error}"
            )));
        }
        Err(_) => {
            return Err(ProvisionError::Unhealthy(format!(
                "GET on port {port} got no answer within {} s",
                ATTEMPT_TIMEOUT.as_secs()
            )));
        }
    };
    status_code(&head)
        .ok_or_else(|| ProvisionError::Unhealthy(format!("port {port} does not answer HTTP")))
}

/// The status code of an HTTP status line (`HTTP/1.1 200 OK`).
fn status_code(head: &[u8]) -> Option<u16> {
    let line = String::from_utf8_lossy(head);
    let mut words = line.lines().next()?.split_whitespace();
    words.next().filter(|v| v.starts_with("HTTP/"))?;
    words.next()?.parse().ok()
}

/// The operator wanted the container stopped once it is ready: shut it down cleanly.
async fn shut_down(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    let (vmid, node) = (ctx.vmid()?, ctx.node()?.to_owned());
    if let Some(executor) = ctx.executor.take() {
        executor.close().await;
    }
    let pve = ctx.services.pve.clone();
    if pve.lxc_status(&node, vmid).await?.status != GuestStatus::Running {
        return ctx.log(STAGE, format!("CT {vmid} is stopped")).await;
    }
    let upid = pve.shutdown_lxc(&node, vmid, Some(60), true).await?;
    ctx.log(STAGE, format!("shutting CT {vmid} down, as asked ({upid})"))
        .await?;
    pve.wait_task(&upid, ctx.settings().start_deadline).await?;
    ctx.log(STAGE, format!("CT {vmid} is stopped")).await
}

#[cfg(test)]
mod tests {
    use super::status_code;

    #[test]
    fn status_lines_are_read() {
        assert_eq!(status_code(b"HTTP/1.1 204 No Content\r\n"), Some(204));
        assert_eq!(status_code(b"HTTP/1.0 503 Busy\r\nx"), Some(503));
        assert_eq!(status_code(b"SSH-2.0-OpenSSH_9.2\r\n"), None);
        assert_eq!(status_code(b""), None);
    }
}
