//! Message uploads as `multipart/form-data`: the parts as received (parsed here from the body),
//! a file streamed from disk with an exact content length and replayed whole after a 429, and
//! files over the limit refused before anything is sent.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use spark_api::{Error, FileUpload, MAX_FILE_BYTES};
use spark_model::CreateMessage;
use support::{RemoveOnDrop, Seen, json, mock_client, respond, scripted_client, unique_temp_path};

const MESSAGE_ANSWER: &str =
    r#"{"id":"M1","roomId":"R1","text":"hi","files":["https://webexapis.com/v1/contents/C1"]}"#;

/// One part of a multipart body.
#[derive(Debug)]
struct Part {
    headers: Vec<(String, String)>,
    content: Vec<u8>,
}

impl Part {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// A parameter of the `Content-Disposition` header (`name`, `filename`), unquoted.
    fn disposition(&self, parameter: &str) -> Option<String> {
        let disposition = self.header("content-disposition")?;
        let mut params = disposition.split(';').map(str::trim);
        assert_eq!(params.next(), Some("form-data"), "{disposition}");
        params
            .filter_map(|param| param.split_once('='))
            .find(|(key, _)| *key == parameter)
            .map(|(_, value)| value.trim_matches('"').to_owned())
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.content).unwrap()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The boundary of a `multipart/form-data` content type.
fn boundary_of(seen: &Seen) -> String {
    let content_type = seen.header("content-type").expect("a content type");
    let (kind, boundary) = content_type.split_once(';').expect("a boundary parameter");
    assert_eq!(kind.trim(), "multipart/form-data");
    let boundary = boundary
        .trim()
        .strip_prefix("boundary=")
        .expect("boundary=");
    boundary.trim_matches('"').to_owned()
}

/// Splits a multipart body (RFC 7578) into its parts, checking its framing on the way.
fn parse_multipart(seen: &Seen) -> Vec<Part> {
    let boundary = boundary_of(seen);
    let delimiter = format!("\r\n--{boundary}").into_bytes();
    // With a CRLF in front, the first delimiter looks like all the others.
    let mut rest: Vec<u8> = b"\r\n".to_vec();
    rest.extend_from_slice(&seen.body);
    let mut rest = &rest[..];
    let mut parts = Vec::new();
    let start = find(rest, &delimiter).expect("a first delimiter");
    assert_eq!(start, 0, "nothing comes before the first delimiter");
    rest = &rest[delimiter.len()..];
    loop {
        if rest == b"--\r\n" {
            return parts;
        }
        assert!(
            rest.starts_with(b"\r\n"),
            "a delimiter is followed by CRLF or by the closing `--`"
        );
        rest = &rest[2..];
        let end = find(rest, &delimiter).expect("each part is closed by a delimiter");
        let part = &rest[..end];
        rest = &rest[end + delimiter.len()..];
        let split = find(part, b"\r\n\r\n").expect("a blank line after the part's headers");
        let headers = std::str::from_utf8(&part[..split])
            .unwrap()
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(':').expect("a header line");
                (name.trim().to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        parts.push(Part {
            headers,
            content: part[split + 4..].to_vec(),
        });
    }
}

fn part<'a>(parts: &'a [Part], name: &str) -> &'a Part {
    let matching: Vec<_> = parts
        .iter()
        .filter(|part| part.disposition("name").as_deref() == Some(name))
        .collect();
    assert_eq!(matching.len(), 1, "one part named {name}: {parts:?}");
    matching[0]
}

/// Bytes that are not text and that hold CRLFs and dashes, so that a sloppy framing shows.
fn awkward_bytes(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| match i % 7 {
            0 => b'\r',
            1 => b'\n',
            2 | 3 => b'-',
            _ => (i * 31 % 256) as u8,
        })
        .collect()
}

