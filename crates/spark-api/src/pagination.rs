//! Lists as streams: one page fetched at a time, following `rel="next"` links safely.
//!
//! A stream owns a clone of the client (`'static`), holds one page at a time (memory stays flat
//! however long the list), follows next links only to the API's own origins, repairs the known
//! link quirks (see [`crate::link`]), and stops on a link it has already followed.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use futures_util::stream;
use http::{HeaderMap, Method, Uri};
use serde::de::DeserializeOwned;
use spark_http::Body;
use spark_model::ListEnvelope;

use crate::answer;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::link::{next_link, repair};
use crate::progress::{ListProgress, PageCallback};

/// One page of a list, with the answer's headers.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The answer's headers (`Link`, `trackingid`, ...).
    pub headers: HeaderMap,
    /// The (repaired) link the stream follows next, if any.
    pub next: Option<String>,
}

/// A stream of pages. Built by each service's `pages(..)`.
///
/// It owns a clone of the client (`Send + 'static`) and fetches a page each time it is polled
/// for one, following the `rel="next"` links.
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<Page<T>>> + Send>>,
    progress: ListProgress,
    on_page: Option<PageCallback>,
}

/// A stream of list items, fetched a page at a time as it is polled.
///
/// It owns a clone of the client (`Send + 'static`) and holds one page at a time.
///
/// ```no_run
/// # async fn run(client: spark_api::Client) -> spark_api::Result<()> {
/// use futures_util::TryStreamExt;
/// use spark_api::model::ListRooms;
///
/// // `max` is the page size: 100 rooms per request, as many requests as it takes.
/// let rooms: Vec<_> = client.rooms().list(&ListRooms::new().max(100)).try_collect().await?;
/// // Stop after 10 items: only the first page is fetched.
/// let first_ten: Vec<_> = client.rooms().list(&ListRooms::new()).limit(10).try_collect().await?;
/// // Hear of each page as it arrives.
/// let all: Vec<_> = client
///     .rooms()
///     .list(&ListRooms::new().max(100))
///     .on_page(|progress| eprintln!("{} rooms in {} pages", progress.items, progress.pages))
///     .try_collect()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct ListStream<T> {
    pages: PageStream<T>,
    /// The items of the page being read.
    current: std::vec::IntoIter<T>,
    /// How many more items to yield, when limited.
    remaining: Option<usize>,
}

