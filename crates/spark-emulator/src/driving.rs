//! Driving an emulator from Rust beyond its faults: the live refusals, the quirks, seeding,
//! resetting, the request log, scan verdicts and state files; and what the builder takes for
//! them. The control API (`control`) offers the same over HTTP.

use std::fmt;
use std::io;
use std::sync::{Mutex, MutexGuard, PoisonError};

use http::request::Parts;

use crate::faults::Faults;
use crate::ids::Random;
use crate::quirks::Quirks;
use crate::refusals::Refusals;
use crate::request_log::{LoggedRequest, RequestLog};
use crate::scan::ScanVerdict;
use crate::seed::{self, Seed, Seeded};
use crate::server::{Emulator, EmulatorBuilder, Shared};
use crate::snapshot;
use crate::state::State;

/// The secret of the control API. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct AdminSecret(String);

impl AdminSecret {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `offered` is the secret, comparing every byte whatever differs.
    pub(crate) fn matches(&self, offered: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), offered.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
    }
}

impl fmt::Debug for AdminSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminSecret(<redacted>)")
    }
}

/// What the builder takes besides the server's own settings.
#[derive(Clone, Default)]
pub(crate) struct StartOptions {
    refusals: Refusals,
    quirks: Quirks,
    admin_secret: Option<AdminSecret>,
    seed: Option<Seed>,
    saved_state: Option<Vec<u8>>,
}

impl fmt::Debug for StartOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartOptions")
            .field("refusals", &self.refusals)
            .field("quirks", &self.quirks)
            .field("admin_secret", &self.admin_secret)
            .field("seed", &self.seed.is_some())
            .field("saved_state", &self.saved_state.as_ref().map(Vec::len))
            .finish()
    }
}

impl StartOptions {
    /// The store to start with: the saved one if any (else `fresh`), with the switches set and
    /// the seed applied.
    pub(crate) fn initial_state(&self, fresh: State) -> io::Result<State> {
        let mut state = match &self.saved_state {
            Some(json) => snapshot::load(json)
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?,
            None => fresh,
        };
        state.refusals = self.refusals.clone();
        state.quirks = self.quirks.clone();
        if let Some(seed) = &self.seed {
            seed::apply(&mut state, seed).map_err(|failure| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("bad seed: {}", failure.message),
                )
            })?;
        }
        Ok(state)
    }
}

/// What the control API shares with the server.
#[derive(Debug)]
pub(crate) struct ControlShared {
    pub(crate) admin_secret: AdminSecret,
    /// The switches a reset goes back to.
    pub(crate) initial: (Faults, Refusals, Quirks),
    log: Mutex<RequestLog>,
}

/// A request being answered, to log once its status is known.
pub(crate) struct Pending(LoggedRequest);

impl ControlShared {
    pub(crate) fn new(options: &StartOptions, faults: &Faults) -> Self {
        let admin_secret = options
            .admin_secret
            .clone()
            .unwrap_or_else(|| AdminSecret(format!("ADMIN{}", Random::new().secret(3))));
        Self {
            admin_secret,
            initial: (
                faults.clone(),
                options.refusals.clone(),
                options.quirks.clone(),
            ),
            log: Mutex::new(RequestLog::default()),
        }
    }

    pub(crate) fn log(&self) -> MutexGuard<'_, RequestLog> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes a request's method, path, query and token owner.
    pub(crate) fn start_entry(&self, shared: &Shared, parts: &Parts) -> Pending {
        let identity = {
            let state = shared.state();
            state
                .tokens
                .owner(&parts.headers)
                .and_then(|person_id| state.email_of(person_id))
        };
        Pending(LoggedRequest {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            identity,
            status: 0,
            answered_from: None,
            reset: false,
        })
    }

    /// Logs a request with the status it was answered (or would have been had its connection
    /// not been `reset` instead) and where its answer came from.
    pub(crate) fn finish_entry<B>(
        &self,
        pending: Pending,
        response: &http::Response<B>,
        reset: bool,
    ) {
        let mut entry = pending.0;
        entry.status = response.status().as_u16();
        entry.answered_from = crate::answer_source::AnswerSource::of(response.headers());
        entry.reset = reset;
        self.log().push(entry);
    }
}

/// Goes back to the start: every resource but people and tokens is forgotten, the switches are
/// those the emulator started with, the request log is empty.
pub(crate) fn reset(shared: &Shared) {
    let (faults, refusals, quirks) = shared.control.initial.clone();
    {
        let mut state = shared.state();
        state.clear_resources();
        state.refusals = refusals;
        state.quirks = quirks;
    }
    shared.faults().replace(faults);
    shared.control.log().clear();
}