#[tokio::test]
async fn an_in_memory_file_goes_in_the_files_field_beside_the_text_fields() {
    let (client, log) = scripted_client(|_, _| json(200, MESSAGE_ANSWER));
    let content = awkward_bytes(3000);

    let message = client
        .messages()
        .upload(
            &CreateMessage::to_room("R1").text("hi"),
            FileUpload::from_bytes("a.txt", "text/plain", content.clone()),
        )
        .await
        .unwrap();

    assert_eq!(message.id, "M1");
    assert_eq!(message.files.as_deref().map(<[String]>::len), Some(1));
    assert_eq!(log.count(), 1);
    let seen = log.last();
    assert_eq!(seen.method, http::Method::POST);
    assert_eq!(seen.path_and_query(), "/v1/messages");
    assert_eq!(seen.header("authorization"), Some("Bearer T"));
    assert_eq!(
        seen.header("content-length"),
        Some(seen.body.len().to_string().as_str())
    );

    let parts = parse_multipart(&seen);
    assert_eq!(parts.len(), 3, "{parts:?}");
    assert_eq!(part(&parts, "roomId").text(), "R1");
    assert_eq!(part(&parts, "text").text(), "hi");
    let file = part(&parts, "files");
    assert_eq!(file.disposition("filename").as_deref(), Some("a.txt"));
    assert_eq!(file.header("content-type"), Some("text/plain"));
    assert_eq!(file.content, content);
    for field in ["roomId", "text"] {
        let part = part(&parts, field);
        assert_eq!(part.disposition("filename"), None);
        assert_eq!(part.header("content-type"), None);
    }
}

#[tokio::test]
async fn every_text_field_of_the_message_is_sent_and_a_renamed_file_keeps_its_name() {
    let (client, log) = scripted_client(|_, _| json(200, MESSAGE_ANSWER));

    client
        .messages()
        .upload(
            &CreateMessage::to_person_email("julie@example.com")
                .parent_id("M0")
                .markdown("**see** attached"),
            FileUpload::from_bytes("x.bin", "application/octet-stream", &b"%PDF-1.4"[..])
                .file_name("report.pdf")
                .content_type("application/pdf"),
        )
        .await
        .unwrap();

    let parts = parse_multipart(&log.last());
    assert_eq!(parts.len(), 4, "{parts:?}");
    assert_eq!(part(&parts, "toPersonEmail").text(), "julie@example.com");
    assert_eq!(part(&parts, "parentId").text(), "M0");
    assert_eq!(part(&parts, "markdown").text(), "**see** attached");
    let file = part(&parts, "files");
    assert_eq!(file.disposition("filename").as_deref(), Some("report.pdf"));
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert_eq!(file.content, b"%PDF-1.4");
}

#[tokio::test(start_paused = true)]
async fn a_file_from_disk_is_streamed_and_sent_whole_again_after_a_429() {
    let path = unique_temp_path("upload", "csv");
    let _cleanup = RemoveOnDrop(path.clone());
    let content = awkward_bytes(300_000);
    std::fs::write(&path, &content).unwrap();
    let (client, log) = scripted_client(|n, _| match n {
        0 => respond(
            429,
            &[("retry-after", "1"), ("content-type", "application/json")],
            r#"{"message":"Too many requests"}"#,
        ),
        _ => json(200, MESSAGE_ANSWER),
    });

    let upload = FileUpload::from_path(&path).await.unwrap();
    assert_eq!(upload.size(), content.len() as u64);
    let message = client
        .messages()
        .upload(&CreateMessage::to_room("R1").text("hi"), upload)
        .await
        .unwrap();

    assert_eq!(message.id, "M1");
    let requests = log.all();
    assert_eq!(requests.len(), 2, "the 429 was retried once");
    assert_eq!(
        log.gaps(),
        [Duration::from_secs(1)],
        "after the Retry-After"
    );
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body both times"
    );
    let file_name = path.file_name().unwrap().to_str().unwrap();
    for seen in &requests {
        assert!(!seen.buffered, "the body streams from disk");
        let parts = parse_multipart(seen);
        assert_eq!(parts.len(), 3);
        assert_eq!(part(&parts, "roomId").text(), "R1");
        assert_eq!(part(&parts, "text").text(), "hi");
        let file = part(&parts, "files");
        assert_eq!(file.disposition("filename").as_deref(), Some(file_name));
        assert_eq!(file.header("content-type"), Some("text/csv"));
        assert!(file.content == content, "the file arrives whole");

        // The announced length is the file's size plus the form around it.
        let overhead = seen.body.len() - content.len();
        assert!(overhead > 0 && overhead < 1024, "{overhead}");
        let announced: usize = seen.header("content-length").unwrap().parse().unwrap();
        assert_eq!(announced, content.len() + overhead);
        assert_eq!(announced, seen.body.len());
    }
}

