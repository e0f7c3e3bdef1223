//! `/contents`: file information and downloads, streamed to any writer or to a path.

use std::future::Future;
use std::path::Path;

use http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body::Body as _;
use http_body_util::BodyExt;
use spark_http::{Body, HttpClient, ResponseBody};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::service;
use crate::error::{Error, Result};
use crate::progress::{Progress, ProgressCallback};
use crate::service::MAX_FILE_BYTES;

/// The most bytes a download brings by default: the API's file limit
/// ([`MAX_FILE_BYTES`], 100 MiB) plus 10 MiB, 115,343,360 bytes. Change it with
/// [`DownloadOptions::max_bytes`].
pub const DEFAULT_DOWNLOAD_LIMIT: u64 = MAX_FILE_BYTES + 10 * 1024 * 1024;

mod to_dir;

service!(
    /// File contents: what a message's `files` URLs point at.
    Contents,
    "contents"
);

/// What a file is, from the answer's headers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContentInfo {
    /// The file name, from `Content-Disposition`.
    pub file_name: Option<String>,
    /// The size in bytes, from `Content-Length`.
    pub size: Option<u64>,
    /// The media type, from `Content-Type`.
    pub content_type: Option<String>,
}

impl ContentInfo {
    /// [`file_name`](Self::file_name) made safe to save under: no path, no hidden or reserved
    /// name, at most 255 bytes (see [`safe_file_name`](crate::file_name::safe_file_name));
    /// `download` without a name.
    pub fn safe_file_name(&self) -> String {
        crate::file_name::safe_file_name(self.file_name.as_deref().unwrap_or_default())
    }
}

/// How to download: whether to accept files the malware scan could not check, the most bytes to
/// accept, and a progress callback. The default accepts only scanned files, at most
/// [`DEFAULT_DOWNLOAD_LIMIT`] bytes, and reports nothing.
///
/// ```no_run
/// # async fn run(client: spark_api::Client, url: &str) -> spark_api::Result<()> {
/// use spark_api::DownloadOptions;
///
/// let options = DownloadOptions::default().on_progress(|progress| {
///     if let Some(fraction) = progress.fraction() {
///         eprint!("\r{:3.0}%", fraction * 100.0);
///     }
/// });
/// client.contents().download_to_path(url, "report.pdf", options).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct DownloadOptions {
    allow_unscannable: bool,
    max_bytes: Option<u64>,
    progress: Option<ProgressCallback>,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        Self {
            allow_unscannable: false,
            max_bytes: Some(DEFAULT_DOWNLOAD_LIMIT),
            progress: None,
        }
    }
}

impl DownloadOptions {
    /// Sets the most bytes the download may bring (`None`: no limit), default
    /// [`DEFAULT_DOWNLOAD_LIMIT`] (the API's 100 MiB file limit plus 10 MiB), so that a server
    /// sending without end cannot fill the disk. An answer whose `Content-Length` is over the
    /// limit fails before a byte is written; one without fails as soon as the next chunk would
    /// pass it, with nothing past the limit written. Either way the download ends with
    /// [`Error::DownloadTooLarge`] (and [`Contents::download_to_path`] leaves no file).
    pub fn max_bytes(mut self, limit: Option<u64>) -> Self {
        self.max_bytes = limit;
        self
    }

    /// Downloads files the malware scan could not check (`?allow=unscannable`) instead of
    /// failing with [`Error::Unscannable`]. Default `false`.
    pub fn allow_unscannable(mut self, allow: bool) -> Self {
        self.allow_unscannable = allow;
        self
    }

