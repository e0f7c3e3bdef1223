//! The `Link` header reader and the next-link repair on any bytes: neither panics, the link
//! found is a piece of one of the header lines, and a repaired link grows by no more than the
//! caller's query, encoded.
//!
//! Input: header lines separated by `\n`; the same bytes, as text, are also a next link and a
//! caller query (`name=value&...`) separated by the first NUL.

#![no_main]

use http::HeaderMap;
use http::header::{HeaderValue, LINK};
use libfuzzer_sys::fuzz_target;
use spark_api::parsers::{next_link, repair};

fuzz_target!(|data: &[u8]| {
    let mut headers = HeaderMap::new();
    for line in data.split(|&byte| byte == b'\n') {
        if let Ok(value) = HeaderValue::from_bytes(line) {
            headers.append(LINK, value);
        }
    }
    if let Some(target) = next_link(&headers) {
        let found_in_a_line = headers
            .get_all(LINK)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .any(|line| line.contains(&target));
        assert!(found_in_a_line, "{target:?} is in no header line");
    }

    let text = String::from_utf8_lossy(data);
    let (link, query) = text.split_once('\0').unwrap_or((&text, ""));
    let caller: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    let repaired = repair(link, &caller);
    let added: usize = caller
        .iter()
        .map(|(name, value)| 3 * (name.len() + value.len()) + 2)
        .sum();
    assert!(
        repaired.len() <= link.len() + added,
        "{repaired:?} from {link:?} and {caller:?}"
    );
});
