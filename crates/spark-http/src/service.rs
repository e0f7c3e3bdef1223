//! The erased service types the stack is assembled from and hands out.

use std::future::Future;
use std::pin::Pin;

use http::{Request, Response};
use tower::util::BoxCloneSyncService;

use crate::body::Body;
use crate::error::Error;
use crate::response::ResponseBody;

/// The whole stack, or any part of it, as one cloneable, thread-safe service.
///
/// Requests carry a [`Body`]; responses carry a streaming [`ResponseBody`]. Building one needs
/// no running runtime.
pub type HttpService = BoxCloneSyncService<Request<Body>, Response<ResponseBody>, Error>;

/// The future of a call through a layer of the stack.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;
