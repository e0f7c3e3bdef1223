//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `test`: every test of the workspace (unit, integration, doc tests);
//! - `test`: also spark-api's and spark-model's unit tests with the default features (the rest
//!   runs with all features);
//! - `lint`: the generated code matches the generator (`codegen --check`), rustfmt check,
//!   clippy with warnings denied, rustdoc with warnings denied, `cargo deny` (licences, bans,
//!   sources; see `deny.toml`), then `release-check`;
//! - `release-check`: the publishable crates package and build from their packages, name no file
//!   outside them, spark-api's default features compile no generated area, and
//!   `--no-default-features` builds (see `release`);
//! - `ci`: `lint` then `test`;
//! - `codegen [--check] [--list]`: the code generated from `spec/*.json` (see `codegen`);
//! - `bench`: the benchmarks, in release mode, printing one table (see `crates/spark-bench`);
//! - `interop`: the official Python SDK driven against the emulator (needs PyPI);
//! - `fuzz [--seconds N] [TARGET]`: the cargo-fuzz targets of `fuzz/`, N seconds each (default
//!   60), or only TARGET; needs nightly (or `RUSTC_BOOTSTRAP=1`) and installs cargo-fuzz if
//!   missing. Not part of `ci`.

mod cargo;
mod codegen;
mod fuzz;
mod interop;
mod release;

use std::env;
use std::process::ExitCode;

use cargo::Step;

const TEST: &[Step] = &[
    Step::new(&[
        "test",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--locked",
    ]),
    Step::new(&["test", "--workspace", "--doc", "--all-features", "--locked"]),
    // The default features (messaging alone, no generated area): the unit tests only, so the
    // second feature set costs two crates' builds, not a second run of the whole suite.
    Step::new(&[
        "test",
        "--locked",
        "-p",
        "webex-spark-api",
        "-p",
        "webex-spark-model",
        "--lib",
    ]),
];

const LINT: &[Step] = &[
    Step::new(&["fmt", "--all", "--check"]),
    Step::new(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]),
    Step::new(&[
        "doc",
        "--workspace",
        "--no-deps",
        "--all-features",
        "--locked",
    ])
    .env("RUSTDOCFLAGS", "-D warnings"),
];

const BENCH: &[Step] = &[
    Step::new(&["run", "--release", "--locked", "-p", "spark-bench", "--"]),
    Step::new(&["bench", "--locked", "-p", "spark-bench"]),
];

fn lint() -> Result<(), ExitCode> {
    codegen::run(&["--check".to_owned()])
        .and_then(|()| cargo::run_all(LINT))
        .and_then(|()| release::deny())
        .and_then(|()| release::run())
}

fn main() -> ExitCode {
    let mut args = env::args().skip(1);
    let task = args.next().unwrap_or_default();
    // `cargo xtask bench -- --seconds 5`: what follows the `--` goes to the benchmark.
    let extra: Vec<String> = args.skip_while(|arg| arg == "--").collect();
    let outcome = match task.as_str() {
        "test" => cargo::run_all(TEST),
        "lint" => lint(),
        "ci" => lint().and_then(|()| cargo::run_all(TEST)),
        // `cargo xtask bench -- --help` lists the benchmark's options and runs nothing.
        "bench" if extra.iter().any(|arg| arg == "--help" || arg == "-h") => {
            cargo::run_with_args(&BENCH[0], &extra)
        }
        "bench" => cargo::run_with_args(&BENCH[0], &extra).and_then(|()| cargo::run(&BENCH[1])),
        "release-check" => release::run(),
        "codegen" => codegen::run(&extra),
        "interop" => interop::run(),
        "fuzz" => fuzz::run(&extra),
        _ => {
            eprintln!(
                "usage: cargo xtask <test | lint | ci | release-check | codegen [--check] [--list] \
                 | bench [-- options] | interop | fuzz [--seconds N] [TARGET]>"
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
