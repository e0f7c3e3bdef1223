//! Downloads: `info` by HEAD, streaming into a writer, writing a path whole or not at all, the
//! 423 wait on the paused clock, and the 428 unscannable answer with its opt-in.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::StreamBody;
use httpmock::MockServer;
use spark_api::{DEFAULT_DOWNLOAD_LIMIT, DownloadOptions, Error};
use support::{BASE, RemoveOnDrop, mock_client, respond, scripted_client, unique_temp_path};

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

/// The temporary files (`.{name}.{unique}.part`) a download to `path` left beside it.
fn partials_of(path: &Path) -> Vec<PathBuf> {
    let name = path.file_name().unwrap().to_string_lossy();
    let prefix = format!(".{name}.");
    std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|candidate| {
            let candidate = candidate.file_name().unwrap().to_string_lossy();
            candidate.starts_with(&prefix) && candidate.ends_with(".part")
        })
        .collect()
}

/// Removes, when dropped, every temporary file a download to the path left beside it.
struct RemovePartials(PathBuf);

impl Drop for RemovePartials {
    fn drop(&mut self) {
        for partial in partials_of(&self.0) {
            let _ = std::fs::remove_file(partial);
        }
    }
}

fn file_answer(content: &[u8]) -> http::Response<spark_http::ResponseBody> {
    respond(
        200,
        &[
            ("content-type", "application/pdf"),
            (
                "content-disposition",
                r#"attachment; filename="report.pdf""#,
            ),
            ("content-length", &content.len().to_string()),
        ],
        content.to_vec(),
    )
}

#[tokio::test]
async fn info_does_a_head_and_reads_name_size_and_type() {
    let (client, log) = scripted_client(|_, _| {
        respond(
            200,
            &[
                ("content-type", "application/pdf"),
                (
                    "content-disposition",
                    r#"attachment; filename="report.pdf""#,
                ),
                ("content-length", "1234"),
            ],
            Bytes::new(),
        )
    });

    let info = client
        .contents()
        .info(&format!("{BASE}/contents/C1"))
        .await
        .unwrap();

    assert_eq!(info.file_name.as_deref(), Some("report.pdf"));
    assert_eq!(info.size, Some(1234));
    assert_eq!(info.content_type.as_deref(), Some("application/pdf"));
    let seen = log.last();
    assert_eq!(seen.method, http::Method::HEAD);
    assert_eq!(seen.path_and_query(), "/v1/contents/C1");
    assert_eq!(seen.header("authorization"), Some("Bearer T"));
    assert_eq!(log.count(), 1);
}

#[tokio::test]
async fn info_by_id_encodes_the_id_and_reads_an_extended_file_name() {
    let (client, log) = scripted_client(|_, _| {
        respond(
            200,
            &[
                ("content-type", "text/plain"),
                (
                    "content-disposition",
                    "attachment; filename=\"resume.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt",
                ),
            ],
            Bytes::new(),
        )
    });

    let info = client.contents().info("Y2lz+a/b=").await.unwrap();

    assert_eq!(info.file_name.as_deref(), Some("résumé.txt"));
    assert_eq!(info.content_type.as_deref(), Some("text/plain"));
    assert_eq!(log.last().path_and_query(), "/v1/contents/Y2lz%2Ba%2Fb%3D");
}

#[tokio::test]
async fn download_streams_the_body_into_a_writer() {
    let content = pattern(256 * 1024);
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v1/contents/C1")
                .header("authorization", "Bearer T");
            then.status(200)
                .header("content-type", "application/pdf")
                .header(
                    "content-disposition",
                    r#"attachment; filename="report.pdf""#,
                )
                .body(content.clone());
        })
        .await;
    let client = mock_client(&server);

    let mut buffer = Vec::new();
    let info = client
        .contents()
        .download(
            &server.url("/v1/contents/C1"),
            &mut buffer,
            DownloadOptions::default(),
        )
        .await
        .unwrap();

    assert!(buffer == content, "the body arrives whole");
    assert_eq!(info.file_name.as_deref(), Some("report.pdf"));
    assert_eq!(info.size, Some(content.len() as u64));
    assert_eq!(info.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn download_to_path_writes_the_file_and_leaves_no_partial_file() {
    let content = pattern(100_000);
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/v1/contents/C2");
            then.status(200)
                .header("content-type", "application/octet-stream")
                .body(content.clone());
        })
        .await;
    let client = mock_client(&server);
    let target = unique_temp_path("download", "bin");
    let _cleanup = RemoveOnDrop(target.clone());

    let info = client
        .contents()
        .download_to_path("C2", &target, DownloadOptions::default())
        .await
        .unwrap();

    assert_eq!(info.size, Some(100_000));
    assert!(std::fs::read(&target).unwrap() == content);
    assert_eq!(partials_of(&target), Vec::<PathBuf>::new());
}

