//! `cargo xtask fuzz [--seconds N] [TARGET]`: runs the cargo-fuzz targets of `fuzz/`, each for
//! N seconds (60 by default), or only TARGET. Not part of `ci`: it needs cargo-fuzz and a nightly
//! toolchain (libFuzzer and the address sanitizer take nightly's flags).
//!
//! cargo-fuzz is installed from crates.io when missing. The nightly toolchain is used when rustup
//! has one; otherwise the stable one runs with `RUSTC_BOOTSTRAP=1`, which lets it take the same
//! flags. Each target keeps the corpus it grows in `fuzz/corpus/TARGET` (not committed) and reads
//! the committed seeds of `fuzz/seeds/TARGET`; a crash is written to `fuzz/artifacts/TARGET`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use crate::cargo::status_of;

/// The fuzz targets, one per parser (see `fuzz/fuzz_targets/`).
pub(crate) const TARGETS: &[&str] = &[
    "link",
    "retry_after",
    "content_disposition",
    "model",
    "webhook",
    "multipart",
];

/// libFuzzer's options for every run: inputs of at most 4 KiB, and no single allocation over
/// 64 MiB (nor 1 GiB in all), so a parser that allocates out of proportion to its input fails.
const LIBFUZZER_OPTIONS: &[&str] = &[
    "-max_len=4096",
    "-malloc_limit_mb=64",
    "-rss_limit_mb=1024",
    "-print_final_stats=1",
];

const USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [TARGET]";

pub(crate) fn run(args: &[String]) -> Result<(), ExitCode> {
    let (seconds, only) = parse_args(args).map_err(|message| {
        eprintln!("{message}\n{USAGE}\ntargets: {}", TARGETS.join(", "));
        ExitCode::from(2)
    })?;
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace");
    ensure_cargo_fuzz()?;
    let toolchain = Toolchain::find();
    let targets: Vec<&str> = match &only {
        Some(target) => vec![target.as_str()],
        None => TARGETS.to_vec(),
    };
    let mut runs = Vec::new();
    for target in targets {
        let run = run_target(workspace, &toolchain, target, seconds)?;
        let failed = !run.passed;
        runs.push(run);
        if failed {
            break;
        }
    }
    eprintln!(
        "\n{:<20} {:>8} {:>12} {:>8}  result",
        "target", "seconds", "execs", "exec/s"
    );
    for run in &runs {
        eprintln!(
            "{:<20} {:>8} {:>12} {:>8}  {}",
            run.target,
            seconds,
            run.execs.as_deref().unwrap_or("?"),
            run.execs_per_second.as_deref().unwrap_or("?"),
            if run.passed {
                "no finding"
            } else {
                "FAILED: see fuzz/artifacts"
            }
        );
    }
    if runs.iter().all(|run| run.passed) {
        Ok(())
    } else {
        Err(ExitCode::FAILURE)
    }
}

/// What one target's run reported.
struct Run {
    target: String,
    passed: bool,
    execs: Option<String>,
    execs_per_second: Option<String>,
}

fn parse_args(args: &[String]) -> Result<(u64, Option<String>), String> {
    let mut seconds = 60;
    let mut target = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                let value = args.next().ok_or("--seconds needs a number")?;
                seconds = value
                    .parse()
                    .map_err(|_| format!("--seconds needs a number, not {value:?}"))?;
            }
            name if TARGETS.contains(&name) && target.is_none() => target = Some(name.to_owned()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((seconds, target))
}

/// Installs cargo-fuzz from crates.io when `cargo fuzz` is not there.
fn ensure_cargo_fuzz() -> Result<(), ExitCode> {
    let installed = rustup_cargo(None)
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if installed {
        return Ok(());
    }
    eprintln!("$ cargo install cargo-fuzz --locked");
    status_of(rustup_cargo(None).args(["install", "cargo-fuzz", "--locked"])).inspect_err(|_| {
        eprintln!("could not install cargo-fuzz; install it with `cargo install cargo-fuzz`")
    })
}

/// The toolchain the targets build with.
enum Toolchain {
    /// rustup's nightly.
    Nightly,
    /// The default toolchain, allowed nightly flags by `RUSTC_BOOTSTRAP=1`.
    Bootstrapped,
}

impl Toolchain {
    fn find() -> Self {
        let nightly = Command::new("rustup")
            .args(["run", "nightly", "rustc", "--version"])
            .output()
            .is_ok_and(|output| output.status.success());
        if nightly {
            Toolchain::Nightly
        } else {
            eprintln!(
                "no nightly toolchain (`rustup toolchain install nightly` adds one): building \
                 with the default toolchain and RUSTC_BOOTSTRAP=1"
            );
            Toolchain::Bootstrapped
        }
    }
}

