//! The site's variables (`Settings::script_env`, the worker's env file) reach the package
//! manager and every script inside the container, with passwords in proxy URLs masked.

use crate::ssh_support::{SshHarness, template};
use crate::support::{TestAttempt, test_settings};
use berth_domain::run::{LogStream, RunState, Stage};
use berth_domain::template::{
    Interpreter, PackageBucket, PackageManager, TemplateScript, TemplateSpec,
};
use berth_provision::{ALL_STAGES, ExecMode, ScriptEnv};

const PROXY_PASSWORD: &str = "pr0xy-pass";

#[tokio::test]
async fn site_variables_reach_package_installs_and_scripts_with_proxy_passwords_masked() {
    // A custom bucket, so the install command itself shows what it was given.
    let bucket = PackageBucket {
        name: "probe".into(),
        description: String::new(),
        manager: PackageManager::Custom,
        packages: vec![],
        install_command: Some("echo \"installing from $NODE_DIST_URL\"".into()),
    };
    let spec = TemplateSpec {
        buckets: vec!["probe".into()],
        scripts: vec![TemplateScript {
            name: "mirror".into(),
            interpreter: Interpreter::Bash,
            run_as: "root".into(),
            timeout_secs: 60,
            content: "set -eu\necho \"node from $NODE_DIST_URL\"\necho \"proxy $https_proxy\"\n\
                      printf '%s\\n' \"$NODE_DIST_URL\" > /root/mirror\n"
                .into(),
        }],
        ..template()
    };
    let t = SshHarness::start(spec, &[bucket]).await;
    let run = t.h.create_run(&t.h.spec("mirror1")).await;
    let mut settings = test_settings(Some(t.exec(ExecMode::Direct)));
    settings.script_env = ScriptEnv::parse(&format!(
        "NODE_DIST_URL=http://mirror.lab/node\n\
         https_proxy=http://berth:{PROXY_PASSWORD}@proxy.lab:3128\n"
    ))
    .unwrap();
    t.h.provisioner_from(&ALL_STAGES, settings)
        .run(&TestAttempt::new(run, 1).last())
        .await;

    let record = t.h.run_record(run).await;
    assert_eq!(
        record.state(),
        RunState::Succeeded,
        "{:?}",
        record.summary.error
    );
    let stdout = t.log(run, LogStream::Stdout).await;
    for (stage, line) in [
        (
            Stage::InstallPackages,
            "installing from http://mirror.lab/node",
        ),
        (Stage::RunScripts, "node from http://mirror.lab/node"),
        (
            Stage::RunScripts,
            "proxy http://berth:••••••@proxy.lab:3128",
        ),
    ] {
        assert!(
            stdout.contains(&(Some(stage), line.to_string())),
            "{line} missing from {stdout:?}"
        );
    }
    assert!(!t.all_events_text(run).await.contains(PROXY_PASSWORD));
    // The variable was in the script's environment, not only in what it printed.
    let vmid = berth_provision::Checkpoint::from_json(&t.h.run_record(run).await.checkpoint)
        .unwrap()
        .vmid
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(t.rootfs(vmid).join("root/mirror")).unwrap(),
        "http://mirror.lab/node\n"
    );
}
