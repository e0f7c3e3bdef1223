//! `POST /v1/access_token`: the OAuth refresh grant (and a stand-in code grant), its failures
//! answered with OAuth error codes.

use std::sync::atomic::Ordering;

use http::Method;
use spark_model::TokenRequest;

use super::{Ctx, Reply};
use crate::errors::{Failure, Outcome};

/// Answers the grant with a new access token and a new refresh token.
pub(crate) fn handle(ctx: &Ctx<'_>) -> Outcome<Reply> {
    if ctx.method != Method::POST {
        return Err(Failure::method_not_allowed("POST"));
    }
    let mut request = TokenRequest::default();
    for (name, value) in form_urlencoded::parse(&ctx.body) {
        let value = value.into_owned();
        match name.as_ref() {
            "grant_type" => request.grant_type = value,
            "client_id" => request.client_id = value,
            "client_secret" => request.client_secret = value,
            "refresh_token" => request.refresh_token = Some(value),
            "code" => request.code = Some(value),
            "redirect_uri" => request.redirect_uri = Some(value),
            _ => {}
        }
    }
    if request.grant_type.is_empty() {
        return Err(Failure::invalid_request("grant_type is required."));
    }
    let mut state = ctx.state();
    let code_owner = request.code.as_deref().and_then(|code| {
        state
            .people
            .get(code)
            .or_else(|| state.person_by_email(code))
            .map(|person| person.id.clone())
    });
    let answer = state.tokens.grant(&request, code_owner)?;
    drop(state);
    ctx.shared.refreshes.fetch_add(1, Ordering::SeqCst);
    Reply::ok(&answer)
}
