//! The SSH stages for real: packages installed by the container's manager, files pushed with
//! mode and owner, scripts run with the template inputs, the health check, the root password —
//! asserted by their effects inside the sandboxed container, both straight in and via `pct`.

use crate::ssh_support::{SshHarness, template};
use berth_db::runs;
use berth_domain::container::ContainerSpec;
use berth_domain::run::{LogStream, RunEvent, RunState, Stage};
use berth_domain::template::{
    HealthCheck, InputKind, Interpreter, PackageBucket, PackageManager, TemplateFile,
    TemplateInput, TemplateScript, TemplateSpec,
};
use berth_provision::{Checkpoint, ExecMode};
use berth_pve::types::GuestStatus;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

const ROOT_HASH: &str = "$6$berthsalt0$sUofMv6VgJmscFB93lrE.pYeV847UU1lBCwpbTousL0YiImk2X7T3ynD9us/yJ6hpPPrZ6ECnLF/U0qry.YJL1";
const SECRET: &str = "s3cr3t-t0ken-value";

fn bucket(name: &str, packages: &[&str]) -> PackageBucket {
    PackageBucket {
        name: name.into(),
        description: String::new(),
        manager: PackageManager::Apt,
        packages: packages.iter().map(|p| p.to_string()).collect(),
        install_command: None,
    }
}

fn script(name: &str, content: &str) -> TemplateScript {
    TemplateScript {
        name: name.into(),
        interpreter: Interpreter::Bash,
        run_as: "root".into(),
        timeout_secs: 60,
        content: content.into(),
    }
}

fn input(name: &str, kind: InputKind) -> TemplateInput {
    TemplateInput {
        name: name.into(),
        label: name.into(),
        kind,
        required: false,
        default: None,
        choices: Vec::new(),
        pattern: None,
    }
}

/// A site template: two packages, a config file from the inputs, a script that uses them, and
/// a health check on what the script made.
fn site_template() -> TemplateSpec {
    TemplateSpec {
        buckets: vec!["tools".into()],
        files: vec![TemplateFile {
            path: "/etc/site/site.conf".into(),
            mode: "0640".into(),
            owner: "root:root".into(),
            content: "server_name {{site}};\ntoken {{token}};\n".into(),
        }],
        scripts: vec![script(
            "setup",
            "set -eu\necho \"setting up $BERTH_INPUT_SITE\"\necho \"token is $BERTH_INPUT_TOKEN\"\nmkdir -p /srv/www && echo ok > /srv/www/ready\n",
        )],
        inputs: vec![
            input("site", InputKind::String),
            input("token", InputKind::Secret),
        ],
        health_check: Some(HealthCheck::Command {
            command: "test -s /srv/www/ready".into(),
        }),
        ..template()
    }
}

fn site_spec(t: &SshHarness, hostname: &str) -> ContainerSpec {
    let mut spec = t.h.spec(hostname);
    spec.inputs.set("site", "shop.example");
    spec.inputs.set("token", SECRET);
    spec
}

async fn vmid_of(t: &SshHarness, run: uuid::Uuid) -> u32 {
    Checkpoint::from_json(&t.h.run_record(run).await.checkpoint)
        .unwrap()
        .vmid
        .unwrap()
}

