//! A small `multipart/form-data` parser, enough for `POST /messages` with a file.
//!
//! The whole body is in memory (the server reads it up to the 100 MB file limit plus room for
//! the text fields); parts are slices of it, so the file's bytes are not copied.
//!
//! Parsing takes time linear in the body, whatever the boundary and the bytes: delimiters are
//! found with `memchr::memmem` (linear in the worst case, unlike comparing the delimiter at each
//! position), each byte of a part's data is searched once, a part's headers are looked for only
//! in a bounded window, and a form has a bounded number of parts. Boundaries are 1 to 70
//! characters, as RFC 2046 says. [`read_form`] counts the bytes each step looks at, so that tests
//! and fuzzing can check it.

use std::fmt;

use bytes::Bytes;
use memchr::memmem;

use crate::errors::Failure;

/// The longest boundary RFC 2046 allows.
const MAX_BOUNDARY_CHARS: usize = 70;

/// The most parts a form may have (a message takes seven fields).
const MAX_PARTS: usize = 64;

/// The most bytes of a part's headers.
const MAX_PART_HEADER_BYTES: usize = 8 * 1024;

/// The most bytes after a delimiter before its line ends (transport padding).
const MAX_DELIMITER_PADDING: usize = 1024;

/// Why a form body or its content type was refused; the emulator answers it with 400 and this
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    message: String,
}

impl FormError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    fn malformed(what: &str) -> Self {
        Self::new(format!("The multipart body is malformed: {what}."))
    }

    /// The message the emulator answers with.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FormError {}

impl From<FormError> for Failure {
    fn from(error: FormError) -> Self {
        Failure::bad_request(error.message)
    }
}

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The field name.
    pub name: String,
    /// The file name, for a file part.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if given.
    pub content_type: Option<String>,
    /// The part's bytes (a slice of the body).
    pub data: Bytes,
}

impl Part {
    /// The part's bytes as text (lossy).
    pub fn text(&self) -> String {
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
/// an error (400) for a form without a boundary or with one longer than RFC 2046's 70
/// characters.
pub(crate) fn boundary(content_type: &str) -> Result<Option<String>, FormError> {
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
        Some(_) => Err(FormError::new(format!(
            "The multipart boundary must be 1 to {MAX_BOUNDARY_CHARS} characters long (RFC 2046)."
        ))),
        None => Err(FormError::new(
            "A multipart/form-data body needs a boundary parameter.",
        )),
    }
}

/// Reads a form body as `POST /messages` does: the boundary from `content_type`, then the
/// parts of `body`, with the same code the route runs. Public (and hidden) only so that the
/// property tests reading back what spark-api's uploads write, and the fuzz target, reach it
/// from outside the crate.
///
/// `examined` grows by the bytes the parser looks at: twice the content type (finding the
/// media type and the boundary), each search's bytes up to where it stops (the needle's
/// included), and three times each part's header bytes (read as text, split into lines, read
/// for their parameters). The regions searched do not overlap, so it grows by at most four
/// times the body's length plus twice the content type's, whatever the input: the parser's work
/// is linear.
///
/// # Errors
///
/// A [`FormError`] (the emulator's 400) for a content type that is not `multipart/form-data`
/// with a boundary of 1 to 70 characters, or a body that is not a form delimited by it: no
/// delimiter, a delimiter line or part headers not ended in time, a part without a name, more
/// than 64 parts, no closing delimiter.
pub fn read_form(
    content_type: &str,
    body: &Bytes,
    examined: &mut usize,
) -> Result<Vec<Part>, FormError> {
    *examined += 2 * content_type.len();
    let boundary = boundary(content_type)?
        .ok_or_else(|| FormError::new("The body is not multipart/form-data."))?;
    parse_counting(body, &boundary, examined)
}

/// A search of `haystack` from `from`, over at most `window` bytes, that adds to `examined`
/// the bytes it looked at: up to the end of the match, or the whole window.
struct Search<'a> {
    finder: memmem::Finder<'a>,
}

