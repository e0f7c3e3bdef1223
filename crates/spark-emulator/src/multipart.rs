//! A small `multipart/form-data` parser, enough for `POST /messages` with a file.
//!
//! The whole body is in memory (the server reads it up to the 100 MB file limit plus room for
//! the text fields); parts are slices of it, so the file's bytes are not copied.

use bytes::Bytes;

use crate::errors::{Failure, Outcome};

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

/// The boundary of a `multipart/form-data` content type, if it is one.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let media = params.next()?.trim();
    if !media.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = from;
    while at + needle.len() <= haystack.len() {
        let offset = haystack[at..].iter().position(|byte| *byte == first)?;
        at += offset;
        if at + needle.len() > haystack.len() {
            return None;
        }
        if &haystack[at..at + needle.len()] == needle {
            return Some(at);
        }
        at += 1;
    }
    None
}

fn malformed(what: &str) -> Failure {
    Failure::bad_request(format!("The multipart body is malformed: {what}."))
}

/// Splits a form body into its parts.
pub(crate) fn parse(body: &Bytes, boundary: &str) -> Outcome<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");
    let mut at = find(body, delimiter.as_bytes(), 0).ok_or_else(|| malformed("no boundary"))?;
    let mut parts = Vec::new();
    loop {
        at += delimiter.len();
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        // Skip the rest of the delimiter line (transport padding, then CRLF).
        let line_end = find(body, b"\r\n", at).ok_or_else(|| malformed("unterminated boundary"))?;
        let headers_start = line_end + 2;
        let headers_end = find(body, b"\r\n\r\n", headers_start)
            .ok_or_else(|| malformed("unterminated part headers"))?;
        let headers = String::from_utf8_lossy(&body[headers_start..headers_end]).into_owned();
        let data_start = headers_end + 4;
        let data_end = find(body, next_delimiter.as_bytes(), data_start)
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
                for param in value.split(';').skip(1) {
                    let Some((key, value)) = param.split_once('=') else {
                        continue;
                    };
                    let value = value.trim().trim_matches('"').to_owned();
                    match key.trim().to_ascii_lowercase().as_str() {
                        "name" => part.name = value,
                        "filename" => part.file_name = Some(value),
                        _ => {}
                    }
                }
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
        let boundary = boundary("multipart/form-data; boundary=XyZ").unwrap();
        let parts = parse(&body, &boundary).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "roomId");
        assert_eq!(parts[0].text(), "R1");
        assert_eq!(parts[1].file_name.as_deref(), Some("a b.txt"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(&parts[1].data[..], b"line\r\n--Xy\r\nend");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse(&Bytes::from_static(b"nothing"), "b").is_err());
        assert_eq!(boundary("application/json"), None);
    }
}
