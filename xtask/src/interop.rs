//! `cargo xtask interop`: the official Python SDK (`webexpythonsdk`, from PyPI) against the
//! emulator. Reads `me`, creates a room, adds a member, posts text and a file, lists messages
//! across pages, honours a 429 switched on through the emulator's control API, and deletes the
//! room (see `xtask/interop/check.py`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use crate::cargo::{cargo, status_of};

/// What the emulator binary announces on its standard output.
struct Banner {
    base_url: String,
    access_token: String,
    member_email: String,
    /// The control API's secret, to switch a 429 on.
    admin_secret: Option<String>,
}

pub(crate) fn run() -> Result<(), ExitCode> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from);
    let venv = target.join("interop").join("venv");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        eprintln!("$ python3 -m venv {}", venv.display());
        status_of(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    eprintln!("$ pip install webexpythonsdk");
    status_of(Command::new(&python).args(["-m", "pip", "install", "--quiet", "webexpythonsdk"]))?;
    status_of(cargo().args([
        "build",
        "--locked",
        "-p",
        "webex-spark-emulator",
        "--bin",
        "spark-emulator",
    ]))?;

    let emulator_path = target.join("debug").join("spark-emulator");
    let mut emulator = Command::new(&emulator_path)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|err| {
            eprintln!("could not start {}: {err}", emulator_path.display());
            ExitCode::FAILURE
        })?;
    let banner = emulator.stdout.take().and_then(read_banner);
    let outcome = match banner {
        Some(banner) => {
            eprintln!("emulator at {}", banner.base_url);
            status_of(
                Command::new(&python)
                    .arg(workspace.join("xtask").join("interop").join("check.py"))
                    .args([&banner.base_url, &banner.access_token, &banner.member_email])
                    .args(banner.admin_secret.as_ref()),
            )
        }
        None => {
            eprintln!("the emulator did not announce its base URL and token");
            Err(ExitCode::FAILURE)
        }
    };
    let _ = emulator.kill();
    let _ = emulator.wait();
    outcome
}

/// Reads the banner: `WEBEX_BASE_URL=..`, `WEBEX_ACCESS_TOKEN=..`, then the seeded people, one
/// per line (the first owns the token; the second becomes the new room's member).
fn read_banner(stdout: std::process::ChildStdout) -> Option<Banner> {
    let (mut base_url, mut access_token, mut admin_secret) = (None, None, None);
    let mut emails = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.ok()?;
        println!("{line}");
        if let Some(value) = line.strip_prefix("WEBEX_BASE_URL=") {
            base_url = Some(value.trim().to_owned());
        } else if let Some(value) = line.strip_prefix("WEBEX_ACCESS_TOKEN=") {
            access_token = Some(value.trim().to_owned());
        } else if let Some(value) = line.strip_prefix("EMULATOR_ADMIN_SECRET=") {
            admin_secret = Some(value.trim().to_owned());
        } else if line.starts_with("  ") && line.contains('@') {
            emails.extend(line.split_whitespace().next().map(str::to_owned));
        } else if line.starts_with("Ctrl-C") {
            break;
        }
    }
    Some(Banner {
        base_url: base_url?,
        access_token: access_token?,
        member_email: emails.into_iter().nth(1)?,
        admin_secret,
    })
}
