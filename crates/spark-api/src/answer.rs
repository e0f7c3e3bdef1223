//! Reading answers: error statuses into [`ApiError`], success bodies into typed values with the
//! failing JSON path named.

use std::time::SystemTime;

use http::Response;
use serde::de::DeserializeOwned;
use spark_http::ResponseBody;
use spark_http::retry::parse_retry_after;

use crate::error::{ApiError, Error, Result};

/// The largest JSON answer read (a page of 1,000 messages is well under this).
pub(crate) const JSON_LIMIT: usize = 64 * 1024 * 1024;

/// Passes a successful answer; turns an error status into [`Error::Api`].
pub(crate) async fn success(response: Response<ResponseBody>) -> Result<Response<ResponseBody>> {
    if response.status().is_success() {
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let tracking_id = spark_http::tracking_id(&parts.headers).map(str::to_owned);
    let retry_after = parse_retry_after(&parts.headers, SystemTime::now());
    let body = body.collect_prefix(spark_http::ERROR_BODY_LIMIT).await;
    Err(ApiError::from_answer(parts.status, tracking_id, retry_after, body).into())
}

/// Decodes a successful answer's JSON body into `T`.
pub(crate) async fn json<T: DeserializeOwned>(response: Response<ResponseBody>) -> Result<T> {
    let response = success(response).await?;
    let status = response.status();
    let bytes = response.into_body().collect_limited(JSON_LIMIT).await?;
    decode(status, &bytes)
}

/// Decodes `bytes` into `T`, naming the JSON path that failed.
///
/// The plain decoder runs first; only when it fails is the body decoded again with path
/// tracking, so a successful answer pays nothing for the error's detail.
pub(crate) fn decode<T: DeserializeOwned>(status: http::StatusCode, bytes: &[u8]) -> Result<T> {
    let plain_error = match serde_json::from_slice(bytes) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let tracked: std::result::Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    let (path, source) = match tracked {
        Err(error) => (error.path().to_string(), error.into_inner()),
        // The value decoded, so what failed was the end of the document (trailing data).
        Ok(_) => (
            ".".to_owned(),
            deserializer.end().err().unwrap_or(plain_error),
        ),
    };
    Err(Error::Decode {
        status,
        path,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use spark_model::Room;

    #[test]
    fn a_decode_error_names_the_path_and_keeps_the_status() {
        let body = br#"{"items":[{"id":"a"},{"id":5}]}"#;
        let error =
            decode::<spark_model::ListEnvelope<Room>>(http::StatusCode::OK, body).unwrap_err();
        match error {
            Error::Decode { status, path, .. } => {
                assert_eq!(status, 200);
                assert_eq!(path, "items[1].id");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_body_that_is_not_json_is_a_decode_error() {
        let error = decode::<Room>(http::StatusCode::OK, b"<html>").unwrap_err();
        assert!(matches!(error, Error::Decode { ref path, .. } if path == "."));
    }
}
