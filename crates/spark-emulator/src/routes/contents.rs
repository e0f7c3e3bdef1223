//! `/v1/contents/{id}`: downloads of uploaded files (`GET` and `HEAD`), with
//! `Content-Disposition`, `Content-Type` and `Content-Length`. While the `file_scan` refusal is
//! on, a file being scanned answers 423, an unscannable one 428 (unless `?allow=unscannable`), an
//! infected one 410 (see `scan`).

use http::{Method, StatusCode};

use super::{Ctx, Reply, require_member};
use crate::errors::{Failure, Outcome};

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    let [id] = rest else {
        return Err(Failure::not_found());
    };
    if ctx.method != Method::GET && ctx.method != Method::HEAD {
        return Err(Failure::method_not_allowed("GET, HEAD"));
    }
    let state = ctx.state();
    let file = state.files.get(*id).ok_or_else(Failure::not_found)?;
    require_member(&state, &file.room_id, &ctx.caller)?;
    if state.refusals.file_scan {
        let allow = ctx.query.get("allow").unwrap_or_default();
        file.scan
            .check(allow.split(',').any(|value| value.trim() == "unscannable"))?;
    }
    let disposition = disposition(&file.file_name);
    Ok(Reply {
        status: StatusCode::OK,
        headers: vec![
            ("content-type", file.content_type.clone()),
            ("content-length", file.bytes.len().to_string()),
            ("content-disposition", disposition),
        ],
        body: file.bytes.clone(),
    })
}

/// `attachment; filename="..."`, plus `filename*=UTF-8''...` when the name is not plain ASCII.
pub(crate) fn disposition(file_name: &str) -> String {
    let plain: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if plain == file_name {
        return format!("attachment; filename=\"{plain}\"");
    }
    let encoded: String = file_name
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn plain_and_utf8_names() {
        assert_eq!(disposition("a b.txt"), "attachment; filename=\"a b.txt\"");
        assert_eq!(
            disposition("é.txt"),
            "attachment; filename=\"_.txt\"; filename*=UTF-8''%C3%A9.txt"
        );
    }
}
