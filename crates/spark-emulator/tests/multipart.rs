//! Properties of the emulator's `multipart/form-data` reader, against the writer spark-api's
//! uploads use:
//!
//! - any set of parts (names and file names with quotes, backslashes, `;`, non-ASCII and line
//!   breaks; bytes full of near-delimiters) that spark-api writes is read back as the same parts,
//!   names as written (a `"` sent as `'`, line breaks left out); the writer refuses exactly the
//!   parts whose bytes hold the delimiter, and an empty name;
//! - any bytes under any boundary, and forms of up to 65 parts, are read without panicking, to
//!   parts that are pieces of the body, and the bytes the reader looks at stay within four times
//!   the body plus twice the content type: its work is linear, whatever the input (counted, not
//!   timed).

use bytes::Bytes;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use spark_api::Error;
use spark_api::forms::{FormPart, encode_form};
use spark_emulator::forms::{Part, read_form};

/// 256 cases a property unless `PROPTEST_CASES` says otherwise; no regression files.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A boundary as RFC 2046 allows it: 1 to 70 of its characters, the last not a space.
fn boundary() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9'()+_,./:=? -]{0,69}[A-Za-z0-9'()+_,./:=?-]",
        "-{1,10}",
        Just("spark-boundary-1f2e3d".to_owned()),
    ]
}

/// A name or file name a person might type: plain words, any text, and the characters that
/// quoting has to deal with.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_]{1,12}",
        ".{1,12}",
        "[\"\\\\;=, \t\r\na-z\u{e9}\u{65e5}]{1,12}",
    ]
}

/// A media type, tidy or not (spaces and tabs around it, line breaks in it).
fn content_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("text/plain".to_owned()),
        Just("application/octet-stream".to_owned()),
        "[ \t]{0,2}[a-z]{1,8}/[a-z.+-]{1,10}(; charset=utf-8)?[ \t]{0,2}",
        "[ -~\t\r\n]{0,16}",
    ]
}

/// Bytes made of pieces that look like the delimiter of `boundary` without being it (most of
/// the time: pieces side by side may make it, and a few pieces are it), line breaks, dashes and
/// arbitrary bytes.
fn data(boundary: &str) -> impl Strategy<Value = Vec<u8>> + use<> {
    let dashed = format!("--{boundary}");
    let delimiter = format!("\r\n{dashed}");
    let mut near: Vec<Vec<u8>> = vec![
        b"\r\n".to_vec(),
        b"\r".to_vec(),
        b"\n".to_vec(),
        b"--".to_vec(),
        b"\r\n--".to_vec(),
        b"\r\n\r\n".to_vec(),
        dashed.as_bytes().to_vec(),
        format!("\n{dashed}").into_bytes(),
        format!("\r{dashed}").into_bytes(),
        format!("\r\n-{boundary}").into_bytes(),
    ];
    // Every proper prefix of the delimiter, and the delimiter with its last byte changed.
    for end in 1..delimiter.len() {
        near.push(delimiter.as_bytes()[..end].to_vec());
    }
    let mut changed = delimiter.clone().into_bytes();
    if let Some(last) = changed.last_mut() {
        *last ^= 0x20;
    }
    near.push(changed);
    // The delimiter itself is rare enough for most forms to be written, and common enough for
    // refusals to be tested (see `most_generated_forms_are_written_and_read_back`).
    let piece = prop_oneof![
        40 => proptest::sample::select(near),
        20 => proptest::collection::vec(any::<u8>(), 0..16),
        1 => Just(delimiter.into_bytes()),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// One part to write: name, maybe a file name and media type, bytes.
type Written = (String, Option<(String, String)>, Vec<u8>);

/// A boundary and up to eight parts whose bytes play with it.
fn form() -> impl Strategy<Value = (String, Vec<Written>)> {
    boundary().prop_flat_map(|boundary| {
        let part = (
            name(),
            proptest::option::of((prop_oneof![Just(String::new()), name()], content_type())),
            data(&boundary),
        );
        (Just(boundary), proptest::collection::vec(part, 0..8))
    })
}

/// A name or file name as spark-api writes it, so as it reads back: `"` as `'`, CR and LF left
/// out (a `\` is escaped by the writer and unescaped by the reader).
fn as_written(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '\r' | '\n'))
        .map(|c| if c == '"' { '\'' } else { c })
        .collect()
}

