//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `test`: every test of the workspace (unit, integration, doc tests);
//! - `lint`: rustfmt check, clippy with warnings denied, rustdoc with warnings denied;
//! - `ci`: `lint` then `test`;
//! - `bench`: the benchmarks, in release mode, printing one table (see `crates/spark-bench`);
//! - `interop`: the official Python SDK driven against the emulator (needs PyPI);
//! - `fuzz [--seconds N] [TARGET]`: the cargo-fuzz targets of `fuzz/`, N seconds each (default
//!   60), or only TARGET; needs nightly (or `RUSTC_BOOTSTRAP=1`) and installs cargo-fuzz if
//!   missing. Not part of `ci`.

mod cargo;
mod fuzz;
mod interop;

use std::env;
use std::process::ExitCode;

use cargo::Step;

const TEST: &[Step] = &[
    Step::new(&["test", "--workspace", "--all-targets", "--locked"]),
    Step::new(&["test", "--workspace", "--doc", "--locked"]),
];

const LINT: &[Step] = &[
    Step::new(&["fmt", "--all", "--check"]),
    Step::new(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]),
    Step::new(&["doc", "--workspace", "--no-deps", "--locked"]).env("RUSTDOCFLAGS", "-D warnings"),
];

const BENCH: &[Step] = &[
    Step::new(&["run", "--release", "--locked", "-p", "spark-bench", "--"]),
    Step::new(&["bench", "--locked", "-p", "spark-bench"]),
];

fn main() -> ExitCode {
    let mut args = env::args().skip(1);
    let task = args.next().unwrap_or_default();
    // `cargo xtask bench -- --seconds 5`: what follows the `--` goes to the benchmark.
    let extra: Vec<String> = args.skip_while(|arg| arg == "--").collect();
    let outcome = match task.as_str() {
        "test" => cargo::run_all(TEST),
        "lint" => cargo::run_all(LINT),
        "ci" => cargo::run_all(LINT).and_then(|()| cargo::run_all(TEST)),
        // `cargo xtask bench -- --help` lists the benchmark's options and runs nothing.
        "bench" if extra.iter().any(|arg| arg == "--help" || arg == "-h") => {
            cargo::run_with_args(&BENCH[0], &extra)
        }
        "bench" => cargo::run_with_args(&BENCH[0], &extra).and_then(|()| cargo::run(&BENCH[1])),
        "interop" => interop::run(),
        "fuzz" => fuzz::run(&extra),
        _ => {
            eprintln!(
                "usage: cargo xtask <test | lint | ci | bench [-- options] | interop | fuzz \
                 [--seconds N] [TARGET]>"
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
