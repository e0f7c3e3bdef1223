//! Lists the Webex way: `{"items": [...]}` pages of `max` items, and a
//! `Link: <...>; rel="next"` header while more remain.
//!
//! The next link is an absolute URL on the origin the caller used, carrying the caller's own
//! query parameters, the page size and an opaque `cursor`. A cursor remembers the sequence
//! number of the last item given, so rows added or removed between pages neither repeat nor
//! vanish (for lists in creation order); lists in another order use a position. With the
//! `null_max_in_next_links` fault the link says `max=null`, which this server answers with 400,
//! as Webex does.
//!
//! [`list_from`] takes the rows as an iterator made for the request's cursor, so a collection
//! indexed by sequence number starts reading where the page starts and stops one row past its
//! end: a page costs the same whatever the collection's size. [`list`] pages a ready-made list.

use serde::Serialize;
use spark_model::ListEnvelope;

use crate::errors::{Failure, Outcome};
use crate::ids;
use crate::routes::{Ctx, Reply};

/// The largest page the emulator gives, whatever `max` asks.
pub(crate) const MAX_PAGE: usize = 1000;

/// How the rows handed to [`list`] are ordered, which decides the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Oldest first, by sequence number.
    Ascending,
    /// Newest first, by sequence number.
    Descending,
    /// Some other order: the cursor is a position.
    Positional,
}

/// Where the page a request asks for starts (decoded from its opaque `cursor` parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cursor {
    /// Rows with a greater sequence number (ascending lists).
    After(u64),
    /// Rows with a smaller sequence number (descending lists).
    Before(u64),
    /// Rows past this position (lists in another order).
    Offset(usize),
}

impl Cursor {
    fn encode(self) -> String {
        let text = match self {
            Self::After(seq) => format!("after:{seq}"),
            Self::Before(seq) => format!("before:{seq}"),
            Self::Offset(offset) => format!("offset:{offset}"),
        };
        ids::encode(text.as_bytes())
    }

    /// The smallest sequence number a page from this cursor may not reach, for a descending
    /// list: rows at or above it were given on earlier pages.
    pub(crate) fn below(cursor: Option<Self>) -> Option<u64> {
        match cursor {
            Some(Self::Before(seq)) => Some(seq),
            _ => None,
        }
    }

    /// Whether a row with this sequence number may be on the page this cursor starts.
    fn admits(self, seq: u64) -> bool {
        match self {
            Self::After(last) => seq > last,
            Self::Before(last) => seq < last,
            Self::Offset(_) => true,
        }
    }

    fn decode(text: &str) -> Option<Self> {
        let bytes = ids::decode(text)?;
        let text = String::from_utf8(bytes).ok()?;
        let (kind, number) = text.split_once(':')?;
        match kind {
            "after" => number.parse().ok().map(Self::After),
            "before" => number.parse().ok().map(Self::Before),
            "offset" => number.parse().ok().map(Self::Offset),
            _ => None,
        }
    }
}

/// The page size a request asks for: `max`, else `default`; capped at [`MAX_PAGE`]. `max=null`,
/// `max=0` and any non-number are 400.
pub(crate) fn page_size(ctx: &Ctx<'_>, default: usize) -> Outcome<usize> {
    match ctx.query.get("max") {
        None => Ok(default),
        Some(raw) => match raw.trim().parse::<usize>() {
            Ok(0) | Err(_) => Err(Failure::bad_request(format!(
                "Invalid value for max: `{raw}`; it must be a positive integer."
            ))),
            Ok(max) => Ok(max.min(MAX_PAGE)),
        },
    }
}

/// Answers one page of `rows` (already filtered and in `order`), with the next link if more
/// remain.
pub(crate) fn list<T: Serialize>(
    ctx: &Ctx<'_>,
    rows: Vec<(u64, T)>,
    order: Order,
    default_max: usize,
) -> Outcome<Reply> {
    list_from(ctx, order, default_max, |_| rows.into_iter())
}

/// Answers one page of the rows `rows` gives for the request's cursor (filtered and in `order`;
/// it may start anywhere before the cursor's first row, those are skipped), with the next link
/// if more remain. At most one row past the page is read from the iterator.
pub(crate) fn list_from<T, I>(
    ctx: &Ctx<'_>,
    order: Order,
    default_max: usize,
    rows: impl FnOnce(Option<Cursor>) -> I,
) -> Outcome<Reply>
where
    T: Serialize,
    I: Iterator<Item = (u64, T)>,
{
    let max = page_size(ctx, default_max)?;
    let raw_cursor = ctx.query.get("cursor");
    let (raw_cursor, emptied) = match raw_cursor.and_then(|raw| raw.strip_suffix(EMPTIED)) {
        Some(raw) => (Some(raw), true),
        None => (raw_cursor, false),
    };
    let cursor = match raw_cursor {
        None => None,
        Some(raw) => Some(
            Cursor::decode(raw)
                .ok_or_else(|| Failure::bad_request("The cursor of this page is not valid."))?,
        ),
    };
    if let (Some(cursor), false, true) = (cursor, emptied, ctx.quirks.empty_page_mid_list) {
        // The `empty_page_mid_list` quirk: no items, and a link to the same page.
        let link = next_url(ctx, max, &format!("{}{EMPTIED}", cursor.encode()));
        return Ok(
            Reply::json(http::StatusCode::OK, &ListEnvelope::<T>::new(Vec::new()))
                .header("link", format!("<{link}>; rel=\"next\"")),
        );
    }
    let skip = match cursor {
        Some(Cursor::Offset(offset)) => offset,
        _ => 0,
    };
    let mut page: Vec<(u64, T)> = rows(cursor)
        .filter(|(seq, _)| cursor.is_none_or(|cursor| cursor.admits(*seq)))
        .skip(skip)
        .take(max.saturating_add(1))
        .collect();
    let more = page.len() > max;
    page.truncate(max);
    let next = match (more, page.last()) {
        (true, Some((last, _))) => Some(match order {
            Order::Ascending => Cursor::After(*last),
            Order::Descending => Cursor::Before(*last),
            Order::Positional => Cursor::Offset(skip + page.len()),
        }),
        _ => None,
    };
    let items: Vec<T> = page.into_iter().map(|(_, item)| item).collect();
    let mut reply = Reply::json(http::StatusCode::OK, &ListEnvelope::new(items));
    if let Some(next) = next {
        reply = reply.header(
            "link",
            format!("<{}>; rel=\"next\"", next_url(ctx, max, &next.encode())),
        );
    }
    Ok(reply)
}

/// Marks a cursor whose empty page (the `empty_page_mid_list` quirk) was served.
const EMPTIED: &str = ".e";

fn next_url(ctx: &Ctx<'_>, max: usize, cursor: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in ctx.query.pairs() {
        // The `drop_filters_in_next_links` quirk keeps none of the caller's parameters.
        if name != "max" && name != "cursor" && !ctx.quirks.drop_filters_in_next_links {
            query.append_pair(name, value);
        }
    }
    if ctx.null_max_in_links {
        query.append_pair("max", "null");
    } else {
        query.append_pair("max", &max.to_string());
    }
    query.append_pair("cursor", cursor);
    format!("{}{}?{}", ctx.origin, ctx.path, query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        for cursor in [Cursor::After(3), Cursor::Before(7), Cursor::Offset(100)] {
            assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        }
        assert_eq!(Cursor::decode("!!"), None);
    }
}
