//! `/contents`: file information and downloads, streamed to any writer or to a path.

use std::path::Path;

use http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, Method, StatusCode};
use http_body_util::BodyExt;
use spark_http::Body;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::service;
use crate::error::{Error, Result};

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

/// How to download.
#[derive(Debug, Clone, Copy, Default)]
pub struct DownloadOptions {
    allow_unscannable: bool,
}

impl DownloadOptions {
    /// Downloads files the malware scan could not check (`?allow=unscannable`) instead of
    /// failing with [`Error::Unscannable`].
    pub fn allow_unscannable(mut self, allow: bool) -> Self {
        self.allow_unscannable = allow;
        self
    }
}

impl Contents {
    /// `HEAD` on a content URL (or `/contents/{id}`): name, size and type, with no download.
    pub async fn info(&self, url_or_id: &str) -> Result<ContentInfo> {
        let target = self.target(url_or_id, DownloadOptions::default());
        let response = self.call(Method::HEAD, &target).await?;
        Ok(content_info(response.headers()))
    }

    /// Streams a file into `writer`; returns what the headers said of it. A 423 (still being
    /// scanned) is waited out by the retry policy; a 428 is [`Error::Unscannable`].
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
    pub async fn download<W>(
        &self,
        url_or_id: &str,
        writer: &mut W,
        options: DownloadOptions,
    ) -> Result<ContentInfo>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let target = self.target(url_or_id, options);
        let response = self.call(Method::GET, &target).await?;
        let info = content_info(response.headers());
        let mut body = response.into_body();
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.map_err(Error::Http)?.into_data() {
                writer.write_all(&data).await?;
            }
        }
        writer.flush().await?;
        Ok(info)
    }

    /// Downloads a file to `path`. The file appears whole or not at all: the bytes go to a
    /// temporary file beside it, renamed into place only when the download completes, and
    /// removed if the download fails or the caller stops waiting for it.
    pub async fn download_to_path(
        &self,
        url_or_id: &str,
        path: impl AsRef<Path>,
        options: DownloadOptions,
    ) -> Result<ContentInfo> {
        let path = path.as_ref();
        let file_name = path
            .file_name()
            .ok_or_else(|| Error::InvalidArgument(format!("{} names no file", path.display())))?;
        let partial =
            PartialFile::new(path.with_file_name(format!(".{}.part", file_name.to_string_lossy())));
        let mut file = tokio::fs::File::create(&partial.path).await?;
        let info = self.download(url_or_id, &mut file, options).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&partial.path, path).await?;
        partial.keep();
        Ok(info)
    }

    fn target(&self, url_or_id: &str, options: DownloadOptions) -> String {
        let mut target = if url_or_id.contains("://") {
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

    async fn call(
        &self,
        method: Method,
        target: &str,
    ) -> Result<http::Response<spark_http::ResponseBody>> {
        let http = self.client.http();
        let request = http.request(method, target, Body::empty())?;
        let response = http.send(request).await?;
        if response.status() == StatusCode::PRECONDITION_REQUIRED {
            let tracking_id = response
                .headers()
                .get(spark_http::TRACKING_ID_HEADER)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            return Err(Error::Unscannable { tracking_id });
        }
        crate::answer::success(response).await
    }
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
        file_name: text(CONTENT_DISPOSITION).and_then(file_name_of),
        size: text(CONTENT_LENGTH).and_then(|size| size.trim().parse().ok()),
        content_type: text(CONTENT_TYPE).map(str::to_owned),
    }
}

/// The file name in a `Content-Disposition` value: `filename*=UTF-8''..` first, else `filename=`.
fn file_name_of(disposition: &str) -> Option<String> {
    let params: Vec<(&str, &str)> = disposition
        .split(';')
        .filter_map(|param| param.split_once('='))
        .map(|(name, value)| (name.trim(), value.trim()))
        .collect();
    let extended = params
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("filename*"));
    if let Some((_, value)) = extended
        && let Some((_, encoded)) = value.split_once("''")
    {
        let decoded: String = form_urlencoded::parse(format!("x={encoded}").as_bytes())
            .map(|(_, value)| value.into_owned())
            .collect();
        return Some(decoded);
    }
    params
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("filename"))
        .map(|(_, value)| value.trim_matches('"').to_owned())
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
}