    /// Calls `callback` as the file arrives: first with `done: 0` once the answer's headers are
    /// in, then after each chunk written to the writer (or the file), the last report being
    /// `done == total` for a complete download. `total` is the answer's `Content-Length` (`None`
    /// without one). A download is not retried once its body is streaming, so `done` only
    /// grows; the waits before the answer (a 423 while the file is scanned, a 429) report
    /// nothing.
    ///
    /// The callback runs on the task that awaits the download, between writes: keep it short.
    /// It is shared by every clone of these options. Without a callback a download costs
    /// nothing more.
    pub fn on_progress<F>(mut self, callback: F) -> Self
    where
        F: Fn(Progress) + Send + Sync + 'static,
    {
        self.progress = Some(ProgressCallback::new(callback));
        self
    }
}

impl Contents {
    /// What a file is, with no download: `HEAD` on a content URL (`url_or_id` as a message's
    /// `files` give it, or an id for `/contents/{id}`), no body.
    ///
    /// Returns the [`ContentInfo`] read from the answer's headers: the file name
    /// (`Content-Disposition`), the size in bytes (`Content-Length`) and the media type
    /// (`Content-Type`), each `None` when the header is missing or unreadable.
    ///
    #[doc = super::owned_future_doc!()]
    ///
    #[doc = super::errors_doc!(status, more)]
    /// - [`Error::Unscannable`] when the API answers 428 (the file could not be scanned).
    pub fn info(
        &self,
        url_or_id: &str,
    ) -> impl Future<Output = Result<ContentInfo>> + Send + 'static + use<> {
        let answer = fetch(
            self.client.http().clone(),
            self.request(Method::HEAD, url_or_id, &DownloadOptions::default()),
        );
        async move { Ok(content_info(answer.await?.headers())) }
    }

    /// Downloads a file into `writer`: `GET` on a content URL (`url_or_id` as a message's
    /// `files` give it, or an id for `/contents/{id}`), no body, with `?allow=unscannable` when
    /// the options allow it. The answer's body streams into `writer` as it arrives (it is never
    /// held whole in memory); `writer` is flushed at the end.
    ///
    /// Returns the [`ContentInfo`] the answer's headers gave. A 423 (the file is still being
    /// scanned) is waited out by the retry policy, as a 429 is.
    ///
    /// `writer` is taken by value: give `&mut buffer` to keep the buffer, or an owned writer
    /// (a [`tokio::fs::File`], say) for a future that is `'static` too. The future owns
    /// everything else it needs; it is `Send` when the writer is, and `'static` when the writer
    /// is. The request is built when this method is called and sent when the future is first
    /// polled.
    ///
    /// ```no_run
    /// # async fn run(client: spark_api::Client, url: &str) -> spark_api::Result<()> {
    /// use spark_api::DownloadOptions;
    ///
    /// let mut buffer = Vec::new();
    /// let info = client.contents().download(url, &mut buffer, DownloadOptions::default()).await?;
    /// println!("{:?}: {} bytes", info.file_name, buffer.len());
    /// # Ok(())
    /// # }
    /// ```
    ///
    #[doc = super::errors_doc!(status, more)]
    /// - [`Error::Unscannable`] when the API answers 428 (the file could not be scanned) and the
    ///   options do not allow unscannable files;
    /// - [`Error::DownloadTooLarge`] when the file is over the options' limit (default
    ///   [`DEFAULT_DOWNLOAD_LIMIT`]): announced so (nothing is written), or found so while
    ///   streaming (what was written, up to the limit, stays written);
    /// - [`Error::Http`] when the body breaks off while it is read, or stalls for the idle
    ///   timeout ([`spark_http::Error::Timeout`] of kind
    ///   [`TimeoutKind::ResponseIdle`](spark_http::TimeoutKind::ResponseIdle));
    /// - [`Error::Io`] when writing to `writer` fails (what was written stays written).
    pub fn download<W>(
        &self,
        url_or_id: &str,
        writer: W,
        options: DownloadOptions,
    ) -> impl Future<Output = Result<ContentInfo>> + Send + use<W>
    where
        W: AsyncWrite + Unpin + Send,
    {
        let answer = fetch(
            self.client.http().clone(),
            self.request(Method::GET, url_or_id, &options),
        );
        async move {
            let mut writer = writer;
            write_body(
                answer.await?,
                &mut writer,
                options.max_bytes,
                options.progress,
            )
            .await
        }
    }

    /// Downloads a file to `path`, as [`Contents::download`] does to a writer (`GET` on the
    /// content URL, no body). The file appears whole or not at all: the bytes go to a temporary
    /// file beside it (`.{name}.{unique}.part`), synced and renamed into place only when the
    /// download completes, and removed if the download fails or the future is dropped. An
    /// existing file at `path` is replaced.
    ///
    /// Returns the [`ContentInfo`] the answer's headers gave.
    ///
    #[doc = super::owned_future_doc!()]
    ///
    #[doc = super::errors_doc!(status, more)]
    /// - [`Error::Unscannable`] when the API answers 428 and the options do not allow
    ///   unscannable files;
    /// - [`Error::InvalidArgument`] when `path` names no file (nothing is sent);
    /// - [`Error::DownloadTooLarge`] when the file is over the options' limit (default
    ///   [`DEFAULT_DOWNLOAD_LIMIT`]), announced so or found so while streaming;
    /// - [`Error::Http`] when the body breaks off while it is read, or stalls for the idle
    ///   timeout ([`spark_http::Error::Timeout`] of kind
    ///   [`TimeoutKind::ResponseIdle`](spark_http::TimeoutKind::ResponseIdle));
    /// - [`Error::Io`] when the temporary file cannot be created, written, synced or renamed.
    pub fn download_to_path<P>(
        &self,
        url_or_id: &str,
        path: P,
        options: DownloadOptions,
    ) -> impl Future<Output = Result<ContentInfo>> + Send + 'static + use<P>
    where
        P: AsRef<Path>,
    {
        let path = path.as_ref().to_owned();
        let answer = fetch(
            self.client.http().clone(),
            self.request(Method::GET, url_or_id, &options),
        );
        async move {
            let file_name = path.file_name().ok_or_else(|| {
                Error::InvalidArgument(format!("{} names no file", path.display()))
            })?;
            let partial = PartialFile::new(path.with_file_name(format!(
                ".{}.{}.part",
                file_name.to_string_lossy(),
                crate::unique::unique_suffix()
            )));
            let mut file = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&partial.path)
                .await?;
            let info = write_body(
                answer.await?,
                &mut file,
                options.max_bytes,
                options.progress,
            )
            .await?;
            file.sync_all().await?;
            drop(file);
            tokio::fs::rename(&partial.path, &path).await?;
            partial.keep();
            Ok(info)
        }
    }

    /// The request for a content URL or id, with the options' query.
    fn request(
        &self,
        method: Method,
        url_or_id: &str,
        options: &DownloadOptions,
    ) -> spark_http::Result<Request<Body>> {
        self.client
            .http()
            .request(method, &self.target(url_or_id, options), Body::empty())
    }

    fn target(&self, url_or_id: &str, options: &DownloadOptions) -> String {
        let mut target = if spark_http::is_absolute_url(url_or_id) {
            url_or_id.to_owned()
        } else {
            super::resource_path("contents", Some(url_or_id))
        };
        if options.allow_unscannable {
            target.push(if target.contains('?') { '&' } else { '?' });
            target.push_str("allow=unscannable");
        }
        target
    }
}

