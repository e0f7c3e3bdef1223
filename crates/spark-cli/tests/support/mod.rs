//! Runs the `spark` binary as a process against an emulator started in the test, with a
//! config directory of its own and none of the caller's Webex variables.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use spark_emulator::{Emulator, Refusals};

/// An emulator on its own runtime, and a scratch directory.
pub struct Sandbox {
    pub emulator: Emulator,
    pub dir: PathBuf,
    runtime: tokio::runtime::Runtime,
}

/// What one run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    /// A fresh emulator (files scanned at once) and an empty directory named after the test.
    pub fn new(name: &str) -> Sandbox {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let emulator = runtime
            .block_on(
                Emulator::builder()
                    .refusals(Refusals::default().scan_time(Duration::ZERO))
                    .start(),
            )
            .expect("emulator");
        let dir = std::env::temp_dir().join(format!("spark-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Sandbox {
            emulator,
            dir,
            runtime,
        }
    }

    /// The variables of the caller's environment that a run leaves out: Webex's and spark's.
    pub fn removed_variables() -> Vec<String> {
        std::env::vars()
            .map(|(name, _)| name)
            .filter(|name| {
                name.starts_with("WEBEX_")
                    || name.starts_with("CISCO_SPARK_")
                    || name.starts_with("SPARK_")
            })
            .collect()
    }

    /// The variables a run gets: the sandbox's config directory and the emulator's base URL.
    pub fn variables(&self) -> Vec<(String, String)> {
        vec![
            (
                "SPARK_CONFIG_DIR".to_owned(),
                self.dir.join("config").display().to_string(),
            ),
            (
                "WEBEX_BASE_URL".to_owned(),
                self.emulator.base_url().to_owned(),
            ),
        ]
    }

    /// The command, with the sandbox's config directory and base URL and no Webex variables.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_spark"));
        for name in Self::removed_variables() {
            command.env_remove(name);
        }
        command.envs(self.variables()).args(args);
        command
    }

    /// Runs `spark ARGS` to its end, stdout and stderr piped.
    pub fn run(&self, args: &[&str]) -> Run {
        let output: Output = self.command(args).output().expect("spark runs");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("utf-8 stderr"),
        };
        assert!(
            !run.stdout.contains('\u{1b}'),
            "ANSI in stdout: {}",
            run.stdout
        );
        assert!(
            !run.stderr.contains('\u{1b}'),
            "ANSI in stderr: {}",
            run.stderr
        );
        run
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, 0, "spark {args:?} failed: {}", run.stderr);
        run.stdout
    }

    /// The path of a file in the scratch directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Runs a future on the emulator's runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Parses stdout as one JSON document.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Parses stdout as NDJSON.
pub fn ndjson(text: &str) -> Vec<serde_json::Value> {
    text.lines().map(json).collect()
}

/// The file's mode bits (Unix).
pub fn mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).expect("file").permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o600
    }
}
