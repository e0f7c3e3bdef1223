//! Project tasks, run as `cargo xtask <task>`: `test`, `lint` and `ci` (both).
//!
//! Each task is a short sequence of cargo commands; the first that fails stops the task with its
//! exit code, so CI and a developer see the same failure.

use std::env;
use std::process::{Command, ExitCode};

/// One cargo invocation of a task: its arguments and extra environment.
struct Step {
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const TEST: &[Step] = &[
    Step {
        args: &["test", "--workspace", "--all-targets", "--locked"],
        env: &[],
    },
    Step {
        args: &["test", "--workspace", "--doc", "--locked"],
        env: &[],
    },
];

const LINT: &[Step] = &[
    Step {
        args: &["fmt", "--all", "--check"],
        env: &[],
    },
    Step {
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
    },
    Step {
        args: &["doc", "--workspace", "--no-deps", "--locked"],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
];

fn main() -> ExitCode {
    let task = env::args().nth(1).unwrap_or_default();
    let steps: Vec<&Step> = match task.as_str() {
        "test" => TEST.iter().collect(),
        "lint" => LINT.iter().collect(),
        "ci" => LINT.iter().chain(TEST).collect(),
        _ => {
            eprintln!("usage: cargo xtask <test | lint | ci>");
            return ExitCode::from(2);
        }
    };
    for step in steps {
        if let Err(code) = run(step) {
            return code;
        }
    }
    ExitCode::SUCCESS
}

/// Runs one step with the cargo that runs this task, echoing the command first.
fn run(step: &Step) -> Result<(), ExitCode> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("$ cargo {}", step.args.join(" "));
    let status = Command::new(cargo)
        .args(step.args)
        .envs(step.env.iter().copied())
        .status()
        .map_err(|err| {
            eprintln!("could not start cargo: {err}");
            ExitCode::FAILURE
        })?;
    if status.success() {
        Ok(())
    } else {
        let code = status.code().unwrap_or(1).clamp(1, 255) as u8;
        Err(ExitCode::from(code))
    }
}