#[tokio::test]
async fn a_file_from_disk_crosses_a_real_socket_with_its_content_length() {
    let path = unique_temp_path("socket", "txt");
    let _cleanup = RemoveOnDrop(path.clone());
    let content = awkward_bytes(200_000);
    std::fs::write(&path, &content).unwrap();
    let server = httpmock::MockServer::start_async().await;
    let received = Arc::new(Mutex::new(Vec::<Seen>::new()));
    let recorder = received.clone();
    let mock = server
        .mock_async(move |when, then| {
            when.method("POST")
                .path("/v1/messages")
                .header("authorization", "Bearer T")
                .header_exists("content-length")
                .header_missing("transfer-encoding")
                .is_true(move |request| {
                    recorder.lock().unwrap().push(Seen {
                        method: request.method(),
                        uri: "/v1/messages".parse().unwrap(),
                        headers: request.headers(),
                        body: request.body().0.clone(),
                        buffered: false,
                        at: tokio::time::Instant::now(),
                    });
                    true
                });
            then.status(200)
                .header("content-type", "application/json")
                .body(MESSAGE_ANSWER);
        })
        .await;
    let client = mock_client(&server);

    let upload = FileUpload::from_path(&path).await.unwrap();
    client
        .messages()
        .upload(&CreateMessage::to_room("R1").text("hi"), upload)
        .await
        .unwrap();

    assert_eq!(mock.calls_async().await, 1);
    let seen = received.lock().unwrap().last().cloned().unwrap();
    let announced: usize = seen.header("content-length").unwrap().parse().unwrap();
    assert_eq!(announced, seen.body.len());
    let parts = parse_multipart(&seen);
    assert_eq!(parts.len(), 3);
    assert_eq!(part(&parts, "roomId").text(), "R1");
    let file = part(&parts, "files");
    assert_eq!(file.header("content-type"), Some("text/plain"));
    assert!(file.content == content, "the file arrives whole");
}

#[tokio::test]
async fn an_in_memory_file_over_the_limit_is_refused_before_sending() {
    let (client, log) = scripted_client(|_, _| json(200, MESSAGE_ANSWER));
    let too_big = vec![0; MAX_FILE_BYTES as usize + 1];

    let error = client
        .messages()
        .upload(
            &CreateMessage::to_room("R1"),
            FileUpload::from_bytes("big.bin", "application/octet-stream", too_big),
        )
        .await
        .unwrap_err();

    match error {
        Error::FileTooLarge { size, limit } => {
            assert_eq!(size, MAX_FILE_BYTES + 1);
            assert_eq!(limit, MAX_FILE_BYTES);
        }
        other => panic!("expected FileTooLarge, got {other:?}"),
    }
    assert_eq!(log.count(), 0, "nothing was sent");
}

#[tokio::test]
async fn a_file_on_disk_over_the_limit_is_refused_before_sending() {
    let path = unique_temp_path("too-big", "bin");
    let _cleanup = RemoveOnDrop(path.clone());
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: no 100 MB written
    drop(file);
    let (client, log) = scripted_client(|_, _| json(200, MESSAGE_ANSWER));

    let upload = FileUpload::from_path(&path).await.unwrap();
    assert_eq!(upload.size(), MAX_FILE_BYTES + 1);
    let error = client
        .messages()
        .upload(&CreateMessage::to_room("R1").text("hi"), upload)
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::FileTooLarge { size, limit } if size == MAX_FILE_BYTES + 1 && limit == MAX_FILE_BYTES),
        "{error:?}"
    );
    assert_eq!(log.count(), 0, "nothing was sent");
}

