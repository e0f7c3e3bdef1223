//! The request log: what each request to `/v1` asked and how it was answered, so that a test in
//! any language can assert what its client sent ([`Emulator::requests`](crate::Emulator::requests),
//! `GET /_emulator/requests`).
//!
//! The log keeps the last [`REQUEST_LOG_CAPACITY`] requests; older ones are dropped. Tokens are
//! never logged: an entry names the token's owner by email.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::answer_source::AnswerSource;

/// How many requests the log keeps (the oldest are dropped first).
pub const REQUEST_LOG_CAPACITY: usize = 10_000;

/// One request as the emulator saw and answered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LoggedRequest {
    /// The method, `GET`, `POST`, ...
    pub method: String,
    /// The path, `/v1/...`.
    pub path: String,
    /// The raw query string, without `?` (`None` when the URL had none).
    pub query: Option<String>,
    /// The email of the person (or bot) whose token the request carried, expired or not;
    /// `None` for no token or an unknown one.
    pub identity: Option<String>,
    /// The status of the answer; for a request whose connection was reset instead (`reset`),
    /// the status its answer would have had: a 2xx says it took effect all the same.
    pub status: u16,
    /// Where the answer came from (the header
    /// [`ANSWER_SOURCE_HEADER`](crate::ANSWER_SOURCE_HEADER)); `None` for an answer given before
    /// the request was routed (a refused token, a fault, a limit, the token endpoint).
    #[serde(default)]
    pub answered_from: Option<AnswerSource>,
    /// The connection was reset instead of answered
    /// ([`Faults::reset_every`](crate::Faults::reset_every)): the client got no answer.
    #[serde(default)]
    pub reset: bool,
}

/// The last requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: VecDeque<LoggedRequest>,
}

impl RequestLog {
    /// Adds a request, dropping the oldest past the capacity.
    pub(crate) fn push(&mut self, entry: LoggedRequest) {
        if self.entries.len() == REQUEST_LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// Every request kept, oldest first.
    pub(crate) fn entries(&self) -> Vec<LoggedRequest> {
        self.entries.iter().cloned().collect()
    }

    /// Forgets every request.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    /// Every request kept, oldest first, forgotten here.
    pub(crate) fn take(&mut self) -> Vec<LoggedRequest> {
        std::mem::take(&mut self.entries).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_requests() {
        let mut log = RequestLog::default();
        for status in 0..=REQUEST_LOG_CAPACITY {
            log.push(LoggedRequest {
                method: "GET".to_owned(),
                path: "/v1/people/me".to_owned(),
                query: None,
                identity: None,
                status: u16::try_from(status % 600).unwrap(),
                answered_from: None,
                reset: false,
            });
        }
        let entries = log.entries();
        assert_eq!(entries.len(), REQUEST_LOG_CAPACITY);
        assert_eq!(entries[0].status, 1);
    }
}