/// Sends a content request; a 428 is [`Error::Unscannable`], another error status
/// [`Error::Api`].
async fn fetch(
    http: HttpClient,
    request: spark_http::Result<Request<Body>>,
) -> Result<Response<ResponseBody>> {
    let response = http.send(request?).await?;
    if response.status() == StatusCode::PRECONDITION_REQUIRED {
        let tracking_id = spark_http::tracking_id(response.headers()).map(str::to_owned);
        return Err(Error::Unscannable { tracking_id });
    }
    crate::answer::success(response).await
}

/// Streams a successful answer's body into `writer`, then flushes it; reports to `progress`
/// when there is one. Nothing is written when the announced length is over `limit`, nor past
/// `limit` bytes.
async fn write_body<W>(
    response: Response<ResponseBody>,
    writer: &mut W,
    limit: Option<u64>,
    progress: Option<ProgressCallback>,
) -> Result<ContentInfo>
where
    W: AsyncWrite + Unpin + ?Sized,
{
    let info = content_info(response.headers());
    let body = response.into_body();
    if let Some(limit) = limit {
        let announced = info.size.or_else(|| body.size_hint().exact());
        if let Some(size) = announced.filter(|size| *size > limit) {
            return Err(Error::DownloadTooLarge {
                limit,
                announced: Some(size),
            });
        }
    }
    let limit = limit.unwrap_or(u64::MAX);
    match progress {
        None => copy_body(body, writer, limit, |_| {}).await?,
        Some(progress) => {
            let total = info.size;
            progress.report(0, total);
            let mut done = 0;
            copy_body(body, writer, limit, |written| {
                done += written;
                progress.report(done, total);
            })
            .await?;
        }
    }
    writer.flush().await?;
    Ok(info)
}

