//! `multipart/form-data` bodies (RFC 7578) as uploads write them: each part's head, the closing
//! delimiter, and a boundary that occurs in none of the contents known when the form is written.
//!
//! A part is `--boundary` CRLF, its header lines, an empty line, its bytes and CRLF; the form
//! ends with `--boundary--` CRLF (RFC 2046 section 5.1.1). Names and file names are quoted
//! strings: `\` is escaped as `\\` (RFC 2045's quoted-string, as the Python SDK's urllib3
//! writes it too), `"` is sent as `'` (no escape for it is read alike by every server), and CR
//! and LF are left out (a header holds no line break).

use memchr::memmem;

use crate::error::{Error, Result};

/// The longest boundary RFC 2046 allows.
const MAX_BOUNDARY_CHARS: usize = 70;

/// One part of a form, for [`encode_form`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormPart<'a> {
    /// The field name (the `name` of its `Content-Disposition`).
    pub name: &'a str,
    /// For a file part, its file name and media type.
    pub file: Option<(&'a str, &'a str)>,
    /// The part's bytes.
    pub data: &'a [u8],
}

/// Writes `parts` as a `multipart/form-data` body delimited by `boundary`, the way an upload
/// ([`Messages::upload`](crate::Messages::upload)) writes its form: names and file names as the
/// module says, a media type without CR, LF and the spaces and tabs around it.
///
/// # Errors
///
/// [`Error::InvalidArgument`] when `boundary` is not 1 to 70 of RFC 2046's characters (letters,
/// digits, `'()+_,-./:=?` and spaces, not ending in a space), when a part's name is empty as
/// written, or when a part's bytes hold the delimiter (CRLF `--boundary`, or `--boundary` at
/// their start), which would end the part there.
pub fn encode_form(parts: &[FormPart<'_>], boundary: &str) -> Result<Vec<u8>> {
    if !is_boundary(boundary) {
        return Err(Error::InvalidArgument(format!(
            "{boundary:?} is not a multipart boundary (RFC 2046: 1 to {MAX_BOUNDARY_CHARS} letters, digits or '()+_,-./:=? and spaces, not ending in a space)"
        )));
    }
    let mut body = Vec::new();
    let mut head = String::new();
    for part in parts {
        if quoted(part.name).is_empty() {
            return Err(Error::InvalidArgument(format!(
                "the form field name {:?} is empty as written",
                part.name
            )));
        }
        if holds_delimiter(part.data, boundary) {
            return Err(Error::InvalidArgument(format!(
                "the bytes of the form field {:?} hold the boundary {boundary:?}",
                part.name
            )));
        }
        head.clear();
        part_head(&mut head, boundary, part.name, part.file);
        body.extend_from_slice(head.as_bytes());
        body.extend_from_slice(part.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok(body)
}

/// Appends the head of a part to `out`: its delimiter line, its `Content-Disposition` (and
/// `Content-Type` for a file part: `file` is its file name and media type) and the empty line
/// after them, up to its first byte. The part's bytes and a CRLF follow, then the next part's
/// head; after the last part's bytes comes [`closing`] (its CRLF included).
pub(crate) fn part_head(out: &mut String, boundary: &str, name: &str, file: Option<(&str, &str)>) {
    out.push_str("--");
    out.push_str(boundary);
    out.push_str("\r\nContent-Disposition: form-data; name=\"");
    out.push_str(&quoted(name));
    out.push('"');
    if let Some((file_name, content_type)) = file {
        out.push_str("; filename=\"");
        out.push_str(&quoted(file_name));
        out.push_str("\"\r\nContent-Type: ");
        let content_type: String = content_type
            .chars()
            .filter(|c| !matches!(c, '\r' | '\n'))
            .collect();
        out.push_str(content_type.trim_matches([' ', '\t']));
    }
    out.push_str("\r\n\r\n");
}

/// What follows the last part's bytes: CRLF and the closing delimiter.
pub(crate) fn closing(boundary: &str) -> String {
    format!("\r\n--{boundary}--\r\n")
}

/// A new boundary (`spark-boundary-` and a suffix unique to this call) that none of `contents`
/// holds as a delimiter. A file streamed from disk is not read ahead to check: the boundary is
/// new to the call (the process, the time in nanoseconds and a counter), so a file holds it only
/// if it was made to.
pub(crate) fn new_boundary(contents: &[&[u8]]) -> String {
    free_boundary(contents, || {
        format!("spark-boundary-{}", crate::unique::unique_suffix())
    })
}

/// The first boundary from `candidate` that none of `contents` holds as a delimiter. Each
/// unique suffix makes another boundary of the same length, and contents of n bytes hold at
/// most n of them: with [`new_boundary`]'s candidates, the loop ends.
fn free_boundary(contents: &[&[u8]], mut candidate: impl FnMut() -> String) -> String {
    loop {
        let boundary = candidate();
        if !contents
            .iter()
            .any(|content| holds_delimiter(content, &boundary))
        {
            return boundary;
        }
    }
}

/// Whether `data`, as a part's bytes, would end early: it holds CRLF `--boundary`, or starts
/// with `--boundary` (which the CRLF before a part's bytes would make a delimiter). Linear in
/// `data`.
fn holds_delimiter(data: &[u8], boundary: &str) -> bool {
    let dashed = format!("--{boundary}");
    data.starts_with(dashed.as_bytes())
        || memmem::find(data, format!("\r\n{dashed}").as_bytes()).is_some()
}

/// Whether `boundary` is one RFC 2046 allows: 1 to 70 `bchars`, the last not a space.
fn is_boundary(boundary: &str) -> bool {
    let bchar = |byte: u8| byte.is_ascii_alphanumeric() || b"'()+_,-./:=? ".contains(&byte);
    (1..=MAX_BOUNDARY_CHARS).contains(&boundary.len())
        && boundary.bytes().all(bchar)
        && !boundary.ends_with(' ')
}

/// A name or file name as written inside a quoted string: `\` escaped, `"` as `'`, no CR or LF.
fn quoted(name: &str) -> String {
    let mut quoted = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '\r' | '\n' => {}
            '"' => quoted.push('\''),
            '\\' => quoted.push_str("\\\\"),
            c => quoted.push(c),
        }
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(data: &[u8]) -> FormPart<'_> {
        FormPart {
            name: "files",
            file: Some(("a\\b \"c\"\r\n.txt", " text/plain\r\n ")),
            data,
        }
    }

    #[test]
    fn a_form_is_framed_as_rfc_2046_says() {
        let text = FormPart {
            name: "text",
            file: None,
            data: b"hi",
        };
        let body = encode_form(&[text, file(b"x")], "B").unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "--B\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n\
             --B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\\\\b 'c'.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nx\r\n--B--\r\n"
        );
        assert_eq!(encode_form(&[], "B").unwrap(), b"--B--\r\n");
    }

    #[test]
    fn bytes_holding_the_delimiter_are_refused_and_near_misses_are_not() {
        for refused in [&b"a\r\n--B"[..], b"--B", b"--Bx", b"x\r\n--B--\r\n"] {
            assert!(
                matches!(
                    encode_form(&[file(refused)], "B"),
                    Err(Error::InvalidArgument(_))
                ),
                "{refused:?}"
            );
        }
        for kept in [&b"a\n--B"[..], b"a\r--B", b"a\r\n-B", b"x--B", b"\r\n--A"] {
            assert!(encode_form(&[file(kept)], "B").is_ok(), "{kept:?}");
        }
    }

    #[test]
    fn boundaries_and_names_are_checked() {
        let (longest, too_long) = ("b".repeat(70), "b".repeat(71));
        for bad in ["", "a b ", "a;b", "a\"b", "é", too_long.as_str()] {
            assert!(encode_form(&[], bad).is_err(), "{bad:?}");
        }
        for good in ["a b", " a", "'()+_,-./:=?", longest.as_str()] {
            assert!(encode_form(&[], good).is_ok(), "{good:?}");
        }
        let unnamed = FormPart {
            name: "\r\n",
            file: None,
            data: b"",
        };
        assert!(encode_form(&[unnamed], "B").is_err());
    }

    #[test]
    fn a_new_boundary_is_not_in_the_contents() {
        let first = new_boundary(&[]);
        assert!(first.starts_with("spark-boundary-"));
        assert!(is_boundary(&first), "{first}");
        assert_ne!(new_boundary(&[]), first);

        let mut candidates = ["B", "C", "D"].into_iter().map(str::to_owned);
        let mut next = || candidates.next().expect("a candidate left");
        assert_eq!(
            free_boundary(&[&b"text"[..], b"x\r\n--B\r\n", b"--Cy"], &mut next),
            "D"
        );
    }
}
