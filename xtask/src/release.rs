//! `cargo xtask release-check`: what a release needs, checked before one is made.
//!
//! 1. Every file that a published crate's sources, tests, examples or benches name by path
//!    (`include_str!`, `include_bytes!`, `env!("CARGO_MANIFEST_DIR")` joined to a literal path)
//!    is inside that crate's package (`cargo package --list`): a test reading `../../spec/*.json`
//!    fails here, not after a release.
//! 2. `cargo package` for every publishable member of the workspace (found with `cargo metadata`:
//!    all but `publish = false`), together, in dependency order, each built from its packaged
//!    files against the others' packages (cargo's local overlay: nothing is uploaded).
//! 3. A build of spark-api with its default features compiles no generated area (meetings,
//!    devices, admin), in spark-api or spark-model: read from the compiler's dependency file;
//!    with `full` it compiles all three (so the check can fail).
//! 4. spark-http and spark-api build with `--no-default-features` (HTTP/1.1, no root store).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use serde_json::Value;

use crate::cargo::{cargo, status_of};

/// The generated areas behind a feature each.
const AREAS: &[&str] = &["meetings", "devices", "admin"];

pub(crate) fn run() -> Result<(), ExitCode> {
    let started = Instant::now();
    let packages = publishable()?;
    eprintln!("publishable: {}", packages.join(", "));

    for package in &packages {
        check_named_files(package)?;
    }

    let mut args = vec!["package", "--locked", "--allow-dirty"];
    for package in &packages {
        args.extend(["-p", package.as_str()]);
    }
    let target = verification_target()?;
    eprintln!(
        "$ CARGO_TARGET_DIR={} cargo {}",
        target.display(),
        args.join(" ")
    );
    status_of(cargo().args(&args).env("CARGO_TARGET_DIR", &target))?;

    check_areas()?;

    for package in ["webex-spark-http", "webex-spark-api"] {
        let args = ["check", "--locked", "-p", package, "--no-default-features"];
        eprintln!("$ cargo {}", args.join(" "));
        status_of(cargo().args(args))?;
    }
    eprintln!(
        "release-check passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("release-check: {message}");
    ExitCode::FAILURE
}

/// The target directory `cargo package` verifies the packages in, our crates' stale copies
/// removed first. The packages are verified from a temporary registry, and cargo takes a
/// registry crate to be immutable: a package with an unchanged version is neither extracted
/// again (its sources stay under `$CARGO_HOME/registry/src/`) nor rebuilt (its fingerprint
/// stays in the target directory), so without this a package would be checked against the
/// previous run's copy of the crates it depends on. Only our crates (`webex-spark-*`) are
/// removed; their dependencies stay built.
fn verification_target() -> Result<PathBuf, ExitCode> {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release-check");
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    let mut stale: Vec<PathBuf> = vec![target.join("debug/.fingerprint")];
    if let Some(sources) = cargo_home.map(|home| home.join("registry/src")) {
        stale.extend(
            std::fs::read_dir(sources)
                .into_iter()
                .flatten()
                .flatten()
                .map(|registry| registry.path()),
        );
    }
    for dir in stale {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with("webex-spark-")
            {
                std::fs::remove_dir_all(entry.path()).map_err(|err| {
                    fail(format!(
                        "could not remove {}: {err}",
                        entry.path().display()
                    ))
                })?;
            }
        }
    }
    Ok(target)
}

/// Runs cargo with `args` and returns its standard output.
fn cargo_output(args: &[&str]) -> Result<String, ExitCode> {
    eprintln!("$ cargo {}", args.join(" "));
    let output = cargo()
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| fail(format!("could not run cargo: {err}")))?;
    if !output.status.success() {
        return Err(fail(format!("cargo {} failed", args.join(" "))));
    }
    String::from_utf8(output.stdout).map_err(fail)
}

/// The workspace members that may be published (`publish` not `false`), by package name.
fn publishable() -> Result<Vec<String>, ExitCode> {
    let text = cargo_output(&["metadata", "--no-deps", "--format-version", "1", "--locked"])?;
    let metadata: Value = serde_json::from_str(&text).map_err(fail)?;
    let members: BTreeSet<&str> = metadata["workspace_members"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    Ok(metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|package| {
            package["id"]
                .as_str()
                .is_some_and(|id| members.contains(id))
        })
        // `publish = false` reads `"publish": []`; no `publish` key reads `null`.
        .filter(|package| {
            package["publish"]
                .as_array()
                .is_none_or(|to| !to.is_empty())
        })
        .filter_map(|package| package["name"].as_str().map(str::to_owned))
        .collect())
}