// No field is ever pinned: the page stream is boxed, the rest is plain data.
impl<T> Unpin for PageStream<T> {}
impl<T> Unpin for ListStream<T> {}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for ListStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListStream")
            .field("progress", &self.pages.progress)
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> PageStream<T> {
    /// Pages of `path` with the caller's `query` (already encoded).
    pub(crate) fn new(client: Client, path: &str, query: Result<String>) -> Self {
        Self::with_headers(client, path, query, Vec::new())
    }

    /// Pages of `path` with the caller's `query` (already encoded) and `headers` sent with
    /// every page's request.
    pub(crate) fn with_headers(
        client: Client,
        path: &str,
        query: Result<String>,
        headers: Vec<(&'static str, String)>,
    ) -> Self {
        let query = match query {
            Ok(query) => query,
            Err(error) => return Self::failed(error),
        };
        let first = if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        };
        let caller_query = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let cursor = Cursor {
            client,
            next: Some(first),
            caller_query,
            headers,
            followed: HashSet::new(),
            pending: None,
        };
        Self::from_inner(Box::pin(stream::unfold(cursor, Cursor::step)))
    }

    /// Pages from a next link saved from an earlier listing (an absolute URL, or a path under
    /// the base URL), with the same rules as the links a stream follows: the link must lead to
    /// the API's own origins, and its query parameters are the caller's.
    pub(crate) fn resume(client: Client, next: &str) -> Self {
        let absolute = match client.http().base_url().join(next) {
            Ok(uri) => uri,
            Err(error) => return Self::failed(error.into()),
        };
        if absolute.scheme().is_none() || !client.http().is_trusted(&absolute) {
            return Self::failed(Error::ForeignNextLink {
                url: next.to_owned(),
            });
        }
        let caller_query = absolute
            .query()
            .map(|query| {
                form_urlencoded::parse(query.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        let cursor = Cursor {
            client,
            next: Some(absolute.to_string()),
            caller_query,
            headers: Vec::new(),
            followed: HashSet::new(),
            pending: None,
        };
        Self::from_inner(Box::pin(stream::unfold(cursor, Cursor::step)))
    }

    fn failed(error: Error) -> Self {
        Self::from_inner(Box::pin(stream::once(async { Err(error) })))
    }
}

impl<T> PageStream<T> {
    fn from_inner(inner: Pin<Box<dyn Stream<Item = Result<Page<T>>> + Send>>) -> Self {
        Self {
            inner,
            progress: ListProgress::default(),
            on_page: None,
        }
    }

    /// The items of the pages, one by one.
    pub fn items(self) -> ListStream<T> {
        ListStream {
            pages: self,
            current: Vec::new().into_iter(),
            remaining: None,
        }
    }

    /// Calls `callback` after each page is fetched and decoded, before the stream yields it,
    /// with the pages fetched so far and the items they held ([`ListProgress`]); set it before
    /// polling. A page that fails is not counted. It replaces a callback set before.
    ///
    /// The callback runs on the task polling the stream: keep it short. Without a callback a
    /// stream costs nothing more.
    pub fn on_page<F>(mut self, callback: F) -> Self
    where
        F: FnMut(ListProgress) + Send + 'static,
    {
        self.on_page = Some(Box::new(callback));
        self
    }
}

impl<T> ListStream<T> {
    /// Stops after `items` items; no page beyond the one holding the last of them is fetched.
    pub fn limit(mut self, items: usize) -> Self {
        self.remaining = Some(
            self.remaining
                .map_or(items, |remaining| remaining.min(items)),
        );
        self
    }

    /// Calls `callback` after each page is fetched and decoded, before its items are yielded,
    /// with the pages fetched so far and the items they held ([`ListProgress`]): a listing of
    /// N pages reports N times, the last with `pages == N`. See [`PageStream::on_page`].
    pub fn on_page<F>(mut self, callback: F) -> Self
    where
        F: FnMut(ListProgress) + Send + 'static,
    {
        self.pages = self.pages.on_page(callback);
        self
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let item = this.inner.as_mut().poll_next(cx);
        if let Poll::Ready(Some(Ok(page))) = &item {
            this.progress.pages += 1;
            this.progress.items += page.items.len() as u64;
            if let Some(callback) = &mut this.on_page {
                callback(this.progress);
            }
        }
        item
    }
}

impl<T> Stream for ListStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.remaining == Some(0) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.current.next() {
                if let Some(remaining) = &mut this.remaining {
                    *remaining -= 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.current = page.items.into_iter(),
                Some(Err(error)) => {
                    if let Some(remaining) = &mut this.remaining {
                        *remaining -= 1;
                    }
                    return Poll::Ready(Some(Err(error)));
                }
                None => return Poll::Ready(None),
            }
        }
    }
}

/// Where a page stream stands.
struct Cursor {
    client: Client,
    next: Option<String>,
    caller_query: Vec<(String, String)>,
    /// Headers sent with every page's request (header parameters of the operation).
    headers: Vec<(&'static str, String)>,
    /// Hashes of the links followed so far (8 bytes a page, not the links themselves).
    followed: HashSet<u64>,
    /// An error to report after the page already fetched.
    pending: Option<Error>,
}

impl Cursor {
    async fn step<T: DeserializeOwned>(mut self) -> Option<(Result<Page<T>>, Cursor)> {
        if let Some(error) = self.pending.take() {
            return Some((Err(error), self));
        }
        let url = self.next.take()?;
        match self.fetch(&url).await {
            Ok((items, headers)) => {
                self.follow(&headers);
                let page = Page {
                    items,
                    headers,
                    next: self.next.clone(),
                };
                Some((Ok(page), self))
            }
            Err(error) => Some((Err(error), self)),
        }
    }

    async fn fetch<T: DeserializeOwned>(&mut self, url: &str) -> Result<(Vec<T>, HeaderMap)> {
        let http = self.client.http();
        let mut request = http.request(Method::GET, url, Body::empty())?;
        crate::call::add_headers(&mut request, &self.headers)?;
        self.followed.insert(link_hash(&request.uri().to_string()));
        let response = answer::success(http.send(request).await?).await?;
        let (parts, body) = response.into_parts();
        let bytes = body.collect_limited(answer::JSON_LIMIT).await?;
        let envelope: ListEnvelope<T> = answer::decode(parts.status, &bytes)?;
        Ok((envelope.items, parts.headers))
    }

    /// A link relative to the origin (`/v1/rooms?..`) made absolute on the base URL's origin.
    fn absolute(&self, link: String) -> String {
        if !link.starts_with('/') || link.starts_with("//") {
            return link;
        }
        let base = self.client.http().base_url().as_uri();
        match (base.scheme_str(), base.authority()) {
            (Some(scheme), Some(authority)) => format!("{scheme}://{authority}{link}"),
            _ => link,
        }
    }

    /// Decides where to go after a page with these headers.
    fn follow(&mut self, headers: &HeaderMap) {
        let Some(link) = next_link(headers) else {
            return;
        };
        let link = repair(&self.absolute(link), &self.caller_query);
        let trusted = link
            .parse::<Uri>()
            .is_ok_and(|uri| uri.scheme().is_some() && self.client.http().is_trusted(&uri));
        if !trusted {
            self.pending = Some(Error::ForeignNextLink { url: link });
        } else if self.followed.contains(&link_hash(&link)) {
            tracing::warn!("the next-page link repeats one already followed; the list ends here");
        } else {
            self.next = Some(link);
        }
    }
}

/// A link's hash, for the record of links followed.
fn link_hash(link: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(link)
}
