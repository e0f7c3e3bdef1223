//! The stack's own layers, one per file, in the order they wrap a call (outermost first):
//! [`resolve`] (base URL, default headers), the response hooks (in [`crate::hooks`]), retry (in
//! [`crate::retry`]), [`auth`], the application's own layers, [`trace`] and [`timeout`], then the
//! transport.

pub(crate) mod auth;
pub(crate) mod resolve;
pub(crate) mod timeout;
pub(crate) mod trace;
