//! Install packages: each of the template's buckets in order, with its package manager's own
//! non-interactive install command (or the bucket's custom one). Installing what is installed
//! is a no-op for every manager, so a retry simply runs the buckets again.

use super::shell;
use crate::context::RunContext;
use crate::error::ProvisionError;
use crate::exec::script::quote;
use berth_domain::run::Stage;
use berth_domain::template::{PackageBucket, PackageManager};
use std::time::Duration;

const STAGE: Stage = Stage::InstallPackages;

pub(crate) async fn run(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    if ctx.buckets.is_empty() {
        return ctx.log(STAGE, "the template installs no packages").await;
    }
    let timeout = ctx
        .settings()
        .exec
        .as_ref()
        .map(|exec| exec.package_timeout)
        .unwrap_or(Duration::from_secs(1800));
    let buckets = ctx.buckets.clone();
    for (i, bucket) in buckets.iter().enumerate() {
        let listed = if bucket.packages.is_empty() {
            String::new()
        } else {
            format!(": {}", bucket.packages.join(" "))
        };
        ctx.log(
            STAGE,
            format!(
                "bucket {}/{} {} ({}){listed}",
                i + 1,
                buckets.len(),
                bucket.name,
                bucket.manager.as_str()
            ),
        )
        .await?;
        let what = format!("installing bucket {}", bucket.name);
        // The site's proxies and mirrors reach the package manager (apt honours `http_proxy`).
        let env = ctx.settings().script_env.vars().to_vec();
        shell::run(ctx, STAGE, &what, &install_command(bucket), &env, timeout).await?;
    }
    Ok(())
}

/// The command that installs a bucket's packages (each quoted, though validation already
/// refuses shell metacharacters in package names).
pub(crate) fn install_command(bucket: &PackageBucket) -> String {
    let packages: Vec<String> = bucket.packages.iter().map(|p| quote(p)).collect();
    let packages = packages.join(" ");
    if let Some(custom) = bucket.install_command.as_deref().map(str::trim)
        && !custom.is_empty()
    {
        return format!("{custom} {packages}").trim_end().to_string();
    }
    match bucket.manager {
        PackageManager::Apt => format!(
            "export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q --no-install-recommends {packages}"
        ),
        PackageManager::Apk => format!("apk add --no-cache {packages}"),
        PackageManager::Dnf => format!("dnf install -y {packages}"),
        PackageManager::Npm => format!("npm install --global --no-fund --no-audit {packages}"),
        PackageManager::Pip => {
            format!("python3 -m pip install --no-input --disable-pip-version-check {packages}")
        }
        // Validation requires a command for custom buckets; without one there is nothing to run.
        PackageManager::Custom => "true".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(manager: PackageManager, packages: &[&str], command: Option<&str>) -> PackageBucket {
        PackageBucket {
            name: "b".into(),
            description: String::new(),
            manager,
            packages: packages.iter().map(|p| p.to_string()).collect(),
            install_command: command.map(str::to_string),
        }
    }

    #[test]
    fn each_manager_installs_without_asking() {
        let apt = install_command(&bucket(PackageManager::Apt, &["curl", "jq=1.6-2"], None));
        assert_eq!(
            apt,
            "export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q --no-install-recommends 'curl' 'jq=1.6-2'"
        );
        assert_eq!(
            install_command(&bucket(PackageManager::Apk, &["curl"], None)),
            "apk add --no-cache 'curl'"
        );
        assert_eq!(
            install_command(&bucket(PackageManager::Dnf, &["curl-8.2.1"], None)),
            "dnf install -y 'curl-8.2.1'"
        );
        assert!(
            install_command(&bucket(PackageManager::Npm, &["@scope/x@1.2.3"], None))
                .ends_with("'@scope/x@1.2.3'")
        );
        assert!(
            install_command(&bucket(PackageManager::Pip, &["requests==2.32.3"], None))
                .starts_with("python3 -m pip install")
        );
    }

    #[test]
    fn a_custom_command_gets_the_packages_appended() {
        let custom = bucket(
            PackageManager::Custom,
            &["tool"],
            Some("/opt/install.sh --quiet"),
        );
        assert_eq!(install_command(&custom), "/opt/install.sh --quiet 'tool'");
        let bare = bucket(PackageManager::Custom, &[], Some("curl -fsSL x | sh"));
        assert_eq!(install_command(&bare), "curl -fsSL x | sh");
    }
}
