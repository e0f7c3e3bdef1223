//! Running cargo commands the way every task does: echoed first, stopping at the first failure
//! with its exit code.

use std::env;
use std::process::{Command, ExitCode};

/// One cargo invocation: its arguments and an optional environment variable.
pub(crate) struct Step {
    args: &'static [&'static str],
    env: Option<(&'static str, &'static str)>,
}

impl Step {
    pub(crate) const fn new(args: &'static [&'static str]) -> Self {
        Self { args, env: None }
    }

    pub(crate) const fn env(mut self, name: &'static str, value: &'static str) -> Self {
        self.env = Some((name, value));
        self
    }
}

/// Runs the steps in order, stopping at the first failure.
pub(crate) fn run_all(steps: &[Step]) -> Result<(), ExitCode> {
    steps.iter().try_for_each(run)
}

/// Runs one step.
pub(crate) fn run(step: &Step) -> Result<(), ExitCode> {
    run_with_args(step, &[])
}

/// Runs one step with extra arguments appended.
pub(crate) fn run_with_args(step: &Step, extra: &[String]) -> Result<(), ExitCode> {
    let mut command = cargo();
    command.args(step.args).args(extra);
    if let Some((name, value)) = step.env {
        command.env(name, value);
    }
    eprintln!("$ cargo {} {}", step.args.join(" "), extra.join(" "));
    status_of(&mut command)
}

/// The cargo that runs this task.
pub(crate) fn cargo() -> Command {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Runs a command to completion; a failure becomes its exit code.
pub(crate) fn status_of(command: &mut Command) -> Result<(), ExitCode> {
    let status = command.status().map_err(|err| {
        eprintln!("could not start {:?}: {err}", command.get_program());
        ExitCode::FAILURE
    })?;
    if status.success() {
        Ok(())
    } else {
        let code = status.code().unwrap_or(1).clamp(1, 255) as u8;
        Err(ExitCode::from(code))
    }
}