/// Writes each data frame of `body` to `writer`, telling `written` each frame's length; fails
/// before writing a frame that would take the total past `limit`.
async fn copy_body<W>(
    mut body: ResponseBody,
    writer: &mut W,
    limit: u64,
    mut written: impl FnMut(u64),
) -> Result<()>
where
    W: AsyncWrite + Unpin + ?Sized,
{
    let mut total: u64 = 0;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.map_err(Error::Http)?.into_data() {
            total = total.saturating_add(data.len() as u64);
            if total > limit {
                return Err(Error::DownloadTooLarge {
                    limit,
                    announced: None,
                });
            }
            writer.write_all(&data).await?;
            written(data.len() as u64);
        }
    }
    Ok(())
}

/// A download in progress: removed when dropped, unless kept (renamed into place). Dropping
/// covers every way out, errors and a caller that stops waiting alike.
struct PartialFile {
    path: std::path::PathBuf,
    kept: bool,
}

impl PartialFile {
    fn new(path: std::path::PathBuf) -> Self {
        Self { path, kept: false }
    }

    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn content_info(headers: &HeaderMap) -> ContentInfo {
    let text = |name| {
        headers
            .get(name)
            .and_then(|value: &http::HeaderValue| value.to_str().ok())
    };
    ContentInfo {
        file_name: text(CONTENT_DISPOSITION).and_then(crate::disposition::file_name_of),
        size: text(CONTENT_LENGTH).and_then(|size| size.trim().parse().ok()),
        content_type: text(CONTENT_TYPE).map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_scheme_and_colon_slash_slash_at_the_start_make_a_url_absolute() {
        let contents = crate::Client::builder()
            .access_token("T")
            .build()
            .expect("the client builds")
            .contents();
        let target = |url_or_id| contents.target(url_or_id, &DownloadOptions::default());

        for absolute in [
            "https://webexapis.com/v1/contents/C1",
            "http://127.0.0.1:9/v1/contents/C1",
            "svn+ssh.x-1://host/file",
        ] {
            assert_eq!(target(absolute), absolute);
        }
        assert_eq!(target("C1"), "contents/C1");
        // `://` inside an id or a query does not make a URL: these stay ids, encoded.
        assert_eq!(
            target("C1?from=https://example.com"),
            "contents/C1%3Ffrom%3Dhttps%3A%2F%2Fexample.com"
        );
        assert_eq!(target("a/b://c"), "contents/a%2Fb%3A%2F%2Fc");
        assert_eq!(target("1abc://x"), "contents/1abc%3A%2F%2Fx");
        assert_eq!(target("://x"), "contents/%3A%2F%2Fx");
        assert_eq!(
            contents.target(
                "https://h/contents/C1",
                &DownloadOptions::default().allow_unscannable(true)
            ),
            "https://h/contents/C1?allow=unscannable"
        );
    }
}
