//! Lists as streams: one page fetched at a time, following `rel="next"` links safely.
//!
//! A stream owns a clone of the client (`'static`), holds one page at a time (memory stays flat
//! however long the list), follows next links only to the API's own origins, repairs the known
//! link quirks (see [`crate::link`]), and stops on a link it has already followed.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt, stream};
use http::{HeaderMap, Method, Uri};
use serde::de::DeserializeOwned;
use spark_http::Body;
use spark_model::ListEnvelope;

use crate::answer;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::link::{next_link, repair};

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
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<Page<T>>> + Send>>,
}

/// A stream of list items, fetched a page at a time as it is polled.
///
/// ```no_run
/// # async fn run(client: spark_api::Client) -> spark_api::Result<()> {
/// use futures_util::TryStreamExt;
/// use spark_model::ListRooms;
///
/// // `max` is the page size: 100 rooms per request, as many requests as it takes.
/// let rooms: Vec<_> = client.rooms().list(&ListRooms::new().max(100)).try_collect().await?;
/// // Stop after 10 items: only the first page is fetched.
/// let first_ten: Vec<_> = client.rooms().list(&ListRooms::new()).limit(10).try_collect().await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct ListStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T>> + Send>>,
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PageStream")
    }
}

impl<T> fmt::Debug for ListStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ListStream")
    }
}

impl<T: DeserializeOwned + Send + 'static> PageStream<T> {
    /// Pages of `path` with the caller's `query` (already encoded).
    pub(crate) fn new(client: Client, path: &str, query: Result<String>) -> Self {
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
            followed: HashSet::new(),
            pending: None,
        };
        Self {
            inner: Box::pin(stream::unfold(cursor, Cursor::step)),
        }
    }

    fn failed(error: Error) -> Self {
        Self {
            inner: Box::pin(stream::once(async { Err(error) })),
        }
    }

    /// The items of the pages, one by one.
    pub fn items(self) -> ListStream<T> {
        ListStream {
            inner: Box::pin(
                self.inner
                    .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
                    .try_flatten(),
            ),
        }
    }
}

impl<T: Send + 'static> ListStream<T> {
    /// Stops after `items` items; no page beyond the one holding the last of them is fetched.
    pub fn limit(self, items: usize) -> Self {
        Self {
            inner: Box::pin(self.inner.take(items)),
        }
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> Stream for ListStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Where a page stream stands.
struct Cursor {
    client: Client,
    next: Option<String>,
    caller_query: Vec<(String, String)>,
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
        let request = http.request(Method::GET, url, Body::empty())?;
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
