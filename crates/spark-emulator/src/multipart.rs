//! A small `multipart/form-data` parser, enough for `POST /messages` with a file.
//!
//! The whole body is in memory (the server reads it up to the 100 MB file limit plus room for
//! the text fields); parts are slices of it, so the file's bytes are not copied.
//!
//! Parsing takes time linear in the body, whatever the boundary and the bytes: delimiters are
//! found with `memchr::memmem` (linear in the worst case, unlike comparing the delimiter at each
//! position), each byte of a part's data is searched once, a part's headers are looked for only
//! in a bounded window, and a form has a bounded number of parts. Boundaries are 1 to 70
//! characters, as RFC 2046 says.

use bytes::Bytes;
use memchr::memmem;

use crate::errors::{Failure, Outcome};

/// The longest boundary RFC 2046 allows.
const MAX_BOUNDARY_CHARS: usize = 70;

/// The most parts a form may have (a message takes seven fields).
const MAX_PARTS: usize = 64;

/// The most bytes of a part's headers.
const MAX_PART_HEADER_BYTES: usize = 8 * 1024;

/// The most bytes after a delimiter before its line ends (transport padding).
const MAX_DELIMITER_PADDING: usize = 1024;

/// One part of a form.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// The field name.
    pub(crate) name: String,
    /// The file name, for a file part.
    pub(crate) file_name: Option<String>,
    /// The part's `Content-Type`, if given.
    pub(crate) content_type: Option<String>,
    /// The part's bytes.
    pub(crate) data: Bytes,
}

impl Part {
    /// The part's bytes as text (lossy).
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// Whether a content type is `multipart/form-data` (whatever its parameters).
pub(crate) fn is_form(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("multipart/form-data"))
}

/// The boundary of a `multipart/form-data` content type: `Ok(None)` for another content type,
/// 400 for a form without a boundary or with one longer than RFC 2046's 70 characters.
pub(crate) fn boundary(content_type: &str) -> Outcome<Option<String>> {
    if !is_form(content_type) {
        return Ok(None);
    }
    let boundary = content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    });
    match boundary {
        Some(boundary) if (1..=MAX_BOUNDARY_CHARS).contains(&boundary.len()) => Ok(Some(boundary)),
        Some(_) => Err(Failure::bad_request(format!(
            "The multipart boundary must be 1 to {MAX_BOUNDARY_CHARS} characters long (RFC 2046)."
        ))),
        None => Err(Failure::bad_request(
            "A multipart/form-data body needs a boundary parameter.",
        )),
    }
}

/// Where `finder`'s needle first occurs in `haystack` at or after `from`.
fn find(finder: &memmem::Finder<'_>, haystack: &[u8], from: usize) -> Option<usize> {
    finder.find(haystack.get(from..)?).map(|at| from + at)
}

/// Like [`find`], looking only at the `window` bytes from `from`.
fn find_within(
    finder: &memmem::Finder<'_>,
    haystack: &[u8],
    from: usize,
    window: usize,
) -> Option<usize> {
    let end = haystack.len().min(from.saturating_add(window));
    finder.find(haystack.get(from..end)?).map(|at| from + at)
}

fn malformed(what: &str) -> Failure {
    Failure::bad_request(format!("The multipart body is malformed: {what}."))
}

/// Splits a form body into its parts.
pub(crate) fn parse(body: &Bytes, boundary: &str) -> Outcome<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");
    let first_delimiter = memmem::Finder::new(delimiter.as_bytes());
    let data_end_finder = memmem::Finder::new(next_delimiter.as_bytes());
    let line_end_finder = memmem::Finder::new(b"\r\n");
    let headers_end_finder = memmem::Finder::new(b"\r\n\r\n");
    let mut at = find(&first_delimiter, body, 0).ok_or_else(|| malformed("no boundary"))?;
    let mut parts = Vec::new();
    loop {
        at += delimiter.len();
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        if parts.len() == MAX_PARTS {
            return Err(malformed(&format!("more than {MAX_PARTS} parts")));
        }
        // Skip the rest of the delimiter line (transport padding, then CRLF).
        let line_end = find_within(&line_end_finder, body, at, MAX_DELIMITER_PADDING)
            .ok_or_else(|| malformed("unterminated boundary"))?;
        let headers_start = line_end + 2;
        let headers_end = find_within(
            &headers_end_finder,
            body,
            headers_start,
            MAX_PART_HEADER_BYTES,
        )
        .ok_or_else(|| malformed("unterminated or oversized part headers"))?;
        let headers = String::from_utf8_lossy(&body[headers_start..headers_end]).into_owned();
        let data_start = headers_end + 4;
        let data_end = find(&data_end_finder, body, data_start)
            .ok_or_else(|| malformed("missing closing boundary"))?;
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            data: body.slice(data_start..data_end),
        };
        for line in headers.split("\r\n") {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let name = name.trim();
            if name.eq_ignore_ascii_case("content-disposition") {
                let (name, file_name) = crate::disposition::name_and_file_name(value);
                part.name = name.unwrap_or_default();
                part.file_name = file_name;
            } else if name.eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.trim().to_owned());
            }
        }
        if part.name.is_empty() {
            return Err(malformed("a part has no name"));
        }
        parts.push(part);
        at = data_end + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fields_and_a_file() {
        let body = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"roomId\"\r\n\r\nR1\r\n\
              --XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a b.txt\"\r\n\
              Content-Type: text/plain\r\n\r\nline\r\n--Xy\r\nend\r\n--XyZ--\r\n",
        );
        let boundary = boundary("multipart/form-data; boundary=XyZ")
            .unwrap()
            .unwrap();
        let parts = parse(&body, &boundary).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "roomId");
        assert_eq!(parts[0].text(), "R1");
        assert_eq!(parts[1].file_name.as_deref(), Some("a b.txt"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(&parts[1].data[..], b"line\r\n--Xy\r\nend");
    }

    #[test]
    fn a_long_boundary_among_near_matches_is_found_in_linear_time() {
        // A preamble of near-matches of the 40 002-byte delimiter, each one byte short: a search
        // that compares the delimiter at every position costs 20 000 comparisons per byte here.
        let boundary = "-".repeat(40_000);
        let near_match = format!("{}x", "-".repeat(40_001));
        let body = format!(
            "{}--{boundary}\r\ncontent-disposition: form-data; name=\"text\"\r\n\r\nhello\r\n\
             --{boundary}--\r\n",
            near_match.repeat(300)
        );
        let started = std::time::Instant::now();
        let parts = parse(&Bytes::from(body), &boundary).unwrap();
        let took = started.elapsed();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].text(), "hello");
        assert!(took < std::time::Duration::from_secs(2), "took {took:?}");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse(&Bytes::from_static(b"nothing"), "b").is_err());
        assert_eq!(boundary("application/json").unwrap(), None);
        assert!(boundary("multipart/form-data").is_err());
        assert!(boundary("multipart/form-data; boundary=").is_err());
        let longest = format!("multipart/form-data; boundary=\"{}\"", "b".repeat(70));
        assert_eq!(boundary(&longest).unwrap().unwrap().len(), 70);
        let too_long = format!("multipart/form-data; boundary={}", "b".repeat(71));
        assert_eq!(
            boundary(&too_long).unwrap_err().status,
            http::StatusCode::BAD_REQUEST
        );
    }
}
