//! The emulator's `multipart/form-data` reader on any bytes under any boundary: it never
//! panics, the bytes it looks at stay within four times the body plus twice the content type
//! (its work is linear), and the parts it gives are pieces of the body. A form it reads is
//! written again by spark-api's upload writer and read back as the same parts (names as the
//! writer writes them: a `"` as `'`, line breaks left out).
//!
//! Input: one byte giving the boundary's length, the boundary (as text, lossily), then the
//! body.

#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use spark_api::forms::{FormPart, encode_form};
use spark_emulator::forms::{Part, read_form};

/// A name as spark-api's writer writes it, so as it reads back.
fn as_written(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '\r' | '\n'))
        .map(|c| if c == '"' { '\'' } else { c })
        .collect()
}

/// Reads `body` under `boundary`, checking what holds for any input.
fn read(boundary: &str, body: &Bytes) -> Option<Vec<Part>> {
    let content_type = format!("multipart/form-data; boundary=\"{boundary}\"");
    let mut examined = 0;
    let read = read_form(&content_type, body, &mut examined);
    assert!(
        examined <= 4 * body.len() + 2 * content_type.len(),
        "{examined} bytes looked at for a body of {} bytes",
        body.len()
    );
    let parts = read.ok()?;
    assert!(parts.len() <= 64);
    let range = body.as_ptr_range();
    for part in &parts {
        assert!(!part.name.is_empty(), "a part without a name was read");
        let data = part.data.as_ptr_range();
        assert!(
            part.data.is_empty() || (range.start <= data.start && data.end <= range.end),
            "a part's bytes are not a piece of the body"
        );
    }
    Some(parts)
}

fuzz_target!(|data: &[u8]| {
    let Some((&length, rest)) = data.split_first() else {
        return;
    };
    let (boundary, body) = rest.split_at(usize::from(length).min(rest.len()));
    let boundary = String::from_utf8_lossy(boundary);
    let Some(parts) = read(&boundary, &Bytes::copy_from_slice(body)) else {
        return;
    };

    // Written again by spark-api (when it takes the parts: a name empty as written, bytes
    // holding the delimiter and a boundary outside RFC 2046's characters are refused), and read
    // back.
    let media: Vec<String> = parts
        .iter()
        .map(|part| part.content_type.clone().unwrap_or_default())
        .collect();
    let form: Vec<FormPart<'_>> = parts
        .iter()
        .zip(&media)
        .map(|(part, media)| FormPart {
            name: &part.name,
            file: part
                .file_name
                .as_deref()
                .map(|file_name| (file_name, media.as_str())),
            data: &part.data,
        })
        .collect();
    let Ok(written) = encode_form(&form, &boundary) else {
        return;
    };
    let again = read(&boundary, &Bytes::from(written)).expect("a form spark-api wrote is read");
    assert_eq!(again.len(), parts.len());
    for (first, second) in parts.iter().zip(&again) {
        assert_eq!(second.name, as_written(&first.name));
        assert_eq!(second.file_name, first.file_name.as_deref().map(as_written));
        assert_eq!(second.data, first.data);
    }
});