#[tokio::test]
async fn a_message_with_file_urls_or_cards_cannot_carry_an_upload() {
    let (client, log) = scripted_client(|_, _| json(200, MESSAGE_ANSWER));

    for message in [
        CreateMessage::to_room("R1").file("https://example.com/a.png"),
        CreateMessage::to_room("R1").card(serde_json::json!({"type": "AdaptiveCard"})),
    ] {
        let error = client
            .messages()
            .upload(
                &message,
                FileUpload::from_bytes("a.txt", "text/plain", &b"x"[..]),
            )
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    }
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn a_missing_file_or_a_directory_is_refused_when_read() {
    let missing = unique_temp_path("missing", "txt");
    assert!(matches!(
        FileUpload::from_path(&missing).await.unwrap_err(),
        Error::Io(_)
    ));
    assert!(matches!(
        FileUpload::from_path(std::env::temp_dir())
            .await
            .unwrap_err(),
        Error::InvalidArgument(_)
    ));
}

#[tokio::test]
async fn an_error_answer_to_an_upload_is_an_api_error() {
    let (client, log) = scripted_client(|_, _| {
        json(
            400,
            r#"{"message":"Unsupported file type","trackingId":"ROUTER_UP"}"#,
        )
    });

    let error = client
        .messages()
        .upload(
            &CreateMessage::to_room("R1"),
            FileUpload::from_bytes("a.exe", "application/x-msdownload", &b"MZ"[..]),
        )
        .await
        .unwrap_err();

    let api = error.as_api_error().expect("an API error");
    assert_eq!(api.status, 400);
    assert_eq!(api.tracking_id.as_deref(), Some("ROUTER_UP"));
    assert_eq!(log.count(), 1);
}

/// A client whose server reads each request body whole and keeps it, or fails with the body's
/// own error.
fn body_reading_client() -> (spark_api::Client, Arc<Mutex<Vec<bytes::Bytes>>>) {
    use http_body_util::BodyExt;
    let bodies: Arc<Mutex<Vec<bytes::Bytes>>> = Arc::default();
    let kept = bodies.clone();
    let service = tower::service_fn(move |request: http::Request<spark_http::Body>| {
        let kept = kept.clone();
        async move {
            let body = request
                .into_body()
                .collect()
                .await
                .map_err(spark_http::Error::Body)?
                .to_bytes();
            kept.lock().unwrap().push(body);
            Ok::<_, spark_http::Error>(json(200, MESSAGE_ANSWER))
        }
    });
    let client = support::test_builder().build_with_service(service);
    (client, bodies)
}

#[tokio::test]
async fn a_file_that_shrank_since_it_was_measured_fails_clearly() {
    let path = unique_temp_path("shrinking", "bin");
    let _cleanup = RemoveOnDrop(path.clone());
    std::fs::write(&path, vec![7u8; 1000]).unwrap();
    let upload = FileUpload::from_path(&path).await.unwrap();
    std::fs::write(&path, vec![7u8; 500]).unwrap();

    let (client, bodies) = body_reading_client();
    let error = client
        .messages()
        .upload(&CreateMessage::to_room("R1"), upload)
        .await
        .unwrap_err();

    let mut chain = String::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(current) = source {
        chain.push_str(&current.to_string());
        chain.push('\n');
        source = current.source();
    }
    assert!(chain.contains("changed size"), "{chain}");
    assert!(bodies.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_file_that_grew_since_it_was_measured_sends_the_measured_length() {
    let path = unique_temp_path("growing", "bin");
    let _cleanup = RemoveOnDrop(path.clone());
    std::fs::write(&path, vec![1u8; 500]).unwrap();
    let upload = FileUpload::from_path(&path).await.unwrap();
    std::fs::write(&path, [vec![1u8; 500], vec![2u8; 500]].concat()).unwrap();

    let (client, bodies) = body_reading_client();
    client
        .messages()
        .upload(&CreateMessage::to_room("R1"), upload)
        .await
        .unwrap();

    let bodies = bodies.lock().unwrap();
    let body = &bodies[0];
    assert_eq!(body.iter().filter(|byte| **byte == 1).count(), 500);
    assert!(
        !body.contains(&2),
        "no byte beyond the measured length was sent"
    );
}

#[tokio::test(start_paused = true)]
async fn an_in_memory_upload_is_one_buffer_without_a_progress_callback_and_chunks_with_one() {
    let content = awkward_bytes(150_000);
    let (client, log) = scripted_client(|n, _| match n {
        1 => respond(
            429,
            &[("retry-after", "1"), ("content-type", "application/json")],
            r#"{"message":"Too many requests"}"#,
        ),
        _ => json(200, MESSAGE_ANSWER),
    });
    let message = CreateMessage::to_room("R1").text("hi");

    // No callback: the body is the one buffer it always was.
    let plain = FileUpload::from_bytes("a.bin", "application/octet-stream", content.clone());
    client.messages().upload(&message, plain).await.unwrap();
    assert!(log.last().buffered);

    // A callback: the body streams in chunks, and is still sent whole again after a 429.
    let reports = Arc::new(Mutex::new(Vec::new()));
    let record = reports.clone();
    let reporting = FileUpload::from_bytes("a.bin", "application/octet-stream", content.clone())
        .on_progress(move |progress| record.lock().unwrap().push(progress.done));
    client.messages().upload(&message, reporting).await.unwrap();

    let requests = log.all();
    assert_eq!(requests.len(), 3);
    assert!(!requests[1].buffered && !requests[2].buffered);
    assert!(
        requests[1].body == requests[2].body,
        "the same body both times"
    );
    for seen in &requests {
        let parts = parse_multipart(seen);
        assert!(
            part(&parts, "files").content == content,
            "the file arrives whole"
        );
    }
    let total = requests[2].body.len() as u64;
    let reports = reports.lock().unwrap().clone();
    let attempt: Vec<u64> = vec![0, 65_536, 131_072, total];
    let both: Vec<u64> = attempt.iter().chain(&attempt).copied().collect();
    assert_eq!(reports, both, "each attempt reports from 0 to the total");
}