/// `cargo` through rustup's proxy, on `toolchain` (the default one for `None`), without the
/// variables the cargo running this task set for it.
fn rustup_cargo(toolchain: Option<&Toolchain>) -> Command {
    let mut command = match toolchain {
        Some(Toolchain::Nightly) => {
            let mut command = Command::new("rustup");
            command.args(["run", "nightly", "cargo"]);
            command
        }
        Some(Toolchain::Bootstrapped) => {
            let mut command = Command::new("cargo");
            command.env("RUSTC_BOOTSTRAP", "1");
            command
        }
        None => Command::new("cargo"),
    };
    for variable in [
        "CARGO",
        "RUSTC",
        "RUSTDOC",
        "RUSTUP_TOOLCHAIN",
        "CARGO_MANIFEST_DIR",
    ] {
        command.env_remove(variable);
    }
    command
}

/// Runs one target; `Err` when it could not be started at all.
fn run_target(
    workspace: &Path,
    toolchain: &Toolchain,
    target: &str,
    seconds: u64,
) -> Result<Run, ExitCode> {
    let fuzz = workspace.join("fuzz");
    let corpus: PathBuf = fuzz.join("corpus").join(target);
    let seeds: PathBuf = fuzz.join("seeds").join(target);
    std::fs::create_dir_all(&corpus).map_err(|err| {
        eprintln!("could not create {}: {err}", corpus.display());
        ExitCode::FAILURE
    })?;
    let mut command = rustup_cargo(Some(toolchain));
    command
        .current_dir(workspace)
        .args(["fuzz", "run", target])
        .arg(&corpus)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .args(LIBFUZZER_OPTIONS);
    eprintln!(
        "$ cargo fuzz run {target} {} {} -- -max_total_time={seconds} {}",
        corpus.display(),
        seeds.display(),
        LIBFUZZER_OPTIONS.join(" ")
    );
    // libFuzzer reports on standard error: pass it on, keeping the final statistics.
    let mut child = command.stderr(Stdio::piped()).spawn().map_err(|err| {
        eprintln!("could not start cargo fuzz: {err}");
        ExitCode::FAILURE
    })?;
    let mut run = Run {
        target: target.to_owned(),
        passed: false,
        execs: None,
        execs_per_second: None,
    };
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            let stat = |name: &str| line.strip_prefix(name).map(|value| value.trim().to_owned());
            if let Some(value) = stat("stat::number_of_executed_units:") {
                run.execs = Some(value);
            } else if let Some(value) = stat("stat::average_exec_per_sec:") {
                run.execs_per_second = Some(value);
            }
        }
    }
    let status = child.wait().map_err(|err| {
        eprintln!("cargo fuzz did not finish: {err}");
        ExitCode::FAILURE
    })?;
    run.passed = status.success();
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn seconds_and_target_are_optional() {
        assert_eq!(parse_args(&args("")), Ok((60, None)));
        assert_eq!(parse_args(&args("--seconds 5")), Ok((5, None)));
        assert_eq!(
            parse_args(&args("model --seconds 9")),
            Ok((9, Some("model".to_owned())))
        );
    }

    #[test]
    fn unknown_targets_and_bad_numbers_are_refused() {
        assert!(parse_args(&args("nope")).is_err());
        assert!(parse_args(&args("--seconds")).is_err());
        assert!(parse_args(&args("--seconds soon")).is_err());
        assert!(parse_args(&args("link model")).is_err());
    }

    #[test]
    fn the_targets_are_the_binaries_of_the_fuzz_package() {
        let manifest = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/Cargo.toml"),
        )
        .expect("fuzz/Cargo.toml is readable");
        let mut binaries: Vec<&str> = manifest
            .split("[[bin]]")
            .skip(1)
            .filter_map(|section| {
                let line = section.lines().find(|line| line.starts_with("name = "))?;
                Some(line.trim_start_matches("name = ").trim_matches('"'))
            })
            .collect();
        binaries.sort_unstable();
        let mut targets = TARGETS.to_vec();
        targets.sort_unstable();
        assert_eq!(binaries, targets);
    }

    #[test]
    fn every_target_has_a_source_and_seeds() {
        let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
        for target in TARGETS {
            let source = fuzz.join("fuzz_targets").join(format!("{target}.rs"));
            assert!(source.is_file(), "{} is missing", source.display());
            let seeds = fuzz.join("seeds").join(target);
            let count = std::fs::read_dir(&seeds).map_or(0, |dir| dir.count());
            assert!(count > 0, "{} holds no seed", seeds.display());
        }
    }
}
