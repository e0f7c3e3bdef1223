//! What the generated every-operation test needs: a client on the emulator, and a tally of the
//! answers that prints the figures and fails on any call that did not answer.

use std::collections::HashSet;
use std::path::Path;

use spark_api::{Client, Error};
use spark_emulator::{AnswerSource, Emulator};

/// An emulator and a client of it.
pub(crate) async fn client() -> (Emulator, Client) {
    let emulator = Emulator::start().await.expect("the emulator starts");
    let client = Client::builder()
        .base_url(emulator.base_url())
        .expect("the base URL parses")
        .access_token(emulator.access_token())
        .build()
        .expect("the client builds");
    (emulator, client)
}

/// What came back from each operation.
pub(crate) struct Tally {
    /// The emulator answering, whose request log says which answers had state.
    emulator: Emulator,
    called: usize,
    /// Operations with state that refused the placeholder arguments (an unknown id, a start
    /// time that is not one): they answered as Webex would; `meetings_with_state.rs` drives them
    /// with real values.
    refused_with_state: Vec<String>,
    decode_failures: Vec<String>,
    failures: Vec<String>,
}

impl Tally {
    /// A tally of the calls to `emulator`.
    pub(crate) fn new(emulator: Emulator) -> Self {
        Self {
            emulator,
            called: 0,
            refused_with_state: Vec::new(),
            decode_failures: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Whether the emulator answered the last request with state (not from the specs'
    /// examples), as its request log says.
    fn last_had_state(&self) -> bool {
        self.emulator
            .requests()
            .last()
            .is_some_and(|request| request.answered_from == Some(AnswerSource::State))
    }

    /// Records one operation's outcome.
    pub(crate) fn record(&mut self, operation: &str, outcome: Result<(), Error>) {
        match outcome {
            Ok(()) => self.called += 1,
            Err(Error::Decode { path, source, .. }) => {
                self.called += 1;
                self.decode_failures
                    .push(format!("{operation}: at `{path}`: {source}"));
            }
            Err(Error::Api(error)) if error.status.is_client_error() && self.last_had_state() => {
                self.refused_with_state
                    .push(format!("{operation}: {}", error.status));
            }
            Err(other) => self.failures.push(format!("{operation}: {other}")),
        }
    }

    /// Prints `N of M operations called, K decode failures` and fails on anything that did not
    /// answer or decode.
    pub(crate) fn report(&self, handwritten: usize, left_out: usize) {
        let in_specs = operations_in_specs();
        let generated = self.called + self.refused_with_state.len() + self.failures.len();
        println!(
            "{} of {} generated operations called, {} more refused placeholder values as Webex \
             would (operations with state) ({} written by hand, tested in their own suites; \
             {} left out; {} operations in the specs), {} decode failures",
            self.called,
            generated,
            self.refused_with_state.len(),
            handwritten,
            left_out,
            in_specs,
            self.decode_failures.len()
        );
        for failure in &self.decode_failures {
            println!("  decode: {failure}");
        }
        for failure in &self.failures {
            println!("  failed: {failure}");
        }
        assert_eq!(
            generated + handwritten + left_out,
            in_specs,
            "the specs have operations the generated code lacks: run `cargo xtask codegen`"
        );
        assert!(
            self.failures.is_empty(),
            "{} calls failed",
            self.failures.len()
        );
        assert!(
            self.decode_failures.is_empty(),
            "{} answers did not decode",
            self.decode_failures.len()
        );
    }
}

/// The operations of `spec/*.json`, each `(method, path)` once, counted from the files.
fn operations_in_specs() -> usize {
    let spec_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut seen = HashSet::new();
    for file in [
        "webex-messaging.json",
        "webex-meeting.json",
        "webex-device.json",
        "webex-admin.json",
    ] {
        let text = std::fs::read_to_string(spec_dir.join(file)).expect("the spec reads");
        let spec: serde_json::Value = serde_json::from_str(&text).expect("the spec parses");
        let paths = spec["paths"].as_object().expect("the spec has paths");
        for (path, item) in paths {
            for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
                if item.get(method).is_some() {
                    seen.insert((method, path.clone()));
                }
            }
        }
    }
    seen.len()
}