/// Whether `data` would end its part early under `boundary`: CRLF `--boundary` in it, or
/// `--boundary` at its start (after the CRLF that precedes a part's bytes). Searched naively,
/// independently of the writer.
fn holds_delimiter(data: &[u8], boundary: &str) -> bool {
    let delimiter = format!("\r\n--{boundary}").into_bytes();
    let mut framed = b"\r\n".to_vec();
    framed.extend_from_slice(data);
    framed
        .windows(delimiter.len())
        .any(|window| window == delimiter.as_slice())
}

fn parts_of(written: &[Written]) -> Vec<FormPart<'_>> {
    written
        .iter()
        .map(|(name, file, data)| FormPart {
            name,
            file: file
                .as_ref()
                .map(|(file_name, media)| (file_name.as_str(), media.as_str())),
            data,
        })
        .collect()
}

/// Writes the form; reads it back when the writer takes it. `Ok(None)` when the writer refused
/// it, as it must.
fn round_trip(boundary: &str, written: &[Written]) -> Result<Option<Vec<Part>>, TestCaseError> {
    let must_refuse = written
        .iter()
        .any(|(name, _, data)| as_written(name).is_empty() || holds_delimiter(data, boundary));
    match encode_form(&parts_of(written), boundary) {
        Err(Error::InvalidArgument(reason)) => {
            prop_assert!(must_refuse, "refused: {reason}");
            Ok(None)
        }
        Err(other) => Err(TestCaseError::fail(format!("not InvalidArgument: {other}"))),
        Ok(body) => {
            prop_assert!(
                !must_refuse,
                "written, but a part holds the delimiter or has no name"
            );
            let body = Bytes::from(body);
            let content_type = format!("multipart/form-data; boundary=\"{boundary}\"");
            let mut examined = 0;
            let read = read_form(&content_type, &body, &mut examined)
                .map_err(|err| TestCaseError::fail(format!("not read back: {err}")))?;
            prop_assert!(within_linear_work(examined, &body, &content_type));
            Ok(Some(read))
        }
    }
}

