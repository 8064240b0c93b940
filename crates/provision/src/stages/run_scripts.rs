//! Run scripts: the template's scripts in order, each copied into the container and run by its
//! interpreter as its user, with the site's variables (`Settings::script_env`) and then the
//! template inputs as `BERTH_INPUT_*` variables. Scripts are
//! not idempotent, so each one that finishes is recorded and a resumed run goes on after it.

use super::shell;
use crate::context::RunContext;
use crate::error::ProvisionError;
use crate::exec::script::quote;
use berth_domain::run::Stage;
use berth_domain::template::TemplateScript;
use std::time::Duration;

const STAGE: Stage = Stage::RunScripts;
/// Where scripts are kept in the container; each file is readable by its user alone.
const SCRIPT_DIR: &str = "/var/lib/berth/scripts";

pub(crate) async fn run(ctx: &mut RunContext) -> Result<(), ProvisionError> {
    let scripts = ctx.template.scripts.clone();
    if scripts.is_empty() {
        return ctx.log(STAGE, "the template has no scripts").await;
    }
    let mut env = ctx.settings().script_env.vars().to_vec();
    env.extend(ctx.spec.input_env(&ctx.template));
    let done = ctx.checkpoint.scripts_done.min(scripts.len());
    if done > 0 {
        ctx.log(
            STAGE,
            format!("{done} of {} scripts already ran", scripts.len()),
        )
        .await?;
    }
    for (i, script) in scripts.iter().enumerate().skip(done) {
        let path = script_path(i, script);
        ctx.log(
            STAGE,
            format!(
                "script {}/{} {} ({}, as {})",
                i + 1,
                scripts.len(),
                script.name,
                script.interpreter.as_str(),
                script.run_as
            ),
        )
        .await?;
        let owner = script.run_as.clone();
        shell::push(ctx, &path, script.content.as_bytes(), 0o700, &owner).await?;
        let timeout = Duration::from_secs(u64::from(script.timeout_secs.max(1)));
        let what = format!("script {}", script.name);
        shell::run(ctx, STAGE, &what, &command(script, &path), &env, timeout).await?;
        ctx.checkpoint.scripts_done = i + 1;
        ctx.save(STAGE).await?;
    }
    Ok(())
}

fn script_path(index: usize, script: &TemplateScript) -> String {
    format!("{SCRIPT_DIR}/{:02}-{}", index + 1, script.name)
}

/// The interpreter on the script's file, as its user; `runuser` keeps the environment.
pub(crate) fn command(script: &TemplateScript, path: &str) -> String {
    let run = format!("{} {}", script.interpreter.as_str(), quote(path));
    if script.run_as == "root" {
        format!("cd /root && {run}")
    } else {
        format!("cd / && runuser -u {} -- {run}", quote(&script.run_as))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use berth_domain::template::Interpreter;

    fn script(run_as: &str) -> TemplateScript {
        TemplateScript {
            name: "setup".into(),
            interpreter: Interpreter::Bash,
            run_as: run_as.into(),
            timeout_secs: 60,
            content: "echo hi".into(),
        }
    }

    #[test]
    fn scripts_run_by_their_interpreter_as_their_user() {
        let path = script_path(0, &script("root"));
        assert_eq!(path, "/var/lib/berth/scripts/01-setup");
        assert_eq!(
            command(&script("root"), &path),
            "cd /root && bash '/var/lib/berth/scripts/01-setup'"
        );
        let as_app = command(&script("app"), &path);
        assert!(
            as_app.ends_with("runuser -u 'app' -- bash '/var/lib/berth/scripts/01-setup'"),
            "{as_app}"
        );
    }
}
