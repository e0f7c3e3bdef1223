//! The `Retry-After` reader on any bytes: it never panics, and a text value of digits (with
//! spaces around) is always a wait of that many seconds, or the longest wait when too long for a
//! u64.

#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use http::HeaderMap;
use http::header::{HeaderValue, RETRY_AFTER};
use libfuzzer_sys::fuzz_target;
use spark_http::retry::parse_retry_after;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = HeaderValue::from_bytes(data) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, value);
    for now in [UNIX_EPOCH, UNIX_EPOCH + Duration::from_secs(1_700_000_000)] {
        let wait = parse_retry_after(&headers, now);
        // Only a value of visible ASCII (and tabs) is text; `99` followed by a no-break space
        // is not, and reads as "not said".
        let Ok(text) = headers[RETRY_AFTER].to_str() else {
            continue;
        };
        let text = text.trim();
        if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
            let seconds = text.parse().unwrap_or(u64::MAX);
            assert_eq!(wait, Some(Duration::from_secs(seconds)), "{text:?}");
        }
    }
});