#[tokio::test]
async fn a_run_configures_its_container_straight_over_ssh() {
    let t = SshHarness::start(site_template(), &[bucket("tools", &["curl", "jq"])]).await;
    let mut spec = site_spec(&t, "shop1");
    // Stored as the server stores it: the secret input apart from the spec.
    spec.inputs.remove("token");
    spec.storage
        .mount_points
        .push(berth_domain::container::MountPoint {
            storage: "local-lvm".into(),
            size_gib: 2,
            path: "/srv/data".into(),
        });
    let run =
        t.h.create_run_with_secrets(
            &spec,
            serde_json::json!({ "root_password_hash": ROOT_HASH, "inputs": { "token": SECRET } }),
        )
        .await;
    t.attempt(run, 1, ExecMode::Direct).await;

    let record = t.h.run_record(run).await;
    assert_eq!(
        record.state(),
        RunState::Succeeded,
        "{:?}",
        record.summary.error
    );
    // Succeeded: the secret input's value is not kept any longer than the scripts needed it.
    assert_eq!(
        record.secrets,
        serde_json::json!({ "root_password_hash": ROOT_HASH })
    );
    let finished: Vec<Stage> =
        t.h.events(run)
            .await
            .iter()
            .filter_map(|e| match e.event {
                RunEvent::StageFinished { stage, .. } => Some(stage),
                _ => None,
            })
            .collect();
    assert_eq!(finished, Stage::ALL.to_vec());

    let root = t.rootfs(vmid_of(&t, run).await);
    // The extra mount point was created with the container and is there inside it.
    assert!(root.join("srv/data").is_dir());
    let installed = std::fs::read_to_string(root.join("var/lib/berth-sim/packages/apt")).unwrap();
    assert_eq!(installed.lines().collect::<Vec<_>>(), ["curl", "jq"]);
    let conf = root.join("etc/site/site.conf");
    assert_eq!(
        std::fs::read_to_string(&conf).unwrap(),
        format!("server_name shop.example;\ntoken {SECRET};\n")
    );
    let meta = std::fs::metadata(&conf).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert_eq!((meta.uid(), meta.gid()), (0, 0));
    assert_eq!(
        std::fs::read_to_string(root.join("srv/www/ready")).unwrap(),
        "ok\n"
    );
    let shadow = std::fs::read_to_string(root.join("etc/shadow")).unwrap();
    assert!(shadow.contains(&format!("root:{ROOT_HASH}:")), "{shadow}");

    // The script's output is in the log, with the secret input masked there and everywhere.
    let stdout = t.log(run, LogStream::Stdout).await;
    assert!(stdout.contains(&(Some(Stage::RunScripts), "setting up shop.example".into())));
    assert!(stdout.contains(&(Some(Stage::RunScripts), "token is ••••••".into())));
    assert!(
        stdout
            .iter()
            .any(|(stage, line)| *stage == Some(Stage::InstallPackages)
                && line.starts_with("Setting up curl"))
    );
    let text = t.all_events_text(run).await;
    assert!(!text.contains(SECRET) && !text.contains(ROOT_HASH));
    assert_eq!(
        t.h.pve()
            .lxc_status(crate::support::NODE, vmid_of(&t, run).await)
            .await
            .unwrap()
            .status,
        GuestStatus::Running
    );
}

