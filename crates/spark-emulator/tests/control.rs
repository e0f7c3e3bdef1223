//! The binary and its control API, driven as a program in another language would: the
//! `spark-emulator` executable is started, its `--json` banner read, and everything else is plain
//! HTTP (no Rust API of the emulator).

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use http::Method;
use serde_json::{Value, json};
use support::raw;

const BINARY: &str = env!("CARGO_BIN_EXE_spark-emulator");

/// A request-log entry: method, path, query, identity, status.
type Logged = (String, String, Option<String>, Option<String>, u64);

/// A running `spark-emulator`, killed when dropped.
struct Running {
    child: Child,
    banner: Value,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(BINARY)
            .args(["--port", "0", "--json"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let banner = serde_json::from_str(&line).expect("a JSON banner");
        Running { child, banner }
    }

    fn get(&self, field: &str) -> String {
        self.banner[field].as_str().unwrap().to_owned()
    }

    fn token(&self, index: usize) -> String {
        self.banner["identities"][index]["accessToken"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// One control call with the admin secret.
    async fn control(&self, method: Method, path: &str, body: Value) -> support::Raw {
        let url = format!("{}{path}", self.get("controlUrl"));
        let secret = self.get("adminSecret");
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        raw(method, &url, Some(&secret), Some("application/json"), body).await
    }

    /// Stops it as Ctrl-C or a service manager would (SIGTERM), and waits.
    fn terminate(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        assert!(self.child.wait().unwrap().success());
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn help_exits_0_and_lists_every_option() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for option in [
        "--port",
        "--host",
        "--token-lifetime",
        "--json",
        "--state",
        "--seed",
        "--admin-secret",
        "--scan-seconds",
        "--no-refusals",
        "--help",
    ] {
        assert!(help.contains(option), "{option} in {help}");
    }
    let bad = Command::new(BINARY).arg("--nope").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_text_banner_prints_each_token_once() {
    let mut child = Command::new(BINARY)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(Result::unwrap)
        .take_while(|line| !line.starts_with("Ctrl-C"))
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    let tokens: Vec<&str> = lines
        .iter()
        .flat_map(|line| line.split([' ', '=']))
        .filter(|word| word.starts_with("EMU") && word.contains("_EMULATOR_"))
        .collect();
    assert_eq!(
        tokens.len(),
        spark_emulator::SEEDED_EMAILS.len() + 1,
        "one token per seeded person and the administrator: {lines:#?}"
    );
    let mut unique = tokens.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), tokens.len(), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("WEBEX_BASE_URL=http://"))
    );
}

#[tokio::test]
async fn the_control_api_switches_faults_seeds_resets_and_logs() {
    let emulator = Running::start(&["--admin-secret", "letmein"]);
    let base = emulator.get("baseUrl");
    let ada = emulator.token(0);

    // Only the admin secret opens it, and a Webex token is not it.
    let refused = raw(
        Method::GET,
        &format!("{}/faults", emulator.get("controlUrl")),
        Some(&ada),
        None,
        "",
    )
    .await;
    assert_eq!(refused.status, 401);
    assert!(refused.json()["trackingId"].is_string());
    let secret_on_v1 = raw(
        Method::GET,
        &format!("{base}/people/me"),
        Some("letmein"),
        None,
        "",
    )
    .await;
    assert_eq!(secret_on_v1.status, 401);

    // Seed a bot in a room with messages.
    let seeded = emulator
        .control(
            Method::POST,
            "/seed",
            json!({
                "people": [{"email": "helper@webex.bot", "displayName": "Helper"}],
                "rooms": [{"key": "ops", "title": "Ops", "members": ["helper@webex.bot"]}],
                "messages": [{"room": "ops", "text": "hello", "repeat": 3}]
            }),
        )
        .await;
    assert_eq!(seeded.status, 200, "{:?}", seeded.body);
    let seeded = seeded.json();
    let room_id = seeded["rooms"]["ops"].as_str().unwrap().to_owned();
    let bot = seeded["people"][0]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let bad_seed = emulator
        .control(
            Method::POST,
            "/seed",
            json!({"rooms": [{"title": "x", "members": ["nobody@x"]}]}),
        )
        .await;
    assert_eq!(bad_seed.status, 400);
    assert!(
        bad_seed.json()["message"]
            .as_str()
            .unwrap()
            .contains("nobody@x")
    );

    // A 429 with any Retry-After, then the next call passes.
    let faults = emulator
        .control(
            Method::PUT,
            "/faults",
            json!({"rateLimitNext": 1, "retryAfter": "rand(30),add(30)"}),
        )
        .await;
    assert_eq!(faults.json()["rateLimitNext"], 1);
    let limited = raw(
        Method::GET,
        &format!("{base}/people/me"),
        Some(&ada),
        None,
        "",
    )
    .await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("rand(30),add(30)"));
    assert_eq!(
        raw(
            Method::GET,
            &format!("{base}/people/me"),
            Some(&ada),
            None,
            ""
        )
        .await
        .status,
        200
    );

    // The bot refusal is on by default, and can be switched off.
    let messages = format!("{base}/messages?roomId={room_id}&max=2");
    assert_eq!(
        raw(Method::GET, &messages, Some(&bot), None, "")
            .await
            .status,
        403
    );
    let refusals = emulator
        .control(Method::PUT, "/refusals", json!({"botNeedsMention": false}))
        .await;
    assert_eq!(refusals.json()["fileScan"], true, "a merge: the rest stays");
    assert_eq!(
        raw(Method::GET, &messages, Some(&bot), None, "")
            .await
            .status,
        200
    );
    assert_eq!(
        emulator
            .control(Method::PUT, "/refusals", json!({"nope": 1}))
            .await
            .status,
        400
    );

    // The request log tells what each client sent, with whose token.
    let log = emulator
        .control(Method::GET, "/requests", Value::Null)
        .await
        .json();
    let items = log["items"].as_array().unwrap();
    let summary: Vec<Logged> = items
        .iter()
        .map(|item| {
            (
                item["method"].as_str().unwrap().to_owned(),
                item["path"].as_str().unwrap().to_owned(),
                item["query"].as_str().map(str::to_owned),
                item["identity"].as_str().map(str::to_owned),
                item["status"].as_u64().unwrap(),
            )
        })
        .collect();
    let query = Some(format!("roomId={room_id}&max=2"));
    let ada_email = Some("ada@example.com".to_owned());
    let bot_email = Some("helper@webex.bot".to_owned());
    assert_eq!(
        summary,
        vec![
            (
                "GET".to_owned(),
                "/v1/people/me".to_owned(),
                None,
                None,
                401
            ),
            (
                "GET".to_owned(),
                "/v1/people/me".to_owned(),
                None,
                ada_email.clone(),
                429
            ),
            (
                "GET".to_owned(),
                "/v1/people/me".to_owned(),
                None,
                ada_email,
                200
            ),
            (
                "GET".to_owned(),
                "/v1/messages".to_owned(),
                query.clone(),
                bot_email.clone(),
                403
            ),
            (
                "GET".to_owned(),
                "/v1/messages".to_owned(),
                query,
                bot_email,
                200
            ),
        ]
    );

    // Expired tokens answer 401; a new one works.
    emulator
        .control(Method::POST, "/tokens/expire", Value::Null)
        .await;
    assert_eq!(
        raw(
            Method::GET,
            &format!("{base}/people/me"),
            Some(&ada),
            None,
            ""
        )
        .await
        .status,
        401
    );
    let fresh = emulator
        .control(Method::POST, "/tokens", json!({"email": "ada@example.com"}))
        .await
        .json();
    let fresh = fresh["accessToken"].as_str().unwrap().to_owned();
    assert_eq!(
        raw(
            Method::GET,
            &format!("{base}/people/me"),
            Some(&fresh),
            None,
            ""
        )
        .await
        .status,
        200
    );

    // A reset forgets the rooms and the log, and puts the refusals back.
    assert_eq!(
        emulator
            .control(Method::POST, "/reset", Value::Null)
            .await
            .status,
        204
    );
    let rooms = raw(
        Method::GET,
        &format!("{base}/rooms"),
        Some(&fresh),
        None,
        "",
    )
    .await
    .json();
    assert_eq!(rooms["items"], json!([]));
    let refusals = emulator
        .control(Method::GET, "/refusals", Value::Null)
        .await
        .json();
    assert_eq!(refusals["botNeedsMention"], true);
    let log = emulator
        .control(Method::GET, "/requests", Value::Null)
        .await
        .json();
    assert_eq!(
        log["items"].as_array().unwrap().len(),
        1,
        "only the rooms call since"
    );
}

#[tokio::test]
async fn state_and_seed_files_are_kept_between_runs() {
    let directory =
        std::env::temp_dir().join(format!("spark-emulator-state-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let state = directory.join("state.json");
    let seed = directory.join("seed.json");
    std::fs::write(
        &seed,
        json!({"rooms": [{"title": "Kept"}], "messages": [{"room": "Kept", "text": "still here"}]})
            .to_string(),
    )
    .unwrap();
    let _ = std::fs::remove_file(&state);
    let as_str = |path: &Path| path.to_str().unwrap().to_owned();

    let first = Running::start(&["--state", &as_str(&state), "--seed", &as_str(&seed)]);
    let token = first.token(0);
    first.terminate();
    assert!(state.exists(), "saved at exit");

    let second = Running::start(&["--state", &as_str(&state)]);
    assert_eq!(second.token(0), token, "the caller's token is kept");
    let rooms = raw(
        Method::GET,
        &format!("{}/rooms", second.get("baseUrl")),
        Some(&token),
        None,
        "",
    )
    .await
    .json();
    assert_eq!(rooms["items"][0]["title"], "Kept");
    drop(second);
    let _ = std::fs::remove_dir_all(&directory);
}
