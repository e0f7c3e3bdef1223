//! `true`/`false` query parameters (`callingData`, `minResponse`, `current`, `sendEmail`, ...).

use super::Ctx;
use crate::errors::{Failure, Outcome};

/// A `true`/`false` query parameter, if given; 400 naming it if it is something else.
pub(crate) fn flag(ctx: &Ctx<'_>, name: &str) -> Outcome<Option<bool>> {
    match ctx.query.get(name) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(Failure::bad_request(format!(
            "Invalid value for {name}: `{other}`; it must be true or false."
        ))),
    }
}
