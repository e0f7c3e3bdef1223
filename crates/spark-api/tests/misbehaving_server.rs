//! Servers that misbehave on purpose, over loopback sockets written here: a body trickled or cut
//! short after its head, an upload the server stops reading, a download that never ends. Every
//! call ends with a typed error in bounded time (on tokio's paused clock, which jumps to the
//! next timer once everything waits), and a call given up releases its file, its connection and
//! its tasks at once.

mod support;

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use spark_api::{Client, DownloadOptions, Error, FileUpload};
use spark_http::{RetryPolicy, TimeoutKind};
use spark_model::CreateMessage;
use support::{RemoveOnDrop, unique_temp_path};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// Longer than any timeout of the client: a call still running then has hung.
const HUNG: Duration = Duration::from_secs(3600);

/// A server on loopback that hands its first connection to `handler`; the base URL to call it.
async fn serve<F, Fut>(handler: F) -> String
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        handler(stream).await;
    });
    format!("http://127.0.0.1:{port}/v1")
}

/// Reads up to the end of a request head (and perhaps the first bytes of its body).
async fn read_head(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buffer = [0; 4096];
    while !seen.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the client closed before its head was complete");
        seen.extend_from_slice(&buffer[..read]);
    }
}

/// A client with the default timeouts, no retries, and no connect or pool timers (which could
/// make the paused clock jump while a loopback connection is being made).
fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .unwrap()
        .access_token("T")
        .retry(RetryPolicy::never())
        .connect_timeout(None)
        .http(|http| http.pool_idle_timeout(None))
        .build()
        .unwrap()
}

const PERSON: &str = r#"{"id":"P1","emails":["ada@example.com"],"displayName":"Ada Lovelace","created":"2015-10-18T14:26:16.000Z","type":"person"}"#;