/// The content id of a content URL (`.../contents/{id}`), or the id itself.
pub(crate) fn content_id(url_or_id: &str) -> &str {
    let path = url_or_id.split(['?', '#']).next().unwrap_or(url_or_id);
    path.rsplit('/').next().unwrap_or(path)
}

impl EmulatorBuilder {
    /// Starts with these refusals (default: [`Refusals::default`], live Webex's).
    pub fn refusals(mut self, refusals: Refusals) -> Self {
        self.options.refusals = refusals;
        self
    }

    /// Starts with these quirks (default none).
    pub fn quirks(mut self, quirks: Quirks) -> Self {
        self.options.quirks = quirks;
        self
    }

    /// The bearer secret of the control API under `/_emulator` (default: a random one, see
    /// [`Emulator::admin_secret`]).
    pub fn admin_secret(mut self, secret: impl Into<String>) -> Self {
        self.options.admin_secret = Some(AdminSecret(secret.into()));
        self
    }

    /// Applies this seed at start ([`start`](Self::start) fails with
    /// [`io::ErrorKind::InvalidInput`] if it is bad).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.options.seed = Some(seed);
        self
    }

    /// Starts from a state file's content ([`Emulator::save_state`]) instead of a fresh store;
    /// the seeded people and the builder's [`person`](Self::person)s are then not added again.
    /// [`start`](Self::start) fails with [`io::ErrorKind::InvalidData`] if it is not one.
    pub fn saved_state(mut self, json: Vec<u8>) -> Self {
        self.options.saved_state = Some(json);
        self
    }
}

impl Emulator {
    /// The refusals in force.
    pub fn refusals(&self) -> Refusals {
        self.shared.state().refusals.clone()
    }

    /// Replaces the refusals (files uploaded before keep the scan they got at upload).
    pub fn set_refusals(&self, refusals: Refusals) {
        self.shared.state().refusals = refusals;
    }

    /// The quirks in force.
    pub fn quirks(&self) -> Quirks {
        self.shared.state().quirks.clone()
    }

    /// Replaces the quirks.
    pub fn set_quirks(&self, quirks: Quirks) {
        self.shared.state().quirks = quirks;
    }

    /// The bearer secret of the control API (`Authorization: Bearer <secret>` on
    /// `/_emulator/...`).
    pub fn admin_secret(&self) -> &str {
        self.shared.control.admin_secret.expose()
    }

    /// The control API's base URL, `http://127.0.0.1:<port>/_emulator`.
    pub fn control_url(&self) -> String {
        let base = self.base_url();
        format!(
            "{}{}",
            base.strip_suffix("/v1").unwrap_or(base),
            crate::control::PREFIX
        )
    }

    /// Applies a seed document; what it created, or why it is bad.
    pub fn seed(&self, seed: &Seed) -> Result<Seeded, String> {
        seed::apply(&mut self.shared.state(), seed).map_err(|failure| failure.message)
    }

    /// Forgets every resource but people and tokens, puts the faults, refusals and quirks back
    /// to those the emulator started with, and empties the request log.
    pub fn reset(&self) {
        reset(&self.shared);
    }

    /// The requests to `/v1` so far (the last 10 000), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.control.log().entries()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.shared.control.log().clear();
    }

    /// The requests to `/v1` so far (the last 10 000), oldest first, and empties the log: what
    /// [`requests`](Self::requests) then [`clear_requests`](Self::clear_requests) give, with no
    /// request logged between the two lost. A test that makes more requests than the log keeps
    /// takes them as it goes.
    pub fn take_requests(&self) -> Vec<LoggedRequest> {
        self.shared.control.log().take()
    }

    /// Ends the scan of a file (by content URL or id) with this verdict; false if there is no
    /// such file.
    pub fn set_scan_verdict(&self, content: &str, verdict: ScanVerdict) -> bool {
        let mut state = self.shared.state();
        match state.files.get_mut(content_id(content)) {
            Some(file) => {
                file.scan = crate::scan::Scan::done(verdict);
                true
            }
            None => false,
        }
    }

    /// The whole store as a state file's JSON (secret: it holds the tokens), for
    /// [`EmulatorBuilder::saved_state`].
    pub fn save_state(&self) -> Vec<u8> {
        snapshot::save(&self.shared.state())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ids_and_secrets() {
        assert_eq!(
            content_id("http://h/v1/contents/ABC?allow=unscannable"),
            "ABC"
        );
        assert_eq!(content_id("ABC"), "ABC");
        let secret = AdminSecret("s3cret".to_owned());
        assert!(secret.matches("s3cret") && !secret.matches("s3cre") && !secret.matches("s3creT"));
        assert!(!format!("{secret:?}").contains("s3cret"));
    }
}