/// Whether the bytes the reader looked at stay within its linear bound: four times the body
/// plus twice the content type (see `read_form`).
fn within_linear_work(examined: usize, body: &[u8], content_type: &str) -> bool {
    examined <= 4 * body.len() + 2 * content_type.len()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_form_spark_api_writes_is_read_back_as_its_parts((boundary, written) in form()) {
        let Some(read) = round_trip(&boundary, &written)? else {
            return Ok(());
        };
        let expected: Vec<Part> = written
            .iter()
            .map(|(name, file, data)| Part {
                name: as_written(name),
                file_name: file.as_ref().map(|(file_name, _)| as_written(file_name)),
                content_type: file.as_ref().map(|(_, media)| {
                    media
                        .chars()
                        .filter(|c| !matches!(c, '\r' | '\n'))
                        .collect::<String>()
                        .trim_matches([' ', '\t'])
                        .to_owned()
                }),
                data: Bytes::from(data.clone()),
            })
            .collect();
        prop_assert_eq!(read, expected);
    }

    #[test]
    fn any_bytes_under_any_boundary_are_read_in_linear_work(
        boundary in prop_oneof![".{0,80}", boundary()],
        quoted in any::<bool>(),
        body in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..2000),
            // Form-shaped noise: delimiters, near-delimiters, header lines and line breaks.
            proptest::collection::vec(
                prop_oneof![
                    Just(&b"\r\n"[..]),
                    Just(&b"--"[..]),
                    Just(&b"-"[..]),
                    Just(&b"\r\n\r\n"[..]),
                    Just(&b"content-disposition: form-data; name=\"f\"; filename=\"a\\\"\""[..]),
                    Just(&b"content-type: text/plain"[..]),
                    Just(&b"x"[..]),
                    Just(&b"\""[..]),
                ],
                0..200,
            )
            .prop_map(|pieces| pieces.concat()),
        ],
        boundary_pieces in proptest::collection::vec(0usize..200, 0..40),
    ) {
        // Put the boundary (whole, or cut short) among the bytes, so that delimiters are found.
        let mut body = body;
        for (n, at) in boundary_pieces.into_iter().enumerate() {
            let piece = format!("\r\n--{boundary}");
            let cut = if n % 3 == 2 { piece.len() / 2 } else { piece.len() };
            let tail = body.split_off(at.min(body.len()));
            body.extend_from_slice(&piece.as_bytes()[..cut]);
            body.extend_from_slice(&tail);
        }
        let content_type = if quoted {
            format!("multipart/form-data; boundary=\"{boundary}\"")
        } else {
            format!("multipart/form-data; boundary={boundary}")
        };
        let body = Bytes::from(body);
        let mut examined = 0;
        let read = read_form(&content_type, &body, &mut examined);
        prop_assert!(
            within_linear_work(examined, &body, &content_type),
            "{examined} bytes looked at for a body of {} and a content type of {}",
            body.len(),
            content_type.len()
        );
        if let Ok(parts) = read {
            prop_assert!(parts.len() <= 64);
            let range = body.as_ptr_range();
            let mut total = 0;
            for part in &parts {
                prop_assert!(!part.name.is_empty());
                let data = part.data.as_ptr_range();
                prop_assert!(
                    part.data.is_empty() || (range.start <= data.start && data.end <= range.end),
                    "a part's bytes are not a piece of the body"
                );
                total += part.data.len();
            }
            prop_assert!(total <= body.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..config() })]

    /// Forms of as many parts as the reader takes (64), and one more, are read in linear work:
    /// the parts are found one after the other, none searched again.
    #[test]
    fn a_form_of_many_parts_is_read_in_linear_work(
        boundary in boundary(),
        count in 1usize..=65,
        size in 0usize..40,
    ) {
        let data = vec![b'x'; size];
        let names: Vec<String> = (0..count).map(|n| format!("f{n}")).collect();
        let parts: Vec<FormPart<'_>> = names
            .iter()
            .map(|name| FormPart { name, file: None, data: &data })
            .collect();
        let body = Bytes::from(encode_form(&parts, &boundary).expect("plain parts are written"));
        let content_type = format!("multipart/form-data; boundary=\"{boundary}\"");
        let mut examined = 0;
        let read = read_form(&content_type, &body, &mut examined);
        prop_assert!(
            within_linear_work(examined, &body, &content_type),
            "{examined} bytes looked at for {count} parts in {} bytes",
            body.len()
        );
        match read {
            Ok(read) => prop_assert_eq!(read.len(), count),
            Err(err) => prop_assert!(count > 64, "{count} parts refused: {err}"),
        }
    }
}

/// The round trip above reads back most forms it writes: the generated bytes do not hold the
/// delimiter too often for the property to test reading.
#[test]
fn most_generated_forms_are_written_and_read_back() {
    let mut runner = TestRunner::deterministic();
    let strategy = form();
    let (mut read, mut refused) = (0, 0);
    for _ in 0..256 {
        let (boundary, written) = strategy
            .new_tree(&mut runner)
            .expect("the strategy generates")
            .current();
        match round_trip(&boundary, &written).expect("the round trip holds") {
            Some(_) => read += 1,
            None => refused += 1,
        }
    }
    assert!(read >= 128, "{read} read back, {refused} refused");
    assert!(
        refused >= 8,
        "{read} read back, {refused} refused: refusals untested"
    );
}

/// A file name with a backslash: written escaped (`\\`), it reads back with its backslash; once
/// it was written bare and the reader took `\b` for an escaped `b`, and a name ending in `\`
/// escaped the closing quote.
#[test]
fn backslashes_in_file_names_survive() {
    for file_name in [
        "a\\b.txt",
        "ends-in\\",
        "C:\\dir\\x \"q\".txt",
        "\\\\server",
    ] {
        let written = vec![(
            "files".to_owned(),
            Some((file_name.to_owned(), "text/plain".to_owned())),
            b"x".to_vec(),
        )];
        let read = round_trip("B", &written)
            .expect("the round trip holds")
            .expect("written");
        assert_eq!(
            read[0].file_name.as_deref(),
            Some(as_written(file_name).as_str())
        );
    }
}
