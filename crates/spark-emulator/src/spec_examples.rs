//! The operations of the official specs that the emulator keeps no state for: each answers with
//! the spec's own example (or a value made from the answer's schema where the spec gives none),
//! after the checks live Webex makes first: the method (405), the required query parameters and
//! body fields (400 naming what is missing).
//!
//! The table is generated with the spark-api services (`cargo xtask codegen`, from
//! `spec/*.json`) into `generated/operations.json`, and read once, on the first request that
//! needs it.

use std::sync::OnceLock;

use bytes::Bytes;
use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;

use crate::errors::{Failure, Outcome};
use crate::routes::{Ctx, Reply};

/// The generated table.
const TABLE: &str = include_str!("generated/operations.json");

#[derive(Deserialize)]
struct Table {
    operations: Vec<Operation>,
}

/// One operation of the table.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Operation {
    method: String,
    /// The path under `/v1`, `{name}` where a parameter goes.
    path: String,
    required_query: Vec<String>,
    required_body: Vec<String>,
    status: u16,
    content_type: Option<String>,
    example: Value,
    /// The path's segments, split once when the table is read.
    #[serde(skip)]
    pattern: Vec<String>,
}

impl Operation {
    /// How well the path matches: `None` if not at all, else the number of literal segments
    /// (`/meetings/controls` beats `/meetings/{meetingId}`).
    fn score(&self, segments: &[&str]) -> Option<usize> {
        let pattern = &self.pattern;
        if pattern.len() != segments.len() {
            return None;
        }
        let mut literal = 0;
        for (expected, got) in pattern.iter().zip(segments) {
            if expected.starts_with('{') {
                if got.is_empty() {
                    return None;
                }
            } else if expected == got {
                literal += 1;
            } else {
                return None;
            }
        }
        Some(literal)
    }
}

fn table() -> &'static [Operation] {
    static PARSED: OnceLock<Vec<Operation>> = OnceLock::new();
    PARSED.get_or_init(|| {
        let mut operations = serde_json::from_str::<Table>(TABLE)
            .map(|table| table.operations)
            .unwrap_or_default();
        for operation in &mut operations {
            // `/dataSources/` is listed with its trailing slash.
            operation.pattern = operation
                .path
                .trim_matches('/')
                .split('/')
                .map(str::to_owned)
                .collect();
        }
        operations
    })
}

/// Answers a request no stateful route took: from the table, or 404 when no operation of the
/// specs has this path.
pub(crate) fn answer(ctx: &Ctx<'_>, segments: &[&str]) -> Outcome<Reply> {
    let mut best: Option<usize> = None;
    let mut candidates: Vec<&Operation> = Vec::new();
    for operation in table() {
        let Some(score) = operation.score(segments) else {
            continue;
        };
        match best {
            Some(current) if score < current => {}
            Some(current) if score == current => candidates.push(operation),
            _ => {
                best = Some(score);
                candidates = vec![operation];
            }
        }
    }
    if candidates.is_empty() {
        return Err(Failure::not_found());
    }
    let method = if ctx.method == Method::HEAD {
        "GET"
    } else {
        ctx.method.as_str()
    };
    let Some(operation) = candidates.iter().find(|op| op.method == method) else {
        let allowed: Vec<&str> = candidates.iter().map(|op| op.method.as_str()).collect();
        return Err(Failure::method_not_allowed(&allowed.join(", ")));
    };
    for name in &operation.required_query {
        if ctx.query.get(name).is_none() {
            return Err(Failure::bad_request(format!(
                "The query parameter {name} is required."
            )));
        }
    }
    if !operation.required_body.is_empty() {
        let body: Value = ctx.json()?;
        for name in &operation.required_body {
            if body.get(name).is_none_or(Value::is_null) {
                return Err(Failure::bad_request(format!("{name} is required.")));
            }
        }
    }
    let status = StatusCode::from_u16(operation.status).unwrap_or(StatusCode::OK);
    match (&operation.content_type, &operation.example) {
        (None, _) | (_, Value::Null) if status == StatusCode::NO_CONTENT => Reply::no_content(),
        (Some(media), Value::String(text)) if !media.contains("json") => Ok(Reply {
            status,
            headers: vec![("content-type", media.clone())],
            body: Bytes::from(text.clone()),
        }),
        (None, _) => Ok(Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }),
        (Some(_), example) => Ok(Reply::json(status, example)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_table_reads() {
        assert!(table().len() > 300, "{}", table().len());
        for operation in table() {
            assert!(operation.path.starts_with('/'), "{}", operation.path);
            assert!(
                matches!(
                    operation.method.as_str(),
                    "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
                ),
                "{}",
                operation.method
            );
        }
    }
}
