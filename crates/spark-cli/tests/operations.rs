//! Every generated operation is reachable from the command line: each operation of the specs
//! that the emulator answers (its generated `operations.json`) has a `spark <service> <method>`
//! command whose `--help` works, and generated commands run against the emulator.

mod support;

use std::collections::BTreeMap;

use serde_json::Value;
use support::{Sandbox, json, ndjson};

/// `(METHOD, /path)` → `(service, method)`, from the command line's table.
fn cli_table() -> BTreeMap<(String, String), (String, String)> {
    let text = include_str!("../src/generated/operations.json");
    let table: Value = serde_json::from_str(text).expect("the CLI table is JSON");
    table["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .map(|op| {
            let text = |key: &str| op[key].as_str().expect("a string").to_owned();
            (
                (text("method"), format!("/{}", text("path"))),
                (text("service"), text("command")),
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
    for op in emulator_ops["operations"].as_array().expect("operations") {
        let method = op["method"].as_str().expect("method").to_owned();
        let path = op["path"].as_str().expect("path").to_owned();
        let (service, command) = table
            .get(&(method.clone(), path.clone()))
            .unwrap_or_else(|| panic!("no command for {method} {path}"));
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
        checked += 1;
    }
    assert_eq!(checked, table.len(), "one command per operation");
    assert!(checked > 300, "only {checked} operations");
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
    // A required flag left out: a usage error before anything is sent.
    let missing = sandbox.run(&["--token", &token, "meeting-invitees", "create"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    // An operation answered from the spec's example.
    let transcripts = sandbox.run(&["--token", &token, "meeting-transcripts", "list"]);
    assert_eq!(transcripts.code, 0, "{}", transcripts.stderr);
    ndjson(&transcripts.stdout);
}
