//! Berth's task runner: `cargo xtask dev | test | build | services | bench | chaos` (see `cargo xtask --help`).

// A task runner talks to its user on stdout.
#![allow(clippy::print_stdout)]

mod apt;
mod args;
mod bench;
mod binaries;
mod bootstrap;
mod chaos;
mod cmd;
mod dev;
mod digest;
mod install;
mod lockfile;
mod net;
mod paths;
mod playwright;
mod postgres;
mod proc;
mod pve_sim;
mod python;
mod redis;
mod route;
mod services;
mod shell;
mod sim_ssh;
mod site;
mod size;
mod split;
mod stage;
mod test_run;
mod url;

use std::process::ExitCode;

use args::Task;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let env_route = std::env::var("BERTH_WASM_ROUTE").ok();
    let args = match args::parse(&argv, env_route.as_deref()) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if args.task == Task::Help {
        print!("{}", args::USAGE);
        return ExitCode::SUCCESS;
    }
    if let Err(error) = proc::install_signal_handler() {
        eprintln!("error: {error:#}");
        return ExitCode::FAILURE;
    }
    let paths = paths::Paths::discover();
    let result = match args.task {
        Task::Dev => dev::task(&paths, &args).map(|()| true),
        Task::Build => binaries::task(&paths, &args).map(|()| true),
        Task::Services => services::task(&paths).map(|()| true),
        Task::Test => test_run::task(&paths, &args),
        Task::E2e => test_run::e2e_only(&paths, &args),
        Task::Bench => bench::task(&paths, &args),
        Task::Chaos => chaos::task(&paths, &args),
        Task::Help => Ok(true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        // Ctrl-C: `dev` and `services` were asked to stop, which is success; a test run was cut.
        Err(_)
            if proc::stop_requested()
                && !matches!(
                    args.task,
                    Task::Test | Task::E2e | Task::Bench | Task::Chaos
                ) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) if proc::stop_requested() => {
            eprintln!("xtask: {error:#}");
            ExitCode::from(130)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
