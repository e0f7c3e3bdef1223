//! Progress reports: bytes moved by uploads and downloads ([`Progress`]), pages fetched by list
//! streams ([`ListProgress`]).
//!
//! Reports go to callbacks the caller sets on the option types (`FileUpload::on_progress`,
//! `DownloadOptions::on_progress`, `ListStream::on_page`). Without a callback nothing here runs:
//! no allocation, no counting stream in the body, no extra poll.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

/// How far a transfer has come: bytes moved so far, and the total when it is known.
///
/// ```
/// use spark_api::Progress;
///
/// fn show(progress: Progress) {
///     match progress.fraction() {
///         Some(fraction) => eprintln!("{:.0}%", fraction * 100.0),
///         None => eprintln!("{} bytes", progress.done),
///     }
/// }
/// # show(Progress::new(50, Some(200)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Progress {
    /// Bytes moved so far in this attempt: for an upload, bytes of the request body handed to
    /// the connection; for a download, bytes written to the writer.
    pub done: u64,
    /// The bytes the transfer will move in all, when known: for an upload, the request body's
    /// length (the file plus its multipart framing, always known); for a download, the
    /// answer's `Content-Length` (`None` without one).
    pub total: Option<u64>,
}

impl Progress {
    /// A report of `done` bytes out of `total` (for your own tests of a callback).
    pub fn new(done: u64, total: Option<u64>) -> Self {
        Self { done, total }
    }

    /// `done / total`, from 0.0 to 1.0, when the total is known (1.0 for an empty total).
    pub fn fraction(&self) -> Option<f64> {
        self.total.map(|total| {
            if total == 0 {
                1.0
            } else {
                self.done as f64 / total as f64
            }
        })
    }

    /// True when every byte of a known total has moved.
    pub fn is_complete(&self) -> bool {
        self.total == Some(self.done)
    }
}

/// How far a list stream has come: pages fetched, and the items they held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct ListProgress {
    /// Pages fetched and decoded so far, this one included (1 for the first page).
    pub pages: u64,
    /// The items those pages held, in all (the stream may not have yielded the last page's
    /// items yet).
    pub items: u64,
}

impl ListProgress {
    /// A report of `pages` pages holding `items` items (for your own tests of a callback).
    pub fn new(pages: u64, items: u64) -> Self {
        Self { pages, items }
    }
}

/// A transfer's callback, shared by every attempt (and every clone of the options).
#[derive(Clone)]
pub(crate) struct ProgressCallback(Arc<dyn Fn(Progress) + Send + Sync>);

impl ProgressCallback {
    pub(crate) fn new<F>(callback: F) -> Self
    where
        F: Fn(Progress) + Send + Sync + 'static,
    {
        Self(Arc::new(callback))
    }

    pub(crate) fn report(&self, done: u64, total: Option<u64>) {
        (self.0)(Progress { done, total });
    }
}

impl fmt::Debug for ProgressCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressCallback")
    }
}

/// A list stream's callback.
pub(crate) type PageCallback = Box<dyn FnMut(ListProgress) + Send>;

/// A body stream that reports `done: 0` when first polled, then the bytes passed after each
/// chunk. Each attempt of an upload reads a fresh one, so each attempt counts from 0.
pub(crate) struct Reporting<S> {
    inner: S,
    done: u64,
    total: Option<u64>,
    started: bool,
    callback: ProgressCallback,
}

impl<S> Reporting<S> {
    pub(crate) fn new(inner: S, total: Option<u64>, callback: ProgressCallback) -> Self {
        Self {
            inner,
            done: 0,
            total,
            started: false,
            callback,
        }
    }
}

impl<S, E> Stream for Reporting<S>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    type Item = Result<Bytes, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if !this.started {
            this.started = true;
            this.callback.report(0, this.total);
        }
        let item = Pin::new(&mut this.inner).poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &item {
            if !chunk.is_empty() {
                this.done += chunk.len() as u64;
                this.callback.report(this.done, this.total);
            }
        }
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::Mutex;

    #[tokio::test]
    async fn a_reporting_stream_starts_at_zero_and_counts_each_chunk() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let callback = ProgressCallback::new(move |p| record.lock().unwrap().push(p));
        let chunks = futures_util::stream::iter(
            ["ab", "", "cde"].map(|c| Ok::<_, std::io::Error>(Bytes::from(c))),
        );
        let all: Vec<_> = Reporting::new(chunks, Some(5), callback).collect().await;
        assert_eq!(all.len(), 3);
        let seen = seen.lock().unwrap();
        assert_eq!(
            *seen,
            [
                Progress::new(0, Some(5)),
                Progress::new(2, Some(5)),
                Progress::new(5, Some(5))
            ]
        );
        assert!(seen[2].is_complete());
        assert_eq!(seen[1].fraction(), Some(0.4));
    }

    #[test]
    fn an_unknown_total_has_no_fraction() {
        assert_eq!(Progress::new(7, None).fraction(), None);
        assert_eq!(Progress::new(0, Some(0)).fraction(), Some(1.0));
        assert!(!Progress::new(7, None).is_complete());
    }
}