#[tokio::test(start_paused = true)]
async fn a_failed_download_leaves_neither_the_file_nor_a_partial_one() {
    for (status, expected_requests) in [(500, 4), (404, 1)] {
        let (client, log) = scripted_client(move |_, _| {
            respond(
                status,
                &[("content-type", "application/json")],
                r#"{"message":"no"}"#,
            )
        });
        let target = unique_temp_path("failed", "bin");
        let _cleanup = RemoveOnDrop(target.clone());

        let error = client
            .contents()
            .download_to_path("C3", &target, DownloadOptions::default())
            .await
            .unwrap_err();

        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(log.count(), expected_requests, "status {status}");
        assert!(!target.exists(), "status {status}: no file");
        assert!(partials_of(&target).is_empty(), "status {status}: no .part");
    }
}

#[tokio::test]
async fn a_body_that_breaks_midway_leaves_no_file_and_an_old_file_untouched() {
    let (client, log) = scripted_client(|_, _| {
        let chunks: Vec<Result<http_body::Frame<Bytes>, std::io::Error>> = vec![
            Ok(http_body::Frame::data(Bytes::from(vec![1; 10_000]))),
            Ok(http_body::Frame::data(Bytes::from(vec![2; 10_000]))),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "connection reset",
            )),
        ];
        let body = StreamBody::new(futures_util::stream::iter(chunks));
        let mut answer = http::Response::new(spark_http::ResponseBody::new(body));
        answer
            .headers_mut()
            .insert("content-length", "50000".parse().unwrap());
        answer
    });
    let target = unique_temp_path("broken", "bin");
    let _cleanup = RemoveOnDrop(target.clone());

    let error = client
        .contents()
        .download_to_path("C4", &target, DownloadOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Http(_)), "{error:?}");
    assert!(!target.exists());
    assert_eq!(partials_of(&target), Vec::<PathBuf>::new());

    std::fs::write(&target, b"the old version").unwrap();
    client
        .contents()
        .download_to_path("C4", &target, DownloadOptions::default())
        .await
        .unwrap_err();
    assert_eq!(std::fs::read(&target).unwrap(), b"the old version");
    assert_eq!(partials_of(&target), Vec::<PathBuf>::new());
    assert_eq!(log.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_423_is_waited_out_for_its_retry_after() {
    let content = pattern(5000);
    let answer = content.clone();
    let (client, log) = scripted_client(move |n, _| match n {
        0 => respond(
            423,
            &[("retry-after", "2"), ("content-type", "application/json")],
            r#"{"message":"The file is being scanned"}"#,
        ),
        _ => file_answer(&answer),
    });
    let started = tokio::time::Instant::now();

    let mut buffer = Vec::new();
    let info = client
        .contents()
        .download("C5", &mut buffer, DownloadOptions::default())
        .await
        .unwrap();

    assert_eq!(buffer, content);
    assert_eq!(info.file_name.as_deref(), Some("report.pdf"));
    assert_eq!(log.count(), 2);
    assert_eq!(log.gaps(), [Duration::from_secs(2)]);
    assert!(started.elapsed() >= Duration::from_secs(2));
}

#[tokio::test]
async fn a_428_is_unscannable_unless_allowed() {
    let (client, log) = scripted_client(|_, seen| {
        if seen.query("allow").as_deref() == Some("unscannable") {
            file_answer(b"risky")
        } else {
            respond(
                428,
                &[
                    ("trackingid", "ROUTER_428"),
                    ("content-type", "application/json"),
                ],
                r#"{"message":"The file could not be scanned"}"#,
            )
        }
    });

    let mut buffer = Vec::new();
    let error = client
        .contents()
        .download("C6", &mut buffer, DownloadOptions::default())
        .await
        .unwrap_err();
    match &error {
        Error::Unscannable { tracking_id } => {
            assert_eq!(tracking_id.as_deref(), Some("ROUTER_428"));
        }
        other => panic!("expected Unscannable, got {other:?}"),
    }
    assert_eq!(
        error.status(),
        Some(http::StatusCode::PRECONDITION_REQUIRED)
    );
    assert!(buffer.is_empty());
    assert_eq!(log.count(), 1, "a 428 is not retried");
    assert_eq!(log.last().path_and_query(), "/v1/contents/C6");

    let allowed = DownloadOptions::default().allow_unscannable(true);
    client
        .contents()
        .download("C6", &mut buffer, allowed.clone())
        .await
        .unwrap();
    assert_eq!(buffer, b"risky");
    assert_eq!(
        log.last().path_and_query(),
        "/v1/contents/C6?allow=unscannable"
    );

    // A URL that already has a query gets the parameter appended.
    let mut buffer = Vec::new();
    client
        .contents()
        .download(&format!("{BASE}/contents/C6?v=2"), &mut buffer, allowed)
        .await
        .unwrap();
    assert_eq!(
        log.last().path_and_query(),
        "/v1/contents/C6?v=2&allow=unscannable"
    );
}

#[tokio::test]
async fn download_to_path_refuses_a_path_without_a_file_name() {
    let (client, log) = scripted_client(|_, _| file_answer(b"x"));

    let error = client
        .contents()
        .download_to_path("C7", "/", DownloadOptions::default())
        .await
        .unwrap_err();

    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    assert_eq!(log.count(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_download_given_up_midway_leaves_no_partial_file() {
    // The server sends the first bytes, then stalls; the caller gives up after a minute.
    let (client, _log) = scripted_client(|_, _| {
        let first = futures_util::stream::iter([Ok::<_, std::io::Error>(http_body::Frame::data(
            Bytes::from(vec![1; 10_000]),
        ))]);
        let stalled = first.chain(futures_util::stream::pending());
        http::Response::new(spark_http::ResponseBody::new(StreamBody::new(stalled)))
    });
    let target = unique_temp_path("abandoned", "bin");
    let _cleanup = RemoveOnDrop(target.clone());
    let _cleanup_partials = RemovePartials(target.clone());

    let outcome = tokio::time::timeout(
        Duration::from_secs(60),
        client
            .contents()
            .download_to_path("C8", &target, DownloadOptions::default()),
    )
    .await;

    assert!(outcome.is_err(), "the download was given up");
    assert!(!target.exists());
    assert_eq!(partials_of(&target), Vec::<PathBuf>::new());
}

#[tokio::test]
async fn two_downloads_to_one_path_at_once_each_write_their_own_file() {
    // Each answer sends half its bytes, then waits until the other download has sent its first
    // half too: both downloads are midway at the same moment.
    let halfway = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let (client, log) = scripted_client(move |_, seen| {
        let (byte, len) = if seen.uri.path().ends_with("/A") {
            (b'a', 30_000)
        } else {
            (b'b', 20_000)
        };
        let halfway = halfway.clone();
        let first = Bytes::from(vec![byte; len / 2]);
        let second = Bytes::from(vec![byte; len - len / 2]);
        let frames =
            futures_util::stream::iter([Ok::<_, std::io::Error>(http_body::Frame::data(first))])
                .chain(futures_util::stream::once(async move {
                    halfway.wait().await;
                    Ok(http_body::Frame::data(second))
                }));
        http::Response::new(spark_http::ResponseBody::new(StreamBody::new(frames)))
    });
    let target = unique_temp_path("concurrent", "bin");
    let _cleanup = RemoveOnDrop(target.clone());
    let _cleanup_partials = RemovePartials(target.clone());

    let contents = client.contents();
    let (first, second) = tokio::join!(
        contents.download_to_path("A", &target, DownloadOptions::default()),
        contents.download_to_path("B", &target, DownloadOptions::default()),
    );

    first.unwrap();
    second.unwrap();
    assert_eq!(log.count(), 2);
    let written = std::fs::read(&target).unwrap();
    assert!(
        written == vec![b'a'; 30_000] || written == vec![b'b'; 20_000],
        "the file is one download whole, not a mix: {} bytes, {} of them 'a'",
        written.len(),
        written.iter().filter(|byte| **byte == b'a').count()
    );
    assert_eq!(partials_of(&target), Vec::<PathBuf>::new());
}

/// A writer that keeps nothing and counts the bytes written to it.
#[derive(Default)]
struct CountingWriter {
    written: u64,
}

impl tokio::io::AsyncWrite for CountingWriter {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.written += buf.len() as u64;
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

const MIB: u64 = 1024 * 1024;

/// An answer of `total` bytes in chunks of 64 KiB (one shared buffer, no copies), announced
/// with `Content-Length` when `announce`; `produced` counts the bytes the body gave out.
fn large_answer(
    total: u64,
    announce: bool,
    produced: std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> http::Response<spark_http::ResponseBody> {
    const CHUNK: u64 = 64 * 1024;
    let chunk = Bytes::from(vec![7u8; CHUNK as usize]);
    let frames = futures_util::stream::iter((0..total).step_by(CHUNK as usize)).map(move |start| {
        let piece = chunk.slice(..(total - start).min(CHUNK) as usize);
        produced.fetch_add(piece.len() as u64, std::sync::atomic::Ordering::Relaxed);
        Ok::<_, std::io::Error>(http_body::Frame::data(piece))
    });
    let mut answer = http::Response::new(spark_http::ResponseBody::new(StreamBody::new(frames)));
    if announce {
        answer
            .headers_mut()
            .insert("content-length", total.to_string().parse().unwrap());
    }
    answer
}

#[tokio::test]
async fn a_download_announced_over_the_limit_is_refused_before_a_byte_is_written() {
    let produced = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = produced.clone();
    let (client, _log) =
        scripted_client(move |_, _| large_answer(200 * MIB, true, counter.clone()));

    let mut writer = CountingWriter::default();
    let error = client
        .contents()
        .download("C9", &mut writer, DownloadOptions::default())
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::DownloadTooLarge { limit, announced: Some(announced) }
                if limit == DEFAULT_DOWNLOAD_LIMIT && announced == 200 * MIB
        ),
        "{error:?}"
    );
    assert_eq!(DEFAULT_DOWNLOAD_LIMIT, 110 * MIB);
    assert_eq!(writer.written, 0);
    assert_eq!(produced.load(std::sync::atomic::Ordering::Relaxed), 0);
}

#[tokio::test]
async fn an_endless_download_stops_at_the_default_limit() {
    // "Endless": a gigabyte, so that a download without a limit ends too (and fails the test).
    let produced = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = produced.clone();
    let (client, _log) =
        scripted_client(move |_, _| large_answer(1024 * MIB, false, counter.clone()));

    let mut writer = CountingWriter::default();
    let error = client
        .contents()
        .download("C10", &mut writer, DownloadOptions::default())
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::DownloadTooLarge { limit, announced: None } if limit == 110 * MIB),
        "{error:?}"
    );
    assert_eq!(
        writer.written,
        110 * MIB,
        "up to the limit, not a byte more"
    );
    assert_eq!(
        produced.load(std::sync::atomic::Ordering::Relaxed),
        110 * MIB + 64 * 1024,
        "read no further than the chunk that passed the limit"
    );
}

#[tokio::test]
async fn a_download_to_a_path_over_its_limit_leaves_no_file() {
    for announce in [true, false] {
        let produced = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = produced.clone();
        let (client, _log) =
            scripted_client(move |_, _| large_answer(4 * MIB, announce, counter.clone()));
        let target = unique_temp_path("over-limit", "bin");
        let _cleanup = RemoveOnDrop(target.clone());
        let _cleanup_partials = RemovePartials(target.clone());

        let options = DownloadOptions::default().max_bytes(Some(MIB));
        let error = client
            .contents()
            .download_to_path("C11", &target, options)
            .await
            .unwrap_err();

        assert!(
            matches!(error, Error::DownloadTooLarge { limit, .. } if limit == MIB),
            "announced {announce}: {error:?}"
        );
        assert!(!target.exists(), "announced {announce}");
        assert_eq!(partials_of(&target), Vec::<PathBuf>::new());
        let read = produced.load(std::sync::atomic::Ordering::Relaxed);
        assert!(
            read <= MIB + 64 * 1024,
            "announced {announce}: {read} bytes read"
        );
    }
}

#[tokio::test]
async fn without_a_limit_a_download_takes_what_comes() {
    let produced = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = produced.clone();
    let (client, _log) =
        scripted_client(move |_, _| large_answer(120 * MIB, true, counter.clone()));

    let mut writer = CountingWriter::default();
    let info = client
        .contents()
        .download(
            "C12",
            &mut writer,
            DownloadOptions::default().max_bytes(None),
        )
        .await
        .unwrap();

    assert_eq!(info.size, Some(120 * MIB));
    assert_eq!(writer.written, 120 * MIB);
}
