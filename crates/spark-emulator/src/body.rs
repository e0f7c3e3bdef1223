//! Reading a request body into memory, never past its limit nor its time.
//!
//! A body announced (`Content-Length`) over the limit is refused before a byte of it is read; a
//! chunked one is read only up to the limit. Both are answered 413. A body that has not arrived
//! whole within the body read timeout is answered 408.
//!
//! A request refused from its head alone (no token, a bad boundary, ...) is answered before its
//! body is read; what is left of the body is then read and thrown away, up to the limit the
//! request would have had and within the body read timeout, so that a client still sending it
//! can finish and read the refusal (a client that finds the connection closed mid-body sees a
//! broken pipe, not the 401 it should refresh its token on). Nothing of it is kept.

use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;

use crate::errors::{Failure, Outcome};

/// Megabytes, as the error messages say them (the limits are whole MB, 2^20 bytes).
fn megabytes(bytes: usize) -> usize {
    bytes / (1024 * 1024)
}

fn too_large(limit: usize) -> Failure {
    Failure::payload_too_large(format!(
        "The request body is larger than the {} MB limit of this request (a message's file may weigh 100 MB).",
        megabytes(limit)
    ))
}

/// The length a request announces in `Content-Length`, if it does.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
}

/// Reads the whole body: at most `limit` bytes, within `timeout`.
pub(crate) async fn read(
    body: Incoming,
    headers: &HeaderMap,
    limit: usize,
    timeout: Duration,
) -> Outcome<Bytes> {
    if declared_length(headers).is_some_and(|length| length > limit as u64) {
        return Err(too_large(limit));
    }
    match tokio::time::timeout(timeout, Limited::new(body, limit).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => {
            Err(too_large(limit))
        }
        Ok(Err(_)) => Err(Failure::bad_request("The request body could not be read.")),
        Err(_) => Err(Failure::request_timeout(format!(
            "The request body did not arrive within {} s.",
            timeout.as_secs_f64()
        ))),
    }
}

/// Reads what is left of a refused request's body in a spawned task and throws it away: at most
/// `limit` bytes (a body announced longer is not read at all), within `timeout`. Dropping the
/// body then lets hyper close the connection if the body did not end.
pub(crate) fn discard(body: Incoming, headers: &HeaderMap, limit: usize, timeout: Duration) {
    if declared_length(headers).is_some_and(|length| length > limit as u64) {
        return;
    }
    tokio::spawn(async move {
        let mut body = body;
        let mut left = limit;
        let _ = tokio::time::timeout(timeout, async {
            while let Some(Ok(frame)) = body.frame().await {
                let Some(data) = frame.data_ref() else {
                    continue;
                };
                match left.checked_sub(data.len()) {
                    Some(rest) => left = rest,
                    None => return,
                }
            }
        })
        .await;
    });
}
