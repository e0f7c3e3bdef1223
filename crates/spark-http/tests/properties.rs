//! Properties of `parse_retry_after`, the reader of a header the server controls: any value
//! returns without panicking; `N` (delta-seconds, with or without surrounding whitespace) reads
//! as exactly N seconds, and a number too long for a u64 as the longest wait; an HTTP-date N
//! seconds ahead of now reads as N seconds, one behind as no wait; and a value that is neither
//! digits nor an HTTP-date, or is not text at all (digits beside a no-break space), reads as
//! "not said".

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;
use http::header::{HeaderValue, RETRY_AFTER};
use proptest::prelude::*;
use spark_http::retry::parse_retry_after;

/// 256 cases a property unless `PROPTEST_CASES` says otherwise; no regression files.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn headers_with(value: HeaderValue) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, value);
    headers
}

fn parse(text: &str, now: SystemTime) -> Option<Duration> {
    let value = HeaderValue::from_str(text).expect("the generated value is a valid header value");
    parse_retry_after(&headers_with(value), now)
}

/// A "now" on a whole second (HTTP-dates have no fractions), between 1970 and 2200.
fn whole_second_now() -> impl Strategy<Value = SystemTime> {
    (0u64..7_258_118_400).prop_map(|secs| UNIX_EPOCH + Duration::from_secs(secs))
}

/// Optional whitespace as a header value may carry around its text.
fn padding() -> impl Strategy<Value = String> {
    "[ \t]{0,3}"
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_header_bytes_are_read_without_panicking(
        bytes in proptest::collection::vec(any::<u8>(), 0..64),
        now in whole_second_now(),
    ) {
        // Header values are bytes; `from_bytes` refuses only what no header can carry.
        if let Ok(value) = HeaderValue::from_bytes(&bytes) {
            let wait = parse_retry_after(&headers_with(value.clone()), now);
            // Only visible ASCII (and tabs) is text: `99` and a no-break space reads as "not
            // said" (the fuzz target found that input).
            let text = value.to_str().map(str::trim).unwrap_or_default();
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
                prop_assert!(wait.is_some(), "digits are always a wait: {text:?}");
            }
        }
    }

    #[test]
    fn digits_next_to_characters_that_are_not_text_are_not_a_wait(
        n in any::<u32>(),
        other in prop_oneof![Just("\u{a0}"), Just("\u{85}"), Just("\u{e9}")],
        before in any::<bool>(),
        now in whole_second_now(),
    ) {
        let text = if before { format!("{other}{n}") } else { format!("{n}{other}") };
        let value = HeaderValue::from_bytes(text.as_bytes()).expect("obs-text is a header value");
        prop_assert_eq!(parse_retry_after(&headers_with(value), now), None);
    }

    #[test]
    fn n_seconds_read_as_n_seconds(
        n in any::<u64>(),
        zeros in 0usize..3,
        before in padding(),
        after in padding(),
        now in whole_second_now(),
    ) {
        let text = format!("{before}{}{n}{after}", "0".repeat(zeros));
        prop_assert_eq!(parse(&text, now), Some(Duration::from_secs(n)));
    }

    #[test]
    fn more_digits_than_a_u64_holds_read_as_the_longest_wait(
        digits in "[1-9][0-9]{20,40}",
        now in whole_second_now(),
    ) {
        prop_assert_eq!(parse(&digits, now), Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn an_http_date_n_seconds_ahead_reads_as_n_seconds(
        now in whole_second_now(),
        n in 0u64..10_000_000,
    ) {
        let date = httpdate::fmt_http_date(now + Duration::from_secs(n));
        prop_assert_eq!(parse(&date, now), Some(Duration::from_secs(n)));
    }

    #[test]
    fn an_http_date_in_the_past_reads_as_no_wait(
        now in whole_second_now(),
        n in 1u64..10_000_000,
    ) {
        // HTTP-dates start in 1970.
        let past = now.checked_sub(Duration::from_secs(n)).filter(|past| *past >= UNIX_EPOCH);
        prop_assume!(past.is_some());
        let past = past.expect("assumed above");
        let date = httpdate::fmt_http_date(past);
        prop_assert_eq!(parse(&date, now), Some(Duration::ZERO));
    }

    #[test]
    fn text_that_is_neither_digits_nor_a_date_is_not_a_wait(
        text in "[a-zA-Z(),.+\\- ]{1,30}",
        now in whole_second_now(),
    ) {
        prop_assume!(httpdate::parse_http_date(text.trim()).is_err());
        prop_assert_eq!(parse(&text, now), None);
    }

    #[test]
    fn a_negative_or_fractional_number_is_not_a_wait(
        whole in any::<u32>(),
        fraction in 0u32..1000,
        negative in any::<bool>(),
        now in whole_second_now(),
    ) {
        let text = if negative {
            format!("-{whole}")
        } else {
            format!("{whole}.{fraction}")
        };
        prop_assert_eq!(parse(&text, now), None);
    }
}
