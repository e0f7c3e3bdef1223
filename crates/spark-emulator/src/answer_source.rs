//! Where an answer came from: the emulator's state, or the specs' examples. Each answer of a
//! routed `/v1` request says it in the header [`ANSWER_SOURCE_HEADER`], and the request log
//! keeps it ([`LoggedRequest::answered_from`](crate::LoggedRequest::answered_from)), so a test
//! can tell a canned answer from one with state. Answers given before a request is routed (a
//! refused token, a fault, a limit, the token endpoint) carry neither.

use serde::{Deserialize, Serialize};

use crate::errors::Outcome;
use crate::routes::Reply;

/// The header naming an answer's source: `x-emulator-answer: state` or `spec-example`.
pub const ANSWER_SOURCE_HEADER: &str = "x-emulator-answer";

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum AnswerSource {
    /// A resource the emulator keeps (rooms, messages, meetings, ...), errors included.
    State,
    /// The specs' example for an operation the emulator keeps no state for, or its checks'
    /// refusal (405, 400 naming a missing parameter).
    SpecExample,
}

impl AnswerSource {
    /// The header value: `state` or `spec-example`.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerSource::State => "state",
            AnswerSource::SpecExample => "spec-example",
        }
    }

    /// The source an answer's headers name, if any.
    pub(crate) fn of(headers: &http::HeaderMap) -> Option<AnswerSource> {
        match headers.get(ANSWER_SOURCE_HEADER)?.as_bytes() {
            b"state" => Some(AnswerSource::State),
            b"spec-example" => Some(AnswerSource::SpecExample),
            _ => None,
        }
    }

    /// `outcome`, its answer or its refusal marked with this source.
    pub(crate) fn mark(self, outcome: Outcome<Reply>) -> Outcome<Reply> {
        let header = (ANSWER_SOURCE_HEADER, self.as_str().to_owned());
        match outcome {
            Ok(mut reply) => {
                reply.headers.push(header);
                Ok(reply)
            }
            Err(mut failure) => {
                failure.headers.push(header);
                Err(failure)
            }
        }
    }
}