#[tokio::test]
async fn through_the_node_with_pct_and_stopped_at_the_end_when_asked() {
    let t = SshHarness::start(site_template(), &[bucket("tools", &["curl"])]).await;
    let mut spec = site_spec(&t, "shop2");
    spec.start_after_create = false;
    let run = t.h.create_run(&spec).await;
    t.attempt(run, 1, ExecMode::Node).await;

    let record = t.h.run_record(run).await;
    assert_eq!(
        record.state(),
        RunState::Succeeded,
        "{:?}",
        record.summary.error
    );
    let vmid = vmid_of(&t, run).await;
    let root = t.rootfs(vmid);
    let conf = root.join("etc/site/site.conf");
    assert_eq!(
        std::fs::metadata(&conf).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(root.join("srv/www/ready").exists());
    let info = t.log(run, LogStream::Info).await;
    assert!(
        info.iter()
            .any(|(_, line)| line.contains(&format!("CT {vmid} via root@127.0.0.1"))),
        "{info:?}"
    );
    assert_eq!(
        t.h.pve()
            .lxc_status(crate::support::NODE, vmid)
            .await
            .unwrap()
            .status,
        GuestStatus::Stopped
    );
}

#[tokio::test]
async fn a_failing_script_fails_its_stage_with_exit_code_and_stderr() {
    let broken = TemplateSpec {
        scripts: vec![script(
            "broken",
            "echo starting\necho 'no such thing' >&2\nexit 3\n",
        )],
        ..template()
    };
    let t = SshHarness::start(broken, &[]).await;
    let run = t.h.create_run(&t.h.spec("broken1")).await;
    t.attempt(run, 1, ExecMode::Direct).await;

    let record = t.h.run_record(run).await;
    assert_eq!(record.state(), RunState::Failed);
    assert_eq!(record.summary.stage, Some(Stage::RunScripts));
    assert_eq!(
        record.summary.error.as_deref(),
        Some("script broken failed with exit code 3: no such thing")
    );
    let stderr = t.log(run, LogStream::Stderr).await;
    assert_eq!(
        stderr,
        [(Some(Stage::RunScripts), "no such thing".to_string())]
    );
    // The container is kept for debugging.
    assert_eq!(t.h.tagged(run).await.len(), 1);
}

#[tokio::test]
async fn a_retried_run_resumes_after_the_scripts_that_finished() {
    let two = TemplateSpec {
        scripts: vec![
            script("count", "echo ran >> /root/count\n"),
            script(
                "gate",
                "test -f /root/go || { echo 'waiting for /root/go' >&2; exit 4; }\n",
            ),
        ],
        ..template()
    };
    let t = SshHarness::start(two, &[]).await;
    let run = t.h.create_run(&t.h.spec("gate1")).await;
    t.attempt(run, 1, ExecMode::Direct).await;
    assert_eq!(t.h.run_record(run).await.state(), RunState::Failed);

    let root = t.rootfs(vmid_of(&t, run).await);
    std::fs::write(root.join("root/go"), "").unwrap();
    runs::retry(&mut t.h.conn().await, run, None).await.unwrap();
    t.attempt(run, 2, ExecMode::Direct).await;

    let record = t.h.run_record(run).await;
    assert_eq!(
        record.state(),
        RunState::Succeeded,
        "{:?}",
        record.summary.error
    );
    assert_eq!(
        std::fs::read_to_string(root.join("root/count")).unwrap(),
        "ran\n"
    );
    assert_eq!(t.h.tagged(run).await.len(), 1);
}

#[tokio::test]
async fn a_package_the_manager_cannot_find_fails_the_install() {
    let t = SshHarness::start(
        TemplateSpec {
            buckets: vec!["broken".into()],
            ..template()
        },
        &[bucket("broken", &["missing-thing"])],
    )
    .await;
    let run = t.h.create_run(&t.h.spec("pkg1")).await;
    t.attempt(run, 1, ExecMode::Direct).await;

    let record = t.h.run_record(run).await;
    assert_eq!(record.summary.stage, Some(Stage::InstallPackages));
    let error = record.summary.error.unwrap();
    assert!(
        error.starts_with("installing bucket broken failed with exit code 100")
            && error.contains("Unable to locate package missing-thing"),
        "{error}"
    );
}

#[tokio::test]
async fn a_health_check_that_keeps_failing_fails_verify() {
    let unhealthy = TemplateSpec {
        health_check: Some(HealthCheck::Tcp { port: 1 }),
        ..template()
    };
    let t = SshHarness::start(unhealthy, &[]).await;
    let run = t.h.create_run(&t.h.spec("sick1")).await;
    t.attempt(run, 1, ExecMode::Direct).await;

    let record = t.h.run_record(run).await;
    assert_eq!(record.state(), RunState::Failed);
    assert_eq!(record.summary.stage, Some(Stage::Verify));
    let error = record.summary.error.unwrap();
    assert!(
        error.starts_with("health check failed: port 1 on 127.") && error.contains("kept failing"),
        "{error}"
    );
}

#[tokio::test]
async fn a_key_the_container_does_not_know_is_refused_at_connect() {
    let t = SshHarness::start(template(), &[]).await;
    let run = t.h.create_run(&t.h.spec("locked1")).await;
    let mut exec = t.exec(ExecMode::Direct);
    // The container got Berth's public key at create; offer another one.
    exec.key_file = t.sshd.client_key.clone();
    t.h.provisioner_with(&berth_provision::ALL_STAGES, Some(exec))
        .run(&crate::support::TestAttempt::new(run, 1).last())
        .await;
    let record = t.h.run_record(run).await;
    assert_eq!(record.summary.stage, Some(Stage::Connect));
    let error = record.summary.error.unwrap();
    assert!(error.contains("Permission denied"), "{error}");
}
