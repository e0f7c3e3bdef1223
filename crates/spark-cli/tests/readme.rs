//! The session in the crate's README runs as written: each `$ spark ...` line of its `console`
//! block runs against the emulator (the sandbox's stands for `spark emulator` and its profile)
//! and prints exactly the lines the README shows under it (tables, as on a terminal).

mod support;

use support::Sandbox;

/// The crate's README.
const README: &str = include_str!("../README.md");

/// A command of the session and what the README shows it prints.
struct Step {
    line: String,
    args: Vec<String>,
    shown: String,
}

/// The steps of the README's `console` block.
fn session() -> Vec<Step> {
    let block = README
        .split("```console\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("a console block in the README");
    let mut steps: Vec<Step> = Vec::new();
    for line in block.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => steps.push(Step {
                line: command.to_owned(),
                args: words(command),
                shown: String::new(),
            }),
            None => {
                let step = steps.last_mut().expect("a command before its output");
                step.shown.push_str(line);
                step.shown.push('\n');
            }
        }
    }
    steps
}

/// A command line split as a shell would split this one: on spaces, with `'...'` and `"..."`
/// quoting.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, ' ') => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[test]
fn the_readme_session_prints_what_it_shows() {
    let sandbox = Sandbox::new("readme");
    let token = sandbox.emulator.access_token();
    let steps = session();
    assert!(steps.len() >= 4, "a session of a few commands");
    assert_eq!(
        steps[0].args[..2],
        ["spark", "emulator"],
        "it starts the emulator"
    );
    for step in &steps[1..] {
        let mut args: Vec<&str> = step.args.iter().map(String::as_str).collect();
        assert_eq!(
            args[..3],
            ["spark", "--profile", "emulator"],
            "{}",
            step.line
        );
        args.drain(..3);
        if !args.contains(&"--json") {
            args.insert(0, "--table");
        }
        let mut full = vec!["--token", token.as_str()];
        full.extend(args);
        let printed = sandbox.ok(&full);
        assert_eq!(printed, step.shown, "$ {}", step.line);
    }
}

#[test]
fn words_are_split_as_a_shell_does() {
    assert_eq!(
        words(r#"spark rooms create --title "Design review" -q 'a b'"#),
        [
            "spark",
            "rooms",
            "create",
            "--title",
            "Design review",
            "-q",
            "a b"
        ]
    );
    assert_eq!(words("a  ''"), ["a", ""]);
}
