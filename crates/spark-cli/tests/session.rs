//! A scripted session of the `spark` binary against the emulator: login through the OAuth code
//! flow, a room, a member, a file sent and downloaded back, messages listed as a table and as
//! JSON (golden outputs, ids masked), the room deleted; then the exit codes of a 404, a bad
//! token and a usage error.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

use serde_json::{Value, json};
use support::{Sandbox, json, mode, ndjson};

/// Logs in as `email` through `spark login`, playing the browser: reads the authorization URL
/// from stderr and calls the loopback redirect with a code (the emulator's code is the email).
fn login(sandbox: &Sandbox, email: &str) {
    let client_id = sandbox.emulator.client_id();
    let client_secret = sandbox.emulator.client_secret();
    let mut child = sandbox
        .command(&[
            "login",
            "--client-id",
            &client_id,
            "--client-secret",
            &client_secret,
            "--port",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spark login starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut url = String::new();
    while !url.contains("redirect_uri=") {
        url.clear();
        assert!(
            stderr.read_line(&mut url).expect("stderr line") > 0,
            "no URL printed"
        );
    }
    let query = url.trim().split_once('?').expect("a query").1.to_owned();
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .expect("parameter")
            .to_owned()
    };
    let redirect = param("redirect_uri")
        .replace("%3A", ":")
        .replace("%2F", "/");
    let state = param("state");
    let address = redirect
        .trim_start_matches("http://")
        .trim_end_matches("/callback")
        .to_owned();
    let mut browser = TcpStream::connect(&address).expect("the redirect listener");
    write!(
        browser,
        "GET /callback?code={}&state={state} HTTP/1.1\r\nHost: {address}\r\n\r\n",
        email.replace('@', "%40")
    )
    .expect("request");
    let mut page = String::new();
    browser.read_to_string(&mut page).expect("page");
    assert!(page.contains("Signed in"), "{page}");
    let output = child.wait_with_output().expect("spark login ends");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(output.status.success(), "login failed: {stdout}");
    assert!(stdout.contains("profile `default`"), "{stdout}");
}

/// Masks what changes from run to run: ids, times, URLs with ids.
fn mask(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, field) in object.iter_mut() {
                let volatile = key == "id"
                    || key.ends_with("Id")
                    || key == "created"
                    || key == "updated"
                    || key == "files";
                if volatile && !field.is_null() {
                    *field = json!("<masked>");
                } else {
                    mask(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

#[test]
fn a_scripted_session() {
    let sandbox = Sandbox::new("session");
    login(&sandbox, "ada@example.com");
    let profiles = sandbox.dir.join("config/profiles.json");
    assert_eq!(mode(&profiles), 0o600, "the profile file is owner-only");

    // Nothing prints a token but `spark token --show`.
    let token = sandbox.ok(&["token", "--show"]);
    let token = token.trim();
    assert!(!token.is_empty());
    let about = sandbox.ok(&["token"]);
    assert!(!about.contains(token), "{about}");
    assert!(about.contains("profile `default`"), "{about}");

    let me = json(&sandbox.ok(&["people", "me"]));
    assert_eq!(me["emails"][0], "ada@example.com");

    let room = json(&sandbox.ok(&["rooms", "create", "--title", "CLI session"]));
    let room_id = room["id"].as_str().expect("room id").to_owned();
    let member = json(&sandbox.ok(&[
        "memberships",
        "create",
        "--room",
        &room_id,
        "--person-email",
        "grace@example.com",
    ]));
    assert_eq!(member["personEmail"], "grace@example.com");

    let report = sandbox.path("report.txt");
    let bytes: Vec<u8> = (0..20_000u32).flat_map(|i| i.to_le_bytes()).collect();
    std::fs::write(&report, &bytes).expect("report written");
    let sent = json(&sandbox.ok(&[
        "messages",
        "send",
        "--room",
        &room_id,
        "--text",
        "the report",
        "--file",
        report.to_str().expect("path"),
    ]));
    let file_url = sent["files"][0].as_str().expect("a file URL").to_owned();
    sandbox.ok(&[
        "messages",
        "send",
        "--room",
        &room_id,
        "--markdown",
        "**hello**",
    ]);

    // Piped: NDJSON, newest first.
    let mut listed = ndjson(&sandbox.ok(&["messages", "list", "--room", &room_id]));
    listed.iter_mut().for_each(mask);
    assert_eq!(
        listed,
        vec![
            json!({"id": "<masked>", "roomId": "<masked>", "roomType": "group", "text": "hello",
                   "markdown": "**hello**",
                   "personId": "<masked>", "personEmail": "ada@example.com", "created": "<masked>"}),
            json!({"id": "<masked>", "roomId": "<masked>", "roomType": "group", "text": "the report",
                   "files": "<masked>", "personId": "<masked>", "personEmail": "ada@example.com",
                   "created": "<masked>"}),
        ]
    );
    let table = sandbox.ok(&[
        "messages",
        "list",
        "--room",
        &room_id,
        "--table",
        "--columns",
        "personEmail,text",
    ]);
    assert_eq!(
        table,
        "\
┌─────────────────┬────────────┐
│ personEmail     ┆ text       │
╞═════════════════╪════════════╡
│ ada@example.com ┆ hello      │
│ ada@example.com ┆ the report │
└─────────────────┴────────────┘
"
    );
    let limited = ndjson(&sandbox.ok(&["messages", "list", "--room", &room_id, "--limit", "1"]));
    assert_eq!(limited.len(), 1);

    // A directory that is not there yet is made.
    let downloads = sandbox.path("downloads/today");
    let saved = json(&sandbox.ok(&[
        "contents",
        "download",
        &file_url,
        "-o",
        downloads.to_str().expect("path"),
    ]));
    let saved_path = saved["path"].as_str().expect("saved path");
    assert_eq!(std::fs::read(saved_path).expect("saved file"), bytes);
    assert_eq!(saved["fileName"], "report.txt");

    let deleted = sandbox.ok(&["rooms", "delete", &room_id]);
    assert_eq!(json(&deleted)["ok"], true);

    // A 404: exit 1, the Webex message and the tracking id on stderr.
    let missing = sandbox.run(&["rooms", "get", &room_id]);
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    assert!(missing.stderr.contains("tracking id"), "{}", missing.stderr);
    assert!(missing.stdout.is_empty());

    // A bad token: exit 3.
    let refused = sandbox.run(&["--token", "not-a-token", "people", "me"]);
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(
        !refused.stderr.contains("not-a-token"),
        "{}",
        refused.stderr
    );

    // Usage errors: exit 2.
    assert_eq!(sandbox.run(&["rooms", "create"]).code, 2);
    assert_eq!(sandbox.run(&["no-such-command"]).code, 2);
    assert_eq!(sandbox.run(&["meetings", "get"]).code, 2);

    sandbox.ok(&["logout"]);
    let logged_out = sandbox.run(&["people", "me"]);
    assert_eq!(logged_out.code, 3, "{}", logged_out.stderr);
}

#[test]
fn api_calls_any_path_and_paginates_as_ndjson() {
    let sandbox = Sandbox::new("api");
    let token = sandbox.emulator.access_token();
    for title in ["one", "two", "three"] {
        sandbox.ok(&[
            "--token",
            &token,
            "api",
            "POST",
            "rooms",
            "-d",
            &format!("{{\"title\": \"{title}\"}}"),
        ]);
    }
    let rooms = ndjson(&sandbox.ok(&[
        "--token",
        &token,
        "api",
        "GET",
        "rooms",
        "-q",
        "max=1",
        "--paginate",
    ]));
    assert_eq!(rooms.len(), 3);
    let me = json(&sandbox.ok(&["--token", &token, "api", "GET", "/people/me"]));
    assert_eq!(me["emails"][0], "ada@example.com");
    assert_eq!(
        sandbox
            .run(&["--token", &token, "api", "GET", "rooms", "-q", "nonsense"])
            .code,
        2
    );
    assert_eq!(
        sandbox
            .run(&["--token", &token, "api", "POST", "rooms", "-d", "{"])
            .code,
        2
    );
}

#[test]
fn no_connection_is_exit_code_5_and_a_429_not_absorbed_exit_code_4() {
    let sandbox = Sandbox::new("network");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = closed.local_addr().expect("its address").port();
    drop(closed);
    let secret = "secret-token-4711";
    let base = format!("http://127.0.0.1:{port}/v1");
    let started = std::time::Instant::now();
    let refused = sandbox.run(&[
        "--token",
        secret,
        "--base-url",
        &base,
        "--retries",
        "0",
        "people",
        "me",
    ]);
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    assert!(
        refused.stderr.starts_with("error: ")
            && refused.stderr.contains(&format!("127.0.0.1:{port}")),
        "the message names what could not be reached: {}",
        refused.stderr
    );
    assert!(!refused.stderr.contains(secret), "{}", refused.stderr);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "--retries 0 fails at once"
    );

    // A 429 with no retry left: exit code 4.
    let token = sandbox.emulator.access_token();
    sandbox.emulator.rate_limit_next(1, 1);
    let limited = sandbox.run(&["--token", &token, "--retries", "0", "people", "me"]);
    assert_eq!(limited.code, 4, "{}", limited.stderr);
    assert!(!limited.stderr.contains(&token), "{}", limited.stderr);
}

#[test]
fn help_shows_the_session_and_the_exit_codes() {
    let sandbox = Sandbox::new("help");
    let help = sandbox.ok(&["--help"]);
    assert!(help.contains("cargo install --path crates/spark-cli"));
    assert!(help.contains("Exit codes"));
    assert!(help.contains("meeting-transcripts"));
}
