//! The parameters of a form part's `Content-Disposition` header (`form-data; name="files";
//! filename="a;b.txt"`), read so that any file name a person can type survives: quoted strings
//! may hold `;`, `=` and escaped quotes (RFC 7578 §4.2, RFC 2045 quoted-string), raw UTF-8 is
//! kept as browsers and most clients send it, and `filename*=UTF-8''...` (RFC 5987 / RFC 8187)
//! wins over `filename` when both are given.

/// The `name` and file name of a part, from its `Content-Disposition` value.
pub(crate) fn name_and_file_name(value: &str) -> (Option<String>, Option<String>) {
    let mut name = None;
    let mut file_name = None;
    let mut extended = None;
    for (key, value) in params(value) {
        match key.to_ascii_lowercase().as_str() {
            "name" => name = Some(value),
            "filename" => file_name = Some(value),
            "filename*" => extended = decode_extended(&value),
            _ => {}
        }
    }
    (name, extended.or(file_name))
}

/// The `key=value` parameters after the disposition type, values unquoted.
fn params(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    // Skip the disposition type.
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ';') {
            chars.next();
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ';' {
                break;
            }
            key.push(c);
            chars.next();
        }
        if key.is_empty() && chars.peek().is_none() {
            return out;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => value.extend(chars.next()),
                        c => value.push(c),
                    }
                }
                // Anything between the closing quote and the next `;` is dropped.
                while chars.peek().is_some_and(|c| *c != ';') {
                    chars.next();
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ';' {
                        break;
                    }
                    value.push(c);
                    chars.next();
                }
                value = value.trim_end().to_owned();
            }
        }
        let key = key.trim().to_owned();
        if !key.is_empty() {
            out.push((key, value));
        }
        if chars.peek().is_none() {
            return out;
        }
    }
}

/// Decodes `UTF-8'lang'percent-encoded` (RFC 8187); `None` for another charset or bad bytes.
fn decode_extended(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?;
    let _language = parts.next()?;
    let encoded = parts.next()?;
    if !charset.eq_ignore_ascii_case("utf-8") {
        return None;
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            // Exactly two hex digits (RFC 3986 section 2.1): `u8::from_str_radix` alone would
            // also take a sign, reading `%+1` as the byte 0x01.
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_person_can_type() {
        let cases = [
            (r#"form-data; name="files"; filename="a;b.txt""#, "a;b.txt"),
            (
                r#"form-data; name="files"; filename="say \"hi\".txt""#,
                r#"say "hi".txt"#,
            ),
            (
                r#"form-data; name="files"; filename="résumé.pdf""#,
                "résumé.pdf",
            ),
            (
                r#"form-data; name="files"; filename=plain.txt"#,
                "plain.txt",
            ),
            (
                r#"form-data; name="files"; filename="a=b; c.txt""#,
                "a=b; c.txt",
            ),
            (
                r#"form-data; name="files"; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"#,
                "résumé.pdf",
            ),
        ];
        for (header, expected) in cases {
            let (name, file_name) = name_and_file_name(header);
            assert_eq!(name.as_deref(), Some("files"), "{header}");
            assert_eq!(file_name.as_deref(), Some(expected), "{header}");
        }
        assert_eq!(
            name_and_file_name("form-data; name=roomId"),
            (Some("roomId".to_owned()), None)
        );
        assert_eq!(name_and_file_name("form-data"), (None, None));
        // A `%` without two hex digits makes `filename*` unreadable: `filename` is taken.
        for bad in ["100%+1", "100%-1", "a%2", "%4g"] {
            assert_eq!(
                name_and_file_name(&format!(
                    "form-data; name=f; filename=plain.txt; filename*=UTF-8''{bad}"
                ))
                .1
                .as_deref(),
                Some("plain.txt"),
                "{bad}"
            );
        }
        assert_eq!(
            name_and_file_name(r#"form-data; name="unterminated"#)
                .0
                .as_deref(),
            Some("unterminated")
        );
    }
}
