//! Downloads saved in a directory under the server's file name: only ever its safe form, inside
//! the directory, never over a file already there, and nothing left behind when they fail.

mod support;

use std::path::{Path, PathBuf};

use spark_api::{DownloadOptions, Error};
use support::{BASE, respond, scripted_client, unique_temp_path};

/// A directory `download` inside a directory of its own, both removed when dropped.
struct TempDir {
    outer: PathBuf,
    inner: PathBuf,
}

impl TempDir {
    fn new() -> Self {
        let outer = unique_temp_path("dir", "d");
        let inner = outer.join("download");
        std::fs::create_dir_all(&inner).unwrap();
        Self { outer, inner }
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.outer);
    }
}

/// A client whose content answers carry `disposition` (none when `None`) and `body`.
fn serving(disposition: Option<&'static str>, body: &'static str) -> spark_api::Client {
    scripted_client(move |_, _| {
        let mut headers = vec![("content-type", "text/plain")];
        if let Some(disposition) = disposition {
            headers.push(("content-disposition", disposition));
        }
        respond(200, &headers, body)
    })
    .0
}

#[tokio::test]
async fn a_hostile_name_is_saved_inside_the_directory_under_its_safe_form() {
    let dirs = TempDir::new();
    for (disposition, saved) in [
        (r#"attachment; filename="../../evil.txt""#, "evil.txt"),
        (r#"attachment; filename="/etc/passwd""#, "passwd"),
        (r#"attachment; filename="..\\..\\win.ini""#, "win.ini"),
        ("attachment; filename*=UTF-8''..%2F.bashrc", "bashrc"),
        (r#"attachment; filename="con.txt""#, "_con.txt"),
        (r#"attachment; filename="..""#, "download"),
    ] {
        let client = serving(Some(disposition), "payload");
        let (path, info) = client
            .contents()
            .download_to_dir(
                &format!("{BASE}/contents/C1"),
                &dirs.inner,
                DownloadOptions::default(),
            )
            .await
            .unwrap();
        assert_eq!(path, dirs.inner.join(saved), "{disposition}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "payload");
        assert_eq!(info.safe_file_name(), saved);
    }
    assert_eq!(TempDir::names(&dirs.outer), ["download"], "nothing outside");
    assert_eq!(
        TempDir::names(&dirs.inner),
        [
            "_con.txt", "bashrc", "download", "evil.txt", "passwd", "win.ini"
        ]
    );
}

#[tokio::test]
async fn a_taken_name_is_numbered_and_the_file_there_kept() {
    let dirs = TempDir::new();
    std::fs::write(dirs.inner.join("report.txt"), "mine").unwrap();
    let client = serving(Some(r#"attachment; filename="report.txt""#), "theirs");
    let url = format!("{BASE}/contents/C1");
    for expected in ["report (1).txt", "report (2).txt"] {
        let (path, _) = client
            .contents()
            .download_to_dir(&url, &dirs.inner, DownloadOptions::default())
            .await
            .unwrap();
        assert_eq!(path, dirs.inner.join(expected));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "theirs");
    }
    assert_eq!(
        std::fs::read_to_string(dirs.inner.join("report.txt")).unwrap(),
        "mine"
    );
}

#[tokio::test]
async fn without_a_name_the_file_is_called_download() {
    let dirs = TempDir::new();
    let client = serving(None, "bytes");
    let (path, info) = client
        .contents()
        .download_to_dir("C1", &dirs.inner, DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(path, dirs.inner.join("download"));
    assert_eq!(info.file_name, None);
}

#[tokio::test]
async fn a_failed_download_leaves_nothing_in_the_directory() {
    let dirs = TempDir::new();
    let (client, _) = scripted_client(|_, _| {
        respond(
            404,
            &[("content-disposition", r#"attachment; filename="x.txt""#)],
            r#"{"message":"not found"}"#,
        )
    });
    let error = client
        .contents()
        .download_to_dir("C1", &dirs.inner, DownloadOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert!(TempDir::names(&dirs.inner).is_empty());

    // A directory that does not exist is an I/O error, and nothing is created.
    let missing = dirs.inner.join("missing");
    let client = serving(Some(r#"attachment; filename="x.txt""#), "x");
    let error = client
        .contents()
        .download_to_dir("C1", &missing, DownloadOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Io(_)), "{error:?}");
    assert!(!missing.exists());
}

#[tokio::test]
async fn a_body_that_breaks_midway_leaves_nothing_in_the_directory() {
    let dirs = TempDir::new();
    let (client, _) = scripted_client(|_, _| {
        let chunks: Vec<Result<http_body::Frame<bytes::Bytes>, std::io::Error>> = vec![
            Ok(http_body::Frame::data(bytes::Bytes::from(vec![1; 10_000]))),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "connection reset",
            )),
        ];
        let body = http_body_util::StreamBody::new(futures_util::stream::iter(chunks));
        let mut answer = http::Response::new(spark_http::ResponseBody::new(body));
        answer.headers_mut().insert(
            "content-disposition",
            r#"attachment; filename="big.bin""#.parse().unwrap(),
        );
        answer
    });
    let error = client
        .contents()
        .download_to_dir("C1", &dirs.inner, DownloadOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Http(_)), "{error:?}");
    assert!(
        TempDir::names(&dirs.inner).is_empty(),
        "no file, no partial file"
    );
}
