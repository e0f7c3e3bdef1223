//! One call of any operation: method, path, query and header parameters, an optional JSON body,
//! and what to read from the answer. The generated services and the typed calls of [`Client`]
//! go through it.

use std::future::Future;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Method, Request};
use serde::Serialize;
use serde::de::DeserializeOwned;
use spark_http::Body;
use spark_model::RequestParts;

use crate::answer;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::pagination::{ListStream, PageStream};

/// A call being put together; nothing is sent until its future is polled.
pub(crate) struct Call {
    client: Client,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    /// The JSON body, serialized when it is set (the future borrows nothing), and its type.
    body: Option<(spark_http::Result<Vec<u8>>, &'static str)>,
}

impl Call {
    pub(crate) fn new(client: &Client, method: Method, path: String) -> Self {
        Self {
            client: client.clone(),
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Adds the query and header parameters of a request type.
    pub(crate) fn parts(mut self, parts: &impl RequestParts) -> Self {
        self.query.extend(parts.query());
        self.headers.extend(parts.headers());
        self
    }

    /// Sets the JSON body, serialized now, sent as `content_type`.
    pub(crate) fn json_body<B: Serialize + ?Sized>(
        mut self,
        body: &B,
        content_type: &'static str,
    ) -> Self {
        let json = serde_json::to_vec(body).map_err(spark_http::Error::Serialize);
        self.body = Some((json, content_type));
        self
    }

    /// The query parameters, form-encoded (empty when there are none).
    fn encoded_query(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.query {
            query.append_pair(name, value);
        }
        query.finish()
    }

    /// The path with its query string.
    fn target(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        format!("{}?{}", self.path, self.encoded_query())
    }

    fn request(self) -> Result<(Client, Request<Body>)> {
        let target = self.target();
        let http = self.client.http();
        let mut request = match self.body {
            None => http.request(self.method, &target, Body::empty())?,
            Some((json, content_type)) => {
                let mut request = http.request(self.method, &target, Body::from(json?))?;
                request
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
                request
            }
        };
        add_headers(&mut request, &self.headers)?;
        Ok((self.client, request))
    }

    /// Sends the call and decodes the JSON answer into `T`.
    pub(crate) fn json<T>(self) -> impl Future<Output = Result<T>> + Send + 'static + use<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let prepared = self.request();
        async move {
            let (client, request) = prepared?;
            answer::json(client.http().send(request).await?).await
        }
    }

    /// Sends the call and checks the answer's status, ignoring its body.
    pub(crate) fn empty(self) -> impl Future<Output = Result<()>> + Send + 'static + use<> {
        let prepared = self.request();
        async move {
            let (client, request) = prepared?;
            answer::success(client.http().send(request).await?)
                .await
                .map(drop)
        }
    }

    /// Sends the call and reads the whole answer (bounded like a JSON answer).
    // Only the meetings area has answers that are not JSON (transcripts as text/vtt).
    #[cfg_attr(not(feature = "meetings"), allow(dead_code))]
    pub(crate) fn bytes(self) -> impl Future<Output = Result<Bytes>> + Send + 'static + use<> {
        let prepared = self.request();
        async move {
            let (client, request) = prepared?;
            let response = answer::success(client.http().send(request).await?).await?;
            Ok(response
                .into_body()
                .collect_limited(answer::JSON_LIMIT)
                .await?)
        }
    }

    /// Lists the items of `{"items": [...]}` pages, following next links; header parameters go
    /// with every page's request. Calls with a body cannot be listed: the body is dropped.
    pub(crate) fn list<T>(self) -> ListStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.pages().items()
    }

    /// Like [`Call::list`], a page at a time.
    pub(crate) fn pages<T>(self) -> PageStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let query = self.encoded_query();
        PageStream::with_headers(self.client, &self.path, Ok(query), self.headers)
    }
}

/// Adds header parameters to a request; a value an HTTP header cannot carry is refused (the
/// error names the parameter, never its value: it may be a password).
pub(crate) fn add_headers(
    request: &mut Request<Body>,
    headers: &[(&'static str, String)],
) -> Result<()> {
    for (name, value) in headers {
        let invalid = || {
            Error::InvalidArgument(format!(
                "the header parameter `{name}` holds characters an HTTP header cannot carry"
            ))
        };
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let mut value = HeaderValue::from_str(value).map_err(|_| invalid())?;
        value.set_sensitive(true);
        request.headers_mut().insert(header, value);
    }
    Ok(())
}