/// Fails when a packaged Rust file names a file by path that the package does not hold.
fn check_named_files(package: &str) -> Result<(), ExitCode> {
    let listed = cargo_output(&[
        "package",
        "--list",
        "--locked",
        "--allow-dirty",
        "-p",
        package,
    ])?;
    let files: BTreeSet<PathBuf> = listed.lines().map(PathBuf::from).collect();
    let root = package_root(package)?;
    let mut missing = Vec::new();
    for file in files
        .iter()
        .filter(|file| file.extension().is_some_and(|e| e == "rs"))
    {
        let Ok(text) = std::fs::read_to_string(root.join(file)) else {
            continue; // generated by cargo (none are Rust today)
        };
        let dir = file.parent().unwrap_or(Path::new(""));
        for (named, relative_to_file) in named_paths(&text) {
            let base = if relative_to_file { dir } else { Path::new("") };
            let target = normalize(&base.join(named.trim_start_matches('/')));
            if !target.as_ref().is_some_and(|target| files.contains(target)) {
                missing.push(format!(
                    "{}: `{named}` is not in the package",
                    file.display()
                ));
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        for line in &missing {
            eprintln!("{package}: {line}");
        }
        Err(fail(format!(
            "{package} names files its package lacks: add them to the package (inside the \
             crate's folder) or leave the file that names them out (`exclude`)"
        )))
    }
}

/// The folder of a workspace member.
fn package_root(package: &str) -> Result<PathBuf, ExitCode> {
    let text = cargo_output(&["metadata", "--no-deps", "--format-version", "1", "--locked"])?;
    let metadata: Value = serde_json::from_str(&text).map_err(fail)?;
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"].as_str() == Some(package))
        .and_then(|p| p["manifest_path"].as_str())
        .and_then(|manifest| Path::new(manifest).parent().map(Path::to_path_buf))
        .ok_or_else(|| fail(format!("no package {package}")))
}

/// The paths a Rust file names: `(path, relative to the file)`; false means relative to the
/// crate's folder (`CARGO_MANIFEST_DIR`). Comments are skipped.
fn named_paths(text: &str) -> Vec<(String, bool)> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    for marker in ["include_str!(", "include_bytes!("] {
        for (at, _) in code.match_indices(marker) {
            let rest = code[at + marker.len()..].trim_start();
            if let Some(literal) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) {
                found.push((literal.to_owned(), true));
            }
        }
    }
    let manifest = "env!(\"CARGO_MANIFEST_DIR\")";
    for (at, _) in code.match_indices(manifest) {
        // The literal joined to it: `concat!(env!(..), "/x")`, `Path::new(env!(..)).join("x")`.
        let rest = &code[at + manifest.len()..];
        let window = &rest[..rest.len().min(80)];
        if let Some(start) = window.find('"')
            && !window[..start].contains(';')
            && let Some(literal) = rest[start + 1..].split('"').next()
        {
            found.push((literal.to_owned(), false));
        }
    }
    found
}

/// `a/b/../c` as `a/c`; `None` when it leaves the crate's folder.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// Checks spark-api's default build against its `full` build, by the source files the compiler
/// read for spark-api and spark-model.
fn check_areas() -> Result<(), ExitCode> {
    let default = compiled_sources(&["check", "--locked", "-p", "webex-spark-api", "--lib"])?;
    let generated_in_default: Vec<_> = AREAS
        .iter()
        .flat_map(|area| {
            default
                .iter()
                .filter(move |source| source.ends_with(&format!("generated/{area}.rs")))
        })
        .collect();
    if !generated_in_default.is_empty() {
        for source in &generated_in_default {
            eprintln!("compiled by default: {source}");
        }
        return Err(fail(
            "spark-api's default features compile a generated area (meetings, devices, admin)",
        ));
    }
    let full = compiled_sources(&[
        "check",
        "--locked",
        "-p",
        "webex-spark-api",
        "--lib",
        "--features",
        "full",
    ])?;
    for area in AREAS {
        let count = full
            .iter()
            .filter(|source| source.ends_with(&format!("generated/{area}.rs")))
            .count();
        // One for spark-model, one for spark-api.
        if count != 2 {
            return Err(fail(format!(
                "spark-api with `full` compiled generated/{area}.rs {count} times, not 2: the \
                 check no longer sees what it checks"
            )));
        }
    }
    eprintln!("spark-api by default compiles no generated area; with `full`, all three");
    Ok(())
}

/// The source files the compiler read for spark-api and spark-model in this build, from their
/// dependency files (`deps/<crate>-<hash>.d`, beside each artifact).
fn compiled_sources(args: &[&str]) -> Result<Vec<String>, ExitCode> {
    let mut all = args.to_vec();
    all.push("--message-format=json");
    eprintln!("$ cargo {}", all.join(" "));
    let output = cargo()
        .args(&all)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| fail(format!("could not run cargo: {err}")))?;
    if !output.status.success() {
        return Err(fail("the build failed"));
    }
    let mut sources = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let name = message["target"]["name"].as_str().unwrap_or_default();
        if message["reason"] != "compiler-artifact" || !matches!(name, "spark_api" | "spark_model")
        {
            continue;
        }
        for artifact in message["filenames"].as_array().into_iter().flatten() {
            let Some(artifact) = artifact.as_str().map(Path::new) else {
                continue;
            };
            let Some(stem) = artifact.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let dep_info =
                artifact.with_file_name(format!("{}.d", stem.strip_prefix("lib").unwrap_or(stem)));
            let text = std::fs::read_to_string(&dep_info)
                .map_err(|err| fail(format!("{}: {err}", dep_info.display())))?;
            // The first line: `<artifact>: <source> <source> ...`.
            if let Some((_, list)) = text.lines().next().and_then(|l| l.split_once(": ")) {
                sources.extend(list.split_whitespace().map(str::to_owned));
            }
        }
    }
    if sources.is_empty() {
        return Err(fail(
            "no dependency file of spark-api or spark-model was found",
        ));
    }
    Ok(sources)
}

/// `cargo deny check licenses bans sources` over every feature's dependencies, with `deny.toml`
/// (not advisories: their database needs a network).
pub(crate) fn deny() -> Result<(), ExitCode> {
    let present = Command::new("cargo-deny")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !present {
        return Err(fail(
            "cargo-deny is not installed: `cargo install cargo-deny --locked` (.ci/run does)",
        ));
    }
    let args = [
        "deny",
        "--locked",
        "--all-features",
        "check",
        "licenses",
        "bans",
        "sources",
    ];
    eprintln!("$ cargo {}", args.join(" "));
    status_of(cargo().args(args))
}
