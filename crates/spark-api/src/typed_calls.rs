//! Typed calls for any path: what the services do not cover (or not yet) still gets the
//! services' JSON decoding, error answers, pagination and origin checks.

use std::future::Future;

use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::call::Call;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::pagination::{ListStream, PageStream};

impl Client {
    /// `GET {path}`, the answer decoded from JSON into `T`.
    ///
    /// `path` is relative to the base URL (`"meetings/{id}"`, with ids you percent-encode
    /// yourself), or an absolute URL (the token goes only to the API's trusted origins).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> spark_api::Result<()> {
    /// # let emulator = spark_emulator::Emulator::start().await?;
    /// # let client = spark_api::Client::builder()
    /// #     .base_url(emulator.base_url())?.access_token(emulator.access_token()).build()?;
    /// let me: spark_api::model::Person = client.get("people/me").await?;
    /// // Or any shape of your own, serde_json::Value included.
    /// let raw: serde_json::Value = client.get("people/me").await?;
    /// assert_eq!(raw["id"].as_str(), Some(me.id.as_str()));
    /// # Ok(())
    /// # }
    /// ```
    ///
    #[doc = crate::service::owned_future_doc!()]
    ///
    #[doc = crate::service::errors_doc!(json)]
    pub fn get<T>(&self, path: &str) -> impl Future<Output = Result<T>> + Send + 'static + use<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        Call::new(self, Method::GET, path.to_owned()).json()
    }

    /// `GET {path}?{query}`, with `query` encoded as a form (`serde_urlencoded`: a struct or a
    /// list of pairs), the answer decoded from JSON into `T`.
    ///
    #[doc = crate::service::owned_future_doc!()]
    ///
    #[doc = crate::service::errors_doc!(json, more)]
    /// - [`Error::Query`] when `query` cannot be encoded (nothing is sent).
    pub fn get_with<Q, T>(
        &self,
        path: &str,
        query: &Q,
    ) -> impl Future<Output = Result<T>> + Send + 'static + use<Q, T>
    where
        Q: Serialize + ?Sized,
        T: DeserializeOwned + Send + 'static,
    {
        let target = with_query(path, query);
        let call = target.map(|target| Call::new(self, Method::GET, target));
        async move { call?.json().await }
    }

    /// `{method} {path}` with `body` as JSON (`Content-Type: application/json`), serialized
    /// now, the answer decoded from JSON into `T` (use `serde_json::Value` for any shape,
    /// or [`Client::send_empty`] for an answer without a body).
    ///
    /// Retries follow the method: a `POST` or `PATCH` is retried only when the API did not
    /// process it (429, 423, a connection that failed before anything was sent).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> spark_api::Result<()> {
    /// # let emulator = spark_emulator::Emulator::start().await?;
    /// # let client = spark_api::Client::builder()
    /// #     .base_url(emulator.base_url())?.access_token(emulator.access_token()).build()?;
    /// use http::Method;
    /// use spark_api::model::Room;
    ///
    /// let room: Room =
    ///     client.send(Method::POST, "rooms", &serde_json::json!({"title": "Ops"})).await?;
    /// assert_eq!(room.title.as_deref(), Some("Ops"));
    /// # Ok(())
    /// # }
    /// ```
    ///
    #[doc = crate::service::owned_future_doc!()]
    ///
    #[doc = crate::service::errors_doc!(json)]
    pub fn send<B, T>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> impl Future<Output = Result<T>> + Send + 'static + use<B, T>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned + Send + 'static,
    {
        Call::new(self, method, path.to_owned())
            .json_body(body, "application/json")
            .json()
    }

    /// `{method} {path}` with no body, checking only the answer's status (`DELETE`, the
    /// actions that answer `204`).
    ///
    #[doc = crate::service::owned_future_doc!()]
    ///
    #[doc = crate::service::errors_doc!(status)]
    pub fn send_empty(
        &self,
        method: Method,
        path: &str,
    ) -> impl Future<Output = Result<()>> + Send + 'static + use<> {
        Call::new(self, method, path.to_owned()).empty()
    }

    /// Lists any collection: `GET {path}?{query}`, answers `{"items": [...]}` decoded into `T`,
    /// next links followed like every service's `list` (to the API's origins only, repaired,
    /// one page in memory at a time).
    ///
    /// `query` is encoded as a form (`serde_urlencoded`); `&()` for none.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> spark_api::Result<()> {
    /// # let emulator = spark_emulator::Emulator::start().await?;
    /// # let client = spark_api::Client::builder()
    /// #     .base_url(emulator.base_url())?.access_token(emulator.access_token()).build()?;
    /// use futures_util::TryStreamExt;
    /// use spark_api::model::Room;
    ///
    /// let rooms: Vec<Room> = client.list("rooms", &[("max", "50")]).try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    #[doc = crate::service::errors_doc!(stream)]
    pub fn list<T, Q>(&self, path: &str, query: &Q) -> ListStream<T>
    where
        T: DeserializeOwned + Send + 'static,
        Q: Serialize + ?Sized,
    {
        self.pages(path, query).items()
    }

    /// Like [`Client::list`], a [`Page`](crate::Page) at a time: each page's items, headers
    /// and the next link it will follow (which [`Client::resume_list`] takes later).
    ///
    #[doc = crate::service::errors_doc!(stream)]
    pub fn pages<T, Q>(&self, path: &str, query: &Q) -> PageStream<T>
    where
        T: DeserializeOwned + Send + 'static,
        Q: Serialize + ?Sized,
    {
        let query = serde_urlencoded::to_string(query).map_err(Error::Query);
        PageStream::new(self.clone(), path, query)
    }

    /// Goes on with a listing from a next link saved earlier ([`Page::next`](crate::Page)), in
    /// this process or another: the items of that page and of the ones after it.
    ///
    /// The link must lead to the API's own origins, like every link a stream follows; its
    /// query parameters count as the caller's (a later link that drops them gets them back).
    ///
    /// # Errors
    ///
    /// As for [`Client::list`]; the first item is
    /// [`Error::ForeignNextLink`] when `next` leads outside the API's origins (nothing is
    /// sent).
    pub fn resume_list<T>(&self, next: &str) -> ListStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.resume_pages(next).items()
    }

    /// Like [`Client::resume_list`], a page at a time.
    ///
    /// # Errors
    ///
    /// As for [`Client::resume_list`].
    pub fn resume_pages<T>(&self, next: &str) -> PageStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        PageStream::resume(self.clone(), next)
    }
}

/// `path?query`, the query encoded as a form.
fn with_query<Q: Serialize + ?Sized>(path: &str, query: &Q) -> Result<String> {
    let query = serde_urlencoded::to_string(query).map_err(Error::Query)?;
    Ok(if query.is_empty() {
        path.to_owned()
    } else if path.contains('?') {
        format!("{path}&{query}")
    } else {
        format!("{path}?{query}")
    })
}
