//! The pipeline's whole way, against a simulator whose containers are sandboxes and a real
//! OpenSSH server that reaches them: straight in (the container's loopback address, with the
//! key Berth injected at create) or through the node (`pct exec` / `pct push`).

use crate::support::{Harness, NODE, PROVISIONER, TestAttempt, web_template};
use berth_domain::run::{LogStream, RunEvent, Stage};
use berth_domain::template::{PackageBucket, TemplateSpec};
use berth_provision::{ALL_STAGES, ExecMode, ExecSettings, Provisioner};
use berth_testkit::sshd::{KeyPair, SshOptions, SshServer, ct_exec_binary};
use std::path::PathBuf;
use std::time::Duration;
use tempfile::TempDir;
use uuid::Uuid;

pub struct SshHarness {
    pub h: Harness,
    pub sshd: SshServer,
    /// Berth's own key: its public half goes into every container at create.
    pub berth_key: KeyPair,
    dir: TempDir,
}

impl SshHarness {
    pub async fn start(template: TemplateSpec, buckets: &[PackageBucket]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let sandboxes = dir.path().join("sandboxes");
        let h = Harness::start_with(PROVISIONER, template, buckets, Some(sandboxes.clone())).await;
        let sshd = SshServer::start(SshOptions {
            sandbox_dir: sandboxes,
            node: NODE.into(),
            ct_exec: ct_exec_binary(),
        });
        let berth_key = KeyPair::generate(dir.path(), "berth");
        Self {
            h,
            sshd,
            berth_key,
            dir,
        }
    }

    pub fn exec(&self, mode: ExecMode) -> ExecSettings {
        let mut exec = ExecSettings::direct(&self.berth_key.private, self.dir.path().join("state"));
        exec.public_key = Some(self.berth_key.public.clone());
        exec.container_port = self.sshd.port;
        exec.connect_deadline = Duration::from_secs(10);
        exec.verify_deadline = Duration::from_secs(3);
        if mode == ExecMode::Node {
            exec.mode = ExecMode::Node;
            // The node authorizes the harness' client key, not Berth's container key.
            exec.key_file = self.sshd.client_key.clone();
            exec.node_hosts.insert(NODE.into(), "127.0.0.1".into());
            exec.node_port = self.sshd.port;
            exec.node_known_hosts = self.sshd.known_hosts.clone();
        }
        exec
    }

    pub fn provisioner(&self, mode: ExecMode) -> Provisioner {
        self.h.provisioner_with(&ALL_STAGES, Some(self.exec(mode)))
    }

    /// One attempt at `run` in `mode`.
    pub async fn attempt(&self, run: Uuid, number: u32, mode: ExecMode) {
        self.provisioner(mode)
            .run(&TestAttempt::new(run, number).last())
            .await;
    }

    pub fn rootfs(&self, vmid: u32) -> PathBuf {
        self.dir
            .path()
            .join("sandboxes")
            .join(vmid.to_string())
            .join("rootfs")
    }

    /// The run's log lines of `stream`.
    pub async fn log(&self, run: Uuid, stream: LogStream) -> Vec<(Option<Stage>, String)> {
        self.h
            .events(run)
            .await
            .into_iter()
            .filter_map(|e| match e.event {
                RunEvent::Log {
                    stage,
                    stream: s,
                    line,
                } if s == stream => Some((stage, line)),
                _ => None,
            })
            .collect()
    }

    /// Everything the run recorded, as text: for "this never appears" checks.
    pub async fn all_events_text(&self, run: Uuid) -> String {
        let events = self.h.events(run).await;
        serde_json::to_string(&events.iter().map(|e| &e.event).collect::<Vec<_>>()).unwrap()
    }
}

/// `web` with nothing to install, push or run: tests add what they exercise.
pub fn template() -> TemplateSpec {
    web_template()
}
