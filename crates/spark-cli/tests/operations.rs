//! Every generated operation is reachable from the command line: each operation of the specs
//! that the emulator answers (its generated `operations.json`) has a `spark <service> <method>`
//! command whose `--help` works and shows each boolean as a flag with its negation
//! (`--flag[=<BOOL>]`, `--no-flag`), and generated commands run against the emulator.

mod support;

use std::collections::BTreeMap;

use serde_json::Value;
use support::{Sandbox, json, ndjson};

/// A command of the table: its two words and its boolean flags with their negations.
struct Entry {
    service: String,
    command: String,
    /// spark-api has it written by hand (a handwritten command may serve it).
    handwritten: bool,
    booleans: Vec<(String, String)>,
}

/// `(METHOD, /path)` → the command, from the command line's table.
fn cli_table() -> BTreeMap<(String, String), Entry> {
    let text = include_str!("../src/generated/operations.json");
    let table: Value = serde_json::from_str(text).expect("the CLI table is JSON");
    table["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|op| {
            let text = |key: &str| op[key].as_str().expect("a string").to_owned();
            let booleans = op["params"]
                .as_array()
                .expect("params")
                .iter()
                .filter(|param| param["kind"] == "bool")
                .map(|param| {
                    let flag = param["flag"].as_str().expect("flag").to_owned();
                    let negation = param["negation"]
                        .as_str()
                        .unwrap_or_else(|| panic!("--{flag} has no negation"))
                        .to_owned();
                    (flag, negation)
                })
                .collect();
            (
                (text("method"), format!("/{}", text("path"))),
                Entry {
                    service: text("service"),
                    command: text("command"),
                    handwritten: op["handwritten"].as_bool().unwrap_or(false),
                    booleans,
                },
            )
        })
        .collect()
}

#[test]
fn every_generated_operation_has_a_command() {
    let emulator_ops: Value = serde_json::from_str(include_str!(
        "../../spark-emulator/src/generated/operations.json"
    ))
    .expect("the emulator's table is JSON");
    let table = cli_table();
    let sandbox = Sandbox::new("operations");
    let mut checked = 0;
    let mut booleans = 0;
    for op in emulator_ops["operations"].as_array().expect("operations") {
        let method = op["method"].as_str().expect("method").to_owned();
        let path = op["path"].as_str().expect("path").to_owned();
        let entry = table
            .get(&(method.clone(), path.clone()))
            .unwrap_or_else(|| panic!("no command for {method} {path}"));
        let (service, command) = (&entry.service, &entry.command);
        let help = sandbox.run(&[service, command, "--help"]);
        assert_eq!(
            help.code, 0,
            "spark {service} {command} --help: {}",
            help.stderr
        );
        let words: Vec<&str> = help.stdout.split_whitespace().collect();
        assert!(
            words.join(" ").contains(&format!("{method} {path}")),
            "spark {service} {command} --help does not name {method} {path}"
        );
        for (flag, negation) in &entry.booleans {
            assert!(
                words.contains(&format!("--{flag}[=<BOOL>]").as_str())
                    && words.contains(&format!("--{negation}").as_str()),
                "spark {service} {command} --help does not show --{flag} as a flag with --{negation}"
            );
            booleans += 1;
        }
        checked += 1;
    }
    let generated = table.values().filter(|entry| !entry.handwritten).count();
    assert_eq!(checked, generated, "one command per generated operation");
    assert!(checked > 300, "only {checked} operations");
    assert!(booleans > 100, "only {booleans} boolean flags");
}

#[test]
fn generated_commands_call_the_api() {
    let sandbox = Sandbox::new("generated-calls");
    let token = sandbox.emulator.access_token();
    let meeting = json(&sandbox.ok(&[
        "--token",
        &token,
        "meetings",
        "create",
        "--title",
        "Planning",
        "--start",
        "2030-01-01T10:00:00Z",
        "--end",
        "2030-01-01T11:00:00Z",
    ]));
    let id = meeting["id"].as_str().expect("meeting id");
    // Lists are NDJSON (the default window of `meetings list` is the emulator's to choose).
    ndjson(&sandbox.ok(&["--token", &token, "meetings", "list"]));
    let got = json(&sandbox.ok(&["--token", &token, "meetings", "get", id]));
    assert_eq!(got["title"], "Planning");
    // Booleans: `--flag` sends true, `--no-flag` and `--flag=false` false, nothing sends none.
    sandbox.emulator.clear_requests();
    for args in [
        &["--current"][..],
        &["--no-current"],
        &["--current=false"],
        &[],
    ] {
        let mut command: Vec<&str> = vec!["--token", &token, "meetings", "get", id];
        command.extend_from_slice(args);
        sandbox.ok(&command);
    }
    let sent: Vec<String> = sandbox
        .emulator
        .requests()
        .iter()
        .map(|request| request.query.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        sent,
        ["current=true", "current=false", "current=false", ""],
        "the queries sent"
    );
    let both = sandbox.run(&[
        "--token",
        &token,
        "meetings",
        "get",
        id,
        "--current",
        "--no-current",
    ]);
    assert_eq!(both.code, 2, "{}", both.stderr);
    // A required flag left out: a usage error before anything is sent.
    let missing = sandbox.run(&["--token", &token, "meeting-invitees", "create"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    // An operation answered from the spec's example.
    let transcripts = sandbox.run(&["--token", &token, "meeting-transcripts", "list"]);
    assert_eq!(transcripts.code, 0, "{}", transcripts.stderr);
    ndjson(&transcripts.stdout);
}

#[test]
fn operations_written_by_hand_without_a_handwritten_command_have_a_table_command() {
    let sandbox = Sandbox::new("handwritten-calls");
    let token = sandbox.emulator.access_token();
    let table = cli_table();
    let by_hand: Vec<&Entry> = table.values().filter(|entry| entry.handwritten).collect();
    assert!(
        by_hand.len() > 40,
        "only {} handwritten lines",
        by_hand.len()
    );
    // Team memberships have no handwritten command: every one of their operations is a table
    // command, called here against the emulator.
    let team = json(&sandbox.ok(&["--token", &token, "teams", "create", "--name", "Crew"]));
    let team_id = team["id"].as_str().expect("team id");
    let member = json(&sandbox.ok(&[
        "--token",
        &token,
        "team-memberships",
        "create",
        "--team-id",
        team_id,
        "--person-email",
        "grace@example.com",
    ]));
    assert_eq!(member["personEmail"], "grace@example.com");
    let listed = ndjson(&sandbox.ok(&[
        "--token",
        &token,
        "team-memberships",
        "list",
        "--team-id",
        team_id,
    ]));
    assert!(
        listed
            .iter()
            .any(|membership| membership["personEmail"] == "grace@example.com"),
        "{listed:?}"
    );
    // A handwritten group gains the operations its commands do not serve.
    let help = sandbox.ok(&["people", "create", "--help"]);
    assert!(help.contains("POST /people"), "{help}");
    let help = sandbox.ok(&["messages", "edit", "--help"]);
    assert!(help.contains("PUT /messages/{messageId}"), "{help}");
}