/// The timeout the call failed with: its kind and limit.
fn timeout_of(error: &Error) -> (TimeoutKind, Duration) {
    match error {
        Error::Http(spark_http::Error::Timeout { kind, limit }) => (*kind, *limit),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_body_trickled_one_byte_a_second_ends_at_the_body_timeout() {
    let base = serve(|mut stream| async move {
        read_head(&mut stream).await;
        // Padded with spaces to take longer than an hour at a byte a second.
        let body = format!("{PERSON}{}", " ".repeat(4000));
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        for byte in body.bytes() {
            if stream.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
    .await;
    let client = client(&base);
    let started = Instant::now();

    let outcome = tokio::time::timeout(HUNG, client.people().me()).await;

    let error = outcome.expect("the call ends").unwrap_err();
    assert_eq!(
        timeout_of(&error),
        (TimeoutKind::Body, Duration::from_secs(60))
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(60) && elapsed < Duration::from_secs(61),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_content_length_never_completed_ends_at_the_idle_timeout() {
    let base = serve(|mut stream| async move {
        read_head(&mut stream).await;
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&PERSON.as_bytes()[..20]).await.unwrap();
        // The socket stays open; the rest never comes.
        std::future::pending::<()>().await;
    })
    .await;
    let client = client(&base);
    let started = Instant::now();

    let outcome = tokio::time::timeout(HUNG, client.people().me()).await;

    let error = outcome.expect("the call ends").unwrap_err();
    assert_eq!(
        timeout_of(&error),
        (TimeoutKind::ResponseIdle, Duration::from_secs(30))
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(30) && elapsed < Duration::from_secs(31),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_download_that_stalls_ends_at_the_idle_timeout_and_leaves_no_file() {
    let base = serve(|mut stream| async move {
        read_head(&mut stream).await;
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\ncontent-length: 1000000\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        // A healthy start: 100 KB in pieces ten seconds apart, then nothing, socket open.
        for _ in 0..10 {
            stream.write_all(&[7; 10_000]).await.unwrap();
            tokio::time::sleep(Duration::from_secs(10)).await;
        }
        std::future::pending::<()>().await;
    })
    .await;
    let client = client(&base);
    let target = unique_temp_path("stalled", "pdf");
    let _cleanup = RemoveOnDrop(target.clone());
    let started = Instant::now();

    let outcome = tokio::time::timeout(
        HUNG,
        client
            .contents()
            .download_to_path("C1", &target, DownloadOptions::default()),
    )
    .await;

    let error = outcome.expect("the call ends").unwrap_err();
    assert_eq!(
        timeout_of(&error),
        (TimeoutKind::ResponseIdle, Duration::from_secs(30))
    );
    // The last piece came at 90 s.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(120) && elapsed < Duration::from_secs(121),
        "{elapsed:?}"
    );
    assert!(!target.exists());
    let leftovers: Vec<_> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.contains(&*target.file_name().unwrap().to_string_lossy())
                && name.ends_with(".part")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A sparse file of `len` bytes (no disk used), removed when the guard drops.
fn sparse_file(len: u64) -> (std::path::PathBuf, RemoveOnDrop) {
    let path = unique_temp_path("never-read", "bin");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(len).unwrap();
    (path.clone(), RemoveOnDrop(path))
}

#[tokio::test(start_paused = true)]
async fn an_upload_the_server_stops_reading_ends_at_the_idle_timeout() {
    let (path, _cleanup) = sparse_file(20 * 1024 * 1024);
    let base = serve(|mut stream| async move {
        read_head(&mut stream).await;
        // Reads nothing more, and keeps the socket open.
        std::future::pending::<()>().await;
    })
    .await;
    let client = client(&base);
    let upload = FileUpload::from_path(&path).await.unwrap();

    let outcome = tokio::time::timeout(
        HUNG,
        client
            .messages()
            .upload(&CreateMessage::to_room("R1").text("hi"), upload),
    )
    .await;

    let error = outcome.expect("the call ends").unwrap_err();
    assert_eq!(
        timeout_of(&error),
        (TimeoutKind::RequestIdle, Duration::from_secs(30))
    );
    assert!(
        eventually(|| !holds_open(&path)).await,
        "the file was closed"
    );
}

/// True when this process has `path` open (Linux: a link in `/proc/self/fd` to it).
fn holds_open(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return false;
    };
    entries
        .filter_map(Result::ok)
        .any(|entry| std::fs::read_link(entry.path()).is_ok_and(|target| target == path))
}

/// Waits (on the paused clock, in small steps) until `done` holds; false if it never does
/// within ten seconds.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    done()
}

#[tokio::test(start_paused = true)]
async fn an_upload_given_up_releases_its_file_its_connection_and_its_tasks() {
    let (path, _cleanup) = sparse_file(20 * 1024 * 1024);
    let (head_read, head_was_read) = tokio::sync::oneshot::channel();
    let (resume, resumed) = tokio::sync::oneshot::channel::<()>();
    let (closed, was_closed) = tokio::sync::oneshot::channel();
    let base = serve(|mut stream| async move {
        read_head(&mut stream).await;
        head_read.send(()).unwrap();
        // Reads nothing more until told; then reads on until the client closes.
        let _ = resumed.await;
        let mut buffer = vec![0; 64 * 1024];
        let outcome = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await;
        let _ = closed.send(outcome.is_ok());
    })
    .await;
    let client = client(&base);
    let tasks = || {
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks()
    };
    let tasks_before = tasks();
    let upload = FileUpload::from_path(&path).await.unwrap();

    let call = client
        .messages()
        .upload(&CreateMessage::to_room("R1").text("hi"), upload);
    let mut call = Box::pin(call);
    tokio::select! {
        _ = &mut call => panic!("the upload ended"),
        _ = head_was_read => {}
    }
    // Sent what the socket takes, then stalled: given up before any timeout.
    let outcome = tokio::time::timeout(Duration::from_secs(5), &mut call).await;
    assert!(outcome.is_err(), "the upload was still waiting");
    assert!(holds_open(&path), "the file is open while the upload runs");
    drop(call);

    assert!(
        eventually(|| !holds_open(&path)).await,
        "the file was closed"
    );
    assert!(
        eventually(|| tasks() <= tasks_before).await,
        "the tasks ended: {} alive, {tasks_before} before",
        tasks()
    );
    resume.send(()).unwrap();
    assert_eq!(
        was_closed.await,
        Ok(true),
        "the server saw the connection close"
    );
    std::fs::remove_file(&path).unwrap();
}
