//! [`Contents::download_to_dir`]: a download saved in a directory under the file name the server
//! gives, made safe, never over a file already there.

use std::future::Future;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use http::Method;

use super::{ContentInfo, Contents, DownloadOptions, PartialFile, content_info, fetch, write_body};
use crate::error::Result;
use crate::file_name::numbered;

/// How many numbered names (`name (1).ext`, ...) are tried when a name is taken.
const MAX_NUMBERED: u32 = 999;

impl Contents {
    /// Downloads a file into the directory `dir` under the name the server gives it, made safe:
    /// `GET` on a content URL (`url_or_id` as a message's `files` give it, or an id for
    /// `/contents/{id}`), no body, as [`Contents::download_to_path`] does.
    ///
    /// The name is [`ContentInfo::safe_file_name`] of the answer's `Content-Disposition`
    /// (`download` without one): only the last part of a path, no hidden file, no name Windows
    /// reserves, at most 255 bytes, so the file lands in `dir` and nowhere else. A file already
    /// there is never replaced: the name is numbered instead (`report (1).pdf`, up to 999). The
    /// name is taken at once by an empty file, and the bytes go to a temporary file in `dir`
    /// (`.{unique}.part`), synced and renamed over it only when the download completes; both
    /// are removed if the download fails or the future is dropped.
    ///
    /// Returns the path written (`dir` joined with the name) and the [`ContentInfo`] the answer's
    /// headers gave.
    ///
    #[doc = crate::service::owned_future_doc!()]
    ///
    /// ```no_run
    /// # async fn run(client: spark_api::Client, url: &str) -> spark_api::Result<()> {
    /// use spark_api::DownloadOptions;
    ///
    /// let (path, info) = client
    ///     .contents()
    ///     .download_to_dir(url, "downloads", DownloadOptions::default())
    ///     .await?;
    /// println!("{:?} saved as {}", info.file_name, path.display());
    /// # Ok(())
    /// # }
    /// ```
    ///
    #[doc = crate::service::errors_doc!(status, more)]
    /// - [`Error::Unscannable`](crate::Error::Unscannable) when the API answers 428 and the
    ///   options do not allow unscannable files;
    /// - [`Error::Http`](crate::Error::Http) when the body breaks off while it is read;
    /// - [`Error::Io`](crate::Error::Io) when `dir` is missing or not writable, when the name and
    ///   its 999 numbered forms are all taken (`ErrorKind::AlreadyExists`), or when the file
    ///   cannot be written, synced or renamed.
    pub fn download_to_dir<P>(
        &self,
        url_or_id: &str,
        dir: P,
        options: DownloadOptions,
    ) -> impl Future<Output = Result<(PathBuf, ContentInfo)>> + Send + 'static + use<P>
    where
        P: AsRef<Path>,
    {
        let dir = dir.as_ref().to_owned();
        let answer = fetch(
            self.client.http().clone(),
            self.request(Method::GET, url_or_id, &options),
        );
        async move {
            let response = answer.await?;
            let name = content_info(response.headers()).safe_file_name();
            let (path, taken) = take_free_name(&dir, &name).await?;
            let partial =
                PartialFile::new(dir.join(format!(".{}.part", crate::unique::unique_suffix())));
            let mut file = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&partial.path)
                .await?;
            let info = write_body(response, &mut file, options.max_bytes, options.progress).await?;
            file.sync_all().await?;
            drop(file);
            tokio::fs::rename(&partial.path, &path).await?;
            partial.keep();
            taken.keep();
            Ok((path, info))
        }
    }
}

/// Creates an empty file under the first of `name`, `name (1)`, ... that is free in `dir`, so
/// that nothing else takes it; returns its path, and a guard that removes it unless kept.
async fn take_free_name(dir: &Path, name: &str) -> Result<(PathBuf, PartialFile)> {
    for n in 0..=MAX_NUMBERED {
        let path = match n {
            0 => dir.join(name),
            n => dir.join(numbered(name, n)),
        };
        let created = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await;
        match created {
            Ok(_) => return Ok((path.clone(), PartialFile::new(path))),
            Err(error) if error.kind() == ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error.into()),
        }
    }
    Err(std::io::Error::new(
        ErrorKind::AlreadyExists,
        format!(
            "`{name}` and its {MAX_NUMBERED} numbered forms are all taken in {}",
            dir.display()
        ),
    )
    .into())
}
