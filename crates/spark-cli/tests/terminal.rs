//! Progress on a terminal and none in a pipe: `spark` run under a pseudo-terminal draws the
//! countdown of a 429 it waits out and the bar of a download on it; the same commands with
//! stdout and stderr piped print no progress text and no ANSI escape.

#![cfg(unix)]

mod support;

use std::io::Read;
use std::time::{Duration, Instant};

use spark_emulator::NewRecording;
use support::{Sandbox, json};

/// The longest a run under the terminal may take.
const DEADLINE: Duration = Duration::from_secs(60);

/// What a run on a terminal gave: the exit code and everything written to the terminal.
struct TerminalRun {
    code: i32,
    screen: String,
}

/// Runs `spark ARGS` with stdin, stdout and stderr on a new pseudo-terminal of 24 × 100, and
/// reads the terminal until the process ends.
fn on_terminal(sandbox: &Sandbox, args: &[&str]) -> TerminalRun {
    let (mut pty, pts) = pty_process::blocking::open().expect("a pseudo-terminal");
    pty.resize(pty_process::Size::new(24, 100))
        .expect("the terminal's size");
    let mut command = pty_process::blocking::Command::new(env!("CARGO_BIN_EXE_spark"));
    for name in Sandbox::removed_variables() {
        command = command.env_remove(name);
    }
    let mut child = command
        .envs(sandbox.variables())
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .args(args)
        .spawn(pts)
        .expect("spark starts on the terminal");
    // Reads until the last descriptor of the terminal's other side is closed (EIO on Linux).
    let reader = std::thread::spawn(move || {
        let mut screen = Vec::new();
        let mut buffer = [0u8; 4096];
        loop {
            match pty.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => screen.extend_from_slice(&buffer[..read]),
            }
        }
        screen
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the process can be waited for") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("spark {args:?} did not end within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let screen = reader.join().expect("the terminal's reader");
    TerminalRun {
        code: status.code().unwrap_or(-1),
        screen: String::from_utf8_lossy(&screen).into_owned(),
    }
}

#[test]
fn a_429_shows_a_countdown_on_a_terminal_and_nothing_in_a_pipe() {
    let sandbox = Sandbox::new("terminal-countdown");
    let token = sandbox.emulator.access_token();

    sandbox.emulator.rate_limit_next(1, 1);
    let shown = on_terminal(&sandbox, &["--token", &token, "people", "me"]);
    assert_eq!(shown.code, 0, "{}", shown.screen);
    assert!(
        shown.screen.contains("rate limited (429): retrying in"),
        "no countdown on the terminal: {:?}",
        shown.screen
    );
    assert!(shown.screen.contains('\u{1b}'), "{:?}", shown.screen);
    assert!(
        shown.screen.contains("ada@example.com"),
        "{:?}",
        shown.screen
    );

    // Piped: the same wait, in silence (`run` also checks there is no ANSI escape).
    sandbox.emulator.rate_limit_next(1, 1);
    let piped = sandbox.run(&["--token", &token, "people", "me"]);
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert!(piped.stderr.is_empty(), "{:?}", piped.stderr);
    assert_eq!(json(&piped.stdout)["emails"][0], "ada@example.com");
}

#[test]
fn a_download_shows_a_bar_on_a_terminal_and_nothing_in_a_pipe() {
    let sandbox = Sandbox::new("terminal-download");
    let token = sandbox.emulator.access_token();
    let video: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let id = sandbox
        .emulator
        .add_recording(NewRecording::new("Bar", video.clone()));
    let out = sandbox.path("out");
    let out = out.to_str().expect("path");

    let shown = on_terminal(
        &sandbox,
        &["--token", &token, "recordings", "download", &id, "-o", out],
    );
    assert_eq!(shown.code, 0, "{}", shown.screen);
    assert!(
        shown.screen.contains("downloading recording"),
        "no bar on the terminal: {:?}",
        shown.screen
    );
    assert!(shown.screen.contains('\u{1b}'), "{:?}", shown.screen);
    assert!(
        shown.screen.contains("saved recording as"),
        "{:?}",
        shown.screen
    );
    assert_eq!(
        std::fs::read(sandbox.path("out/Bar.mp4")).expect("saved"),
        video
    );

    let piped = sandbox.run(&[
        "--token",
        &token,
        "recordings",
        "download",
        &id,
        "-o",
        out,
        "--force",
    ]);
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert!(piped.stderr.is_empty(), "{:?}", piped.stderr);
    assert_eq!(json(&piped.stdout)["size"], 3_000_000);
}
