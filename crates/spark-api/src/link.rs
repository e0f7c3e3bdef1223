//! The `Link` header's `rel="next"` target, and the repairs Webex's next links need.
//!
//! Next links have been seen carrying `max=null` (the next call then fails) and dropping filters
//! the caller gave (`mentionedPeople`, `roomId`, ...). The link is otherwise treated as opaque:
//! it is changed only where a repair is needed.

use http::HeaderMap;
use http::header::LINK;

/// The target of the first `rel="next"` link in the `Link` headers, if any.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(next_in)
}

/// Finds `rel="next"` among the links of one header value: `<url>; rel="next", <url>; rel=prev`.
fn next_in(value: &str) -> Option<String> {
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after_open = &rest[open + 1..];
        let close = after_open.find('>')?;
        let target = &after_open[..close];
        let params_and_more = &after_open[close + 1..];
        let params_end = params_and_more.find('<').unwrap_or(params_and_more.len());
        let params = &params_and_more[..params_end];
        if params.split(';').any(is_rel_next) {
            return Some(target.trim().to_owned());
        }
        rest = &params_and_more[params_end..];
    }
    None
}

fn is_rel_next(param: &str) -> bool {
    let Some((name, value)) = param.split_once('=') else {
        return false;
    };
    name.trim().eq_ignore_ascii_case("rel")
        && value
            .trim()
            .trim_end_matches(',')
            .trim()
            .trim_matches('"')
            .split_ascii_whitespace()
            .any(|rel| rel.eq_ignore_ascii_case("next"))
}

/// Repairs a next link: drops a `max` that is not a number, and puts back each of the caller's
/// query parameters the link lost. Returns the link unchanged when nothing needs repair.
pub fn repair(link: &str, caller_query: &[(String, String)]) -> String {
    let (without_fragment, fragment) = match link.split_once('#') {
        Some((head, fragment)) => (head, Some(fragment)),
        None => (link, None),
    };
    let (path, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let mut changed = false;
    let mut segments: Vec<String> = Vec::new();
    for segment in query.split('&').filter(|segment| !segment.is_empty()) {
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        if name == "max" && (value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit())) {
            changed = true;
            continue;
        }
        segments.push(segment.to_owned());
    }
    let present: Vec<String> = segments
        .iter()
        .map(|segment| {
            let name = segment.split_once('=').map_or(segment.as_str(), |(n, _)| n);
            decode_component(name)
        })
        .collect();
    for (name, value) in caller_query {
        if !present.iter().any(|have| have == name) {
            changed = true;
            segments.push(
                form_urlencoded::Serializer::new(String::new())
                    .append_pair(name, value)
                    .finish(),
            );
        }
    }
    if !changed {
        return link.to_owned();
    }
    let mut repaired = path.to_owned();
    if !segments.is_empty() {
        repaired.push('?');
        repaired.push_str(&segments.join("&"));
    }
    if let Some(fragment) = fragment {
        repaired.push('#');
        repaired.push_str(fragment);
    }
    repaired
}

fn decode_component(text: &str) -> String {
    form_urlencoded::parse(text.as_bytes())
        .next()
        .map_or_else(String::new, |(name, _)| name.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append(LINK, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn finds_the_next_link_among_others() {
        let h =
            headers(&[r#"<https://webexapis.com/v1/people?max=10&before&after=Y2l>; rel="next""#]);
        assert_eq!(
            next_link(&h).unwrap(),
            "https://webexapis.com/v1/people?max=10&before&after=Y2l"
        );
        let h = headers(&[r#"<https://x/a?m=a,b>; rel="prev", <https://x/b?m=c,d>; rel="next""#]);
        assert_eq!(next_link(&h).unwrap(), "https://x/b?m=c,d");
        let h = headers(&[r#"<https://x/a>; rel=prev"#, r#"<https://x/c>; rel=next"#]);
        assert_eq!(next_link(&h).unwrap(), "https://x/c");
        assert_eq!(next_link(&headers(&[r#"<https://x/a>; rel="prev""#])), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn drops_max_null_and_restores_lost_filters() {
        let caller = vec![
            ("roomId".to_owned(), "R1".to_owned()),
            ("mentionedPeople".to_owned(), "me,P2".to_owned()),
            ("max".to_owned(), "50".to_owned()),
        ];
        let repaired = repair("https://h/v1/messages?max=null&cursor=abc", &caller);
        assert_eq!(
            repaired,
            "https://h/v1/messages?cursor=abc&roomId=R1&mentionedPeople=me%2CP2&max=50"
        );
    }

    #[test]
    fn a_sound_link_is_left_exactly_as_it_is() {
        let caller = vec![("roomId".to_owned(), "R 1".to_owned())];
        let link = "https://h/v1/messages?roomId=R%201&before&max=10";
        assert_eq!(repair(link, &caller), link);
    }
}
