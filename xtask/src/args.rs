//! Hand-parsed command line: `cargo xtask <command> [--release] [--wasm-route auto|rustup|debian]`.

use anyhow::{Result, bail};

use crate::route::RouteChoice;

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    Dev,
    Test,
    E2e,
    Bench,
    Chaos,
    Build,
    Services,
    Help,
}

/// The parsed command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Args {
    pub task: Task,
    pub release: bool,
    pub route: RouteChoice,
}

pub const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  dev       install what is missing, start Postgres + Redis, build, run server and worker
  test      fmt, clippy, tests, wasm, shell, e2e (the CI entry point)
  e2e       only the site build and the Playwright suite ($BERTH_E2E_GREP: only matching tests)
  bench     every benchmark, with its figures printed (not part of test;
            $BERTH_BENCH=ssr,memory: only those whose name has one of the words)
  chaos     the reliability suite in its long form, with what was injected and lost
  build     build the site (wasm bundle + CSS) and the server/worker binaries
  services  start Postgres + Redis and print their URLs until Ctrl-C

options:
  --release               build server and worker in the release profile (dev, build)
  --wasm-route ROUTE      auto | rustup | debian (default: $BERTH_WASM_ROUTE or auto)
";

/// Parses the arguments after `cargo xtask`; `env_route` is `$BERTH_WASM_ROUTE`.
pub fn parse(args: &[String], env_route: Option<&str>) -> Result<Args> {
    let mut task = None;
    let mut release = false;
    let mut route = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-h" | "--help" | "help" => task = Some(Task::Help),
            "--release" => release = true,
            "--wasm-route" => match iter.next() {
                Some(value) => route = Some(RouteChoice::parse(value)?),
                None => bail!("--wasm-route needs a value: auto, rustup or debian"),
            },
            other if other.starts_with("--wasm-route=") => {
                route = Some(RouteChoice::parse(&other["--wasm-route=".len()..])?);
            }
            other if other.starts_with('-') => bail!("unknown option `{other}`\n\n{USAGE}"),
            other if task.is_none() => task = Some(parse_task(other)?),
            other => bail!("unexpected argument `{other}`\n\n{USAGE}"),
        }
    }
    let route = match (route, env_route) {
        (Some(route), _) => route,
        (None, Some(value)) if !value.is_empty() => {
            RouteChoice::parse(value).map_err(|e| anyhow::anyhow!("BERTH_WASM_ROUTE: {e}"))?
        }
        _ => RouteChoice::Auto,
    };
    let task = task.unwrap_or(Task::Help);
    if release
        && matches!(
            task,
            Task::Test | Task::E2e | Task::Bench | Task::Chaos | Task::Services
        )
    {
        bail!("--release applies to `dev` and `build` only");
    }
    Ok(Args {
        task,
        release,
        route,
    })
}

fn parse_task(word: &str) -> Result<Task> {
    Ok(match word {
        "dev" => Task::Dev,
        "test" => Task::Test,
        "e2e" => Task::E2e,
        "bench" => Task::Bench,
        "chaos" => Task::Chaos,
        "build" => Task::Build,
        "services" => Task::Services,
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn parses_commands_and_flags() {
        let parsed = parse(&args(&["dev", "--release"]), None).unwrap();
        assert_eq!(parsed.task, Task::Dev);
        assert!(parsed.release);
        assert_eq!(parsed.route, RouteChoice::Auto);

        let parsed = parse(&args(&["build", "--wasm-route", "debian"]), None).unwrap();
        assert_eq!(
            (parsed.task, parsed.route),
            (Task::Build, RouteChoice::Debian)
        );

        let parsed = parse(&args(&["test", "--wasm-route=rustup"]), None).unwrap();
        assert_eq!(
            (parsed.task, parsed.route),
            (Task::Test, RouteChoice::Rustup)
        );
    }

    #[test]
    fn flag_beats_environment() {
        let parsed = parse(&args(&["build"]), Some("debian")).unwrap();
        assert_eq!(parsed.route, RouteChoice::Debian);
        let parsed = parse(&args(&["build", "--wasm-route", "rustup"]), Some("debian")).unwrap();
        assert_eq!(parsed.route, RouteChoice::Rustup);
        let parsed = parse(&args(&["build"]), Some("")).unwrap();
        assert_eq!(parsed.route, RouteChoice::Auto);
    }

    #[test]
    fn rejects_nonsense() {
        assert!(parse(&args(&["deploy"]), None).is_err());
        assert!(parse(&args(&["dev", "--fast"]), None).is_err());
        assert!(parse(&args(&["dev", "extra"]), None).is_err());
        assert!(parse(&args(&["dev", "--wasm-route"]), None).is_err());
        assert!(parse(&args(&["dev", "--wasm-route", "nightly"]), None).is_err());
        assert!(parse(&args(&["test", "--release"]), None).is_err());
        assert!(parse(&args(&["build"]), Some("nope")).is_err());
    }

    #[test]
    fn no_command_means_help() {
        assert_eq!(parse(&args(&[]), None).unwrap().task, Task::Help);
        assert_eq!(parse(&args(&["--help"]), None).unwrap().task, Task::Help);
    }
}
