//! Reading a request body into memory, never past its limit nor its time.
//!
//! A body announced (`Content-Length`) over the limit is refused before a byte of it is read; a
//! chunked one is read only up to the limit. Both are answered 413. A body that has not arrived
//! whole within the body read timeout is answered 408.

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

/// Reads the whole body: at most `limit` bytes, within `timeout`.
pub(crate) async fn read(
    body: Incoming,
    headers: &HeaderMap,
    limit: usize,
    timeout: Duration,
) -> Outcome<Bytes> {
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
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