impl<'a> Search<'a> {
    fn new(needle: &'a [u8]) -> Self {
        Self {
            finder: memmem::Finder::new(needle),
        }
    }

    fn find(
        &self,
        haystack: &[u8],
        from: usize,
        window: usize,
        examined: &mut usize,
    ) -> Option<usize> {
        let end = haystack.len().min(from.saturating_add(window));
        let searched = haystack.get(from..end)?;
        match self.finder.find(searched) {
            Some(at) => {
                *examined += at + self.finder.needle().len();
                Some(from + at)
            }
            None => {
                *examined += searched.len();
                None
            }
        }
    }
}

/// Splits a form body into its parts.
pub(crate) fn parse(body: &Bytes, boundary: &str) -> Result<Vec<Part>, FormError> {
    parse_counting(body, boundary, &mut 0)
}

/// [`parse`], adding to `examined` the bytes it looks at (see [`read_form`]).
fn parse_counting(
    body: &Bytes,
    boundary: &str,
    examined: &mut usize,
) -> Result<Vec<Part>, FormError> {
    let malformed = FormError::malformed;
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");
    let first_delimiter = Search::new(delimiter.as_bytes());
    let data_end_finder = Search::new(next_delimiter.as_bytes());
    let line_end_finder = Search::new(b"\r\n");
    let headers_end_finder = Search::new(b"\r\n\r\n");
    let mut at = first_delimiter
        .find(body, 0, usize::MAX, examined)
        .ok_or_else(|| malformed("no boundary"))?;
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
        let line_end = line_end_finder
            .find(body, at, MAX_DELIMITER_PADDING, examined)
            .ok_or_else(|| malformed("unterminated boundary"))?;
        let headers_start = line_end + 2;
        // A part may have no header lines at all: the delimiter line's CRLF, then an empty line.
        let (headers_end, data_start) = if body[headers_start..].starts_with(b"\r\n") {
            (headers_start, headers_start + 2)
        } else {
            let end = headers_end_finder
                .find(body, headers_start, MAX_PART_HEADER_BYTES, examined)
                .ok_or_else(|| malformed("unterminated or oversized part headers"))?;
            (end, end + 4)
        };
        *examined += 3 * (headers_end - headers_start);
        let headers = String::from_utf8_lossy(&body[headers_start..headers_end]).into_owned();
        let data_end = data_end_finder
            .find(body, data_start, usize::MAX, examined)
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
    fn a_part_without_headers_has_no_name() {
        // The empty line right after the delimiter line ends the part's headers: what follows
        // is its data, not headers, however it looks.
        let body = Bytes::from_static(
            b"--B\r\n\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--B--\r\n",
        );
        assert_eq!(
            parse(&body, "B").unwrap_err(),
            FormError::malformed("a part has no name")
        );
    }

    #[test]
    fn the_bytes_looked_at_are_counted() {
        let body = Bytes::from_static(
            b"preamble\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
              --B  \r\ncontent-disposition: form-data; name=\"b\"\r\n\r\n\r\n--B--\r\nepilogue",
        );
        let content_type = "multipart/form-data; boundary=B";
        let mut examined = 0;
        let parts = read_form(content_type, &body, &mut examined).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].text().as_str(), parts[1].text().as_str()),
            ("1", "")
        );
        // Searched up to the closing delimiter, none of it twice; headers three times.
        let searched = body.len() - "--\r\nepilogue".len();
        let headers = 2 * "content-disposition: form-data; name=\"a\"".len();
        assert_eq!(examined, 2 * content_type.len() + searched + 3 * headers);

        let mut examined = 0;
        let refused = read_form("text/plain", &body, &mut examined);
        assert_eq!(
            refused.unwrap_err().message(),
            "The body is not multipart/form-data."
        );
        assert_eq!(examined, 2 * "text/plain".len());
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
        let refusal = Failure::from(boundary(&too_long).unwrap_err());
        assert_eq!(refusal.status, http::StatusCode::BAD_REQUEST);
        assert!(
            refusal.message.contains("1 to 70 characters"),
            "{}",
            refusal.message
        );
    }
}
