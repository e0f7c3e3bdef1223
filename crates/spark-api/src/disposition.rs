//! The file name in a `Content-Disposition` header (RFC 6266): the extended `filename*`
//! parameter (RFC 8187's `charset'language'value-chars`) first, else the plain `filename`.
//!
//! The value comes from the server, so the reader takes any text: it never panics, and the name
//! it gives is never longer than the value it was read from.

/// The file name in a `Content-Disposition` value: `filename*` first (RFC 8187: a charset,
/// `'`, an optional language tag, `'`, then the percent-encoded name, e.g.
/// `UTF-8'en'%E2%82%AC%20rates.pdf`), else `filename` (a token or a quoted string).
///
/// `filename*` is read in UTF-8 (invalid sequences replaced by U+FFFD) or ISO-8859-1; one in
/// another charset, or without its two `'`, is passed over for `filename`. A `%` that two hex
/// digits do not follow is kept as it is, not decoded.
pub fn file_name_of(disposition: &str) -> Option<String> {
    let params = params(disposition);
    let named = |wanted: &str| {
        params
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.as_str())
    };
    named("filename*")
        .and_then(decode_ext_value)
        .or_else(|| named("filename").map(str::to_owned))
}

/// The `name=value` parameters after the disposition type; quoted values are unquoted (with
/// `\"` escapes), and a `;` inside quotes does not end a parameter.
fn params(disposition: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut rest = disposition.split_once(';').map_or("", |(_, params)| params);
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        let Some((name, after_name)) = rest.split_once('=') else {
            return params;
        };
        let after_name = after_name.trim_start();
        let (value, after_value) = match after_name.strip_prefix('"') {
            Some(quoted) => unquote(quoted),
            None => {
                let end = after_name.find(';').unwrap_or(after_name.len());
                (after_name[..end].trim_end().to_owned(), &after_name[end..])
            }
        };
        params.push((name.trim().to_owned(), value));
        rest = after_value;
    }
}

/// Reads a quoted string (its opening quote already consumed); returns it and what follows.
fn unquote(quoted: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            '"' => return (value, &quoted[index + 1..]),
            other => value.push(other),
        }
    }
    (value, "")
}

/// The character sets a `filename*` is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    Utf8,
    Latin1,
}

/// Decodes RFC 8187's `ext-value`: `charset "'" [ language ] "'" value-chars`. `None` for a
/// charset other than UTF-8 and ISO-8859-1, or a value without its two `'`.
fn decode_ext_value(ext_value: &str) -> Option<String> {
    let (charset, rest) = ext_value.split_once('\'')?;
    // The language tag (RFC 5646) says nothing about the name's bytes: it is passed over.
    let (_language, encoded) = rest.split_once('\'')?;
    let charset = match charset.trim() {
        name if name.eq_ignore_ascii_case("UTF-8") => Charset::Utf8,
        name if name.eq_ignore_ascii_case("ISO-8859-1") => Charset::Latin1,
        _ => return None,
    };
    Some(percent_decode(encoded, charset))
}

/// Decodes `%XX` escapes (RFC 3986 section 2.1: a `%` and exactly two hex digits) and nothing
/// else: a `+` stays a `+`, and a `%` without two hex digits after it stays a `%`. The decoded
/// bytes are read in `charset`: in UTF-8, invalid sequences become U+FFFD; in ISO-8859-1, each
/// escaped byte is the character of that code point (characters written as they are stay so).
fn percent_decode(text: &str, charset: Charset) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match escaped_byte(bytes, index) {
            Some(byte) => {
                match charset {
                    Charset::Utf8 => decoded.push(byte),
                    // U+0080 to U+00FF take two bytes in UTF-8, as many as the three of `%XX`
                    // would allow.
                    Charset::Latin1 => {
                        let mut buffer = [0; 2];
                        decoded.extend_from_slice(
                            char::from(byte).encode_utf8(&mut buffer).as_bytes(),
                        );
                    }
                }
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The byte escaped at `index`, when `bytes[index..]` starts with `%` and two hex digits.
fn escaped_byte(bytes: &[u8], index: usize) -> Option<u8> {
    match bytes.get(index..index + 3)? {
        [b'%', high, low] => Some((hex_value(*high)? << 4) | hex_value(*low)?),
        _ => None,
    }
}

/// The value of one hex digit, in either case.
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_content_disposition() {
        assert_eq!(
            file_name_of(r#"attachment; filename="report.pdf""#).as_deref(),
            Some("report.pdf")
        );
        assert_eq!(
            file_name_of("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt").as_deref(),
            Some("résumé.txt")
        );
        assert_eq!(file_name_of("inline"), None);
    }

    #[test]
    fn file_names_keep_plus_signs_and_quoted_separators() {
        assert_eq!(
            file_name_of("attachment; filename*=UTF-8''a+b.txt").as_deref(),
            Some("a+b.txt")
        );
        assert_eq!(
            file_name_of("attachment; filename*=UTF-8''a+b%20c.txt").as_deref(),
            Some("a+b c.txt")
        );
        assert_eq!(
            file_name_of(r#"attachment; filename="a;b.pdf"; size=3"#).as_deref(),
            Some("a;b.pdf")
        );
        assert_eq!(
            file_name_of(r#"attachment; filename="say \"hi\".txt""#).as_deref(),
            Some(r#"say "hi".txt"#)
        );
        assert_eq!(
            file_name_of(
                r#"attachment; filename="plain.txt"; filename*=UTF-8''fancy%E2%9C%93.txt"#
            )
            .as_deref(),
            Some("fancy✓.txt")
        );
        assert_eq!(
            file_name_of("attachment; filename=bare.txt").as_deref(),
            Some("bare.txt")
        );
        assert_eq!(
            file_name_of("attachment; filename*=UTF-8''100%").as_deref(),
            Some("100%")
        );
    }

    #[test]
    fn a_percent_sign_needs_exactly_two_hex_digits() {
        for (encoded, name) in [
            ("100%+1", "100%+1"),
            ("100%-1", "100%-1"),
            ("a%2", "a%2"),
            ("a%%41", "a%A"),
            ("%4g%41", "%4gA"),
            ("%e2%82%ac", "€"),
        ] {
            assert_eq!(
                file_name_of(&format!("attachment; filename*=UTF-8''{encoded}")).as_deref(),
                Some(name),
                "{encoded}"
            );
        }
    }

    #[test]
    fn a_language_tag_and_the_charset_are_read() {
        assert_eq!(
            file_name_of("attachment; filename*=UTF-8'en'%E2%82%AC%20rates.pdf").as_deref(),
            Some("€ rates.pdf")
        );
        assert_eq!(
            file_name_of("attachment; filename*=utf-8'de-CH'%C3%BCber.txt").as_deref(),
            Some("über.txt")
        );
        assert_eq!(
            file_name_of("attachment; filename*=iso-8859-1'en'%A3%20rates").as_deref(),
            Some("£ rates")
        );
        // Another charset, or a value without its two quotes: `filename` is read instead.
        assert_eq!(
            file_name_of(r#"attachment; filename*=KOI8-R''%E1; filename="a.txt""#).as_deref(),
            Some("a.txt")
        );
        assert_eq!(
            file_name_of(r#"attachment; filename*=UTF-8'r%C3%A9sum%C3%A9; filename=b.txt"#)
                .as_deref(),
            Some("b.txt")
        );
        assert_eq!(file_name_of("attachment; filename*=noquotes.txt"), None);
    }
}
