//! Reading `Retry-After`: delta-seconds or an HTTP-date; anything else is "not said".

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use http::header::RETRY_AFTER;

/// The wait a response asks for in its `Retry-After` header, or `None` when the header is
/// missing or cannot be read (Webex has been seen sending `rand(30),add(30)`).
///
/// A date in the past means "now" (a zero wait).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use http::HeaderMap;
/// use spark_http::retry::parse_retry_after;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("retry-after", "194".parse().unwrap());
/// assert_eq!(parse_retry_after(&headers, SystemTime::now()), Some(Duration::from_secs(194)));
/// headers.insert("retry-after", "rand(30),add(30)".parse().unwrap());
/// assert_eq!(parse_retry_after(&headers, SystemTime::now()), None);
/// ```
pub fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|byte| byte.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long wait", not garbage.
        return Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: &str, now: SystemTime) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, value.parse().unwrap());
        parse_retry_after(&headers, now)
    }

    #[test]
    fn delta_seconds() {
        let now = SystemTime::now();
        assert_eq!(parse("0", now), Some(Duration::ZERO));
        assert_eq!(parse(" 5 ", now), Some(Duration::from_secs(5)));
        assert_eq!(parse("194", now), Some(Duration::from_secs(194)));
        assert_eq!(
            parse("99999999999", now),
            Some(Duration::from_secs(99_999_999_999))
        );
        assert_eq!(
            parse("999999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn http_dates_ahead_and_behind() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:07 GMT").unwrap();
        assert_eq!(
            parse("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn garbage_and_absence_are_not_a_wait() {
        let now = SystemTime::now();
        for value in ["rand(30),add(30)", "", "  ", "-5", "1.5", "soon"] {
            assert_eq!(parse(value, now), None, "{value:?}");
        }
        assert_eq!(parse_retry_after(&HeaderMap::new(), now), None);
    }
}
