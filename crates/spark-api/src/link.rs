//! The `Link` header's `rel="next"` target, and the repairs Webex's next links need.
//!
//! Next links have been seen carrying `max=null` (the next call then fails) and dropping filters
//! the caller gave (`mentionedPeople`, `roomId`, ...). The link is otherwise treated as opaque:
//! it is changed only where a repair is needed.

use http::HeaderMap;
use http::header::LINK;

/// The target of the first `rel="next"` link in the `Link` headers, if any. The header lines are
/// read in order, as one list (RFC 8288 section 3).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(next_in)
}

/// The target of the first link of one header value whose `rel` holds `next`.
fn next_in(value: &str) -> Option<String> {
    Links::new(value)
        .find(|link| link.is_next)
        .map(|link| link.target.trim().to_owned())
}

/// One `link-value`: its target (a piece of the header, as written between `<` and `>`) and
/// whether its first `rel` parameter names the `next` relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Link<'a> {
    target: &'a str,
    is_next: bool,
}

/// The links of a header value, read by RFC 8288's grammar:
///
/// ```text
/// Link       = #link-value
/// link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
/// link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
/// ```
///
/// Links are separated by commas outside `<>` and quoted strings; a quoted string runs to its
/// closing `"`, a backslash escaping the character after it. Only the first `rel` of a link
/// counts (section 3.3); its value is one relation type or several in quotes, separated by
/// spaces, compared without regard to case.
///
/// Anything else is passed over: a link-value that goes wrong is given up at the first byte that
/// does not fit (what its `rel` said so far stands), and reading goes on at the next `,` or `<`
/// outside a quoted string. Each byte is looked at a bounded number of times: the work is linear
/// in the header's length, and nothing is allocated but the value of a `rel`.
struct Links<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Links<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Passes over spaces and tabs (OWS, BWS).
    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// Passes over what is left of a link-value that went wrong: up to the next `,` or `<`
    /// outside a quoted string, or the end.
    fn recover(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b',' | b'<' => return,
                b'"' => {
                    self.at += 1;
                    self.quoted_string();
                }
                _ => self.at += 1,
            }
        }
    }

    /// Passes over a quoted string whose opening `"` is already passed, up to and past its
    /// closing one (or the end); gives its content as written, escapes kept.
    fn quoted_string(&mut self) -> &'a str {
        let start = self.at;
        let bytes = self.text.as_bytes();
        while let Some(&byte) = bytes.get(self.at) {
            match byte {
                b'"' => {
                    self.at += 1;
                    return &self.text[start..self.at - 1];
                }
                // The escaped byte is passed over whatever it is (the bytes of a character
                // beyond ASCII are never `"` or `\`).
                b'\\' => self.at += 2,
                _ => self.at += 1,
            }
        }
        self.at = self.text.len();
        &self.text[start..]
    }

    /// Reads a token (a parameter's name, or a value without quotes): up to a space, a
    /// separator of the grammar, or the end.
    fn token(&mut self) -> &'a str {
        let start = self.at;
        while let Some(byte) = self.peek() {
            if matches!(byte, b' ' | b'\t' | b';' | b',' | b'=' | b'"' | b'<' | b'>') {
                break;
            }
            self.at += 1;
        }
        &self.text[start..self.at]
    }

    /// Reads one `link-param` after its `;`: gives its name, and its value when there is one.
    /// The value is copied only when `wanted` says so (it is then unquoted), so that only a
    /// `rel` costs an allocation.
    fn param(&mut self, wanted: impl Fn(&str) -> bool) -> (&'a str, Option<String>) {
        self.skip_spaces();
        let name = self.token();
        self.skip_spaces();
        if self.peek() != Some(b'=') {
            return (name, None);
        }
        self.at += 1;
        self.skip_spaces();
        let (value, quoted) = if self.peek() == Some(b'"') {
            self.at += 1;
            (self.quoted_string(), true)
        } else {
            (self.token(), false)
        };
        let value = wanted(name).then(|| {
            if quoted {
                unescape(value)
            } else {
                value.to_owned()
            }
        });
        (name, value)
    }

    /// Reads the parameters of a link-value, after its `>`, up to the `,` that ends it (or
    /// the end, or the first byte that does not fit); whether its first `rel` names `next`.
    fn params(&mut self) -> bool {
        let mut rel = None;
        loop {
            self.skip_spaces();
            match self.peek() {
                None | Some(b',') => break,
                Some(b';') => {
                    self.at += 1;
                    let wanted = |name: &str| rel.is_none() && name.eq_ignore_ascii_case("rel");
                    if let (_, Some(value)) = self.param(wanted) {
                        rel = Some(value);
                    }
                }
                Some(_) => {
                    self.recover();
                    break;
                }
            }
        }
        rel.is_some_and(|rel| {
            rel.split([' ', '\t'])
                .any(|relation| relation.eq_ignore_ascii_case("next"))
        })
    }
}

impl<'a> Iterator for Links<'a> {
    type Item = Link<'a>;

    fn next(&mut self) -> Option<Link<'a>> {
        loop {
            while matches!(self.peek(), Some(b' ' | b'\t' | b',')) {
                self.at += 1;
            }
            if self.peek()? != b'<' {
                // Not a link-value: pass over it, at least one byte.
                self.at += 1;
                self.recover();
                continue;
            }
            let start = self.at + 1;
            // A URI reference holds no `>`; without one, the header ends inside the target.
            let close = start + self.text[start..].find('>')?;
            self.at = close + 1;
            let is_next = self.params();
            return Some(Link {
                target: &self.text[start..close],
                is_next,
            });
        }
    }
}

/// The content of a quoted string without its escapes: `\x` is `x`.
fn unescape(quoted: &str) -> String {
    let mut content = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        content.extend(if c == '\\' { chars.next() } else { Some(c) });
    }
    content
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
    fn quoted_strings_hide_separators_and_relations() {
        let next = |value: &str| next_link(&headers(&[value]));
        assert_eq!(
            next(r#"<https://x/a>; rel="prev"; title="see; rel=next""#),
            None
        );
        assert_eq!(
            next(r#"<https://x/a>; title="a, <https://x/b>; rel=next"; rel=prev"#),
            None
        );
        assert_eq!(
            next(r#"<https://x/a>; title="say \"hi\"; rel=next"; rel="prev", <https://x/b>; rel=next"#)
                .as_deref(),
            Some("https://x/b")
        );
        assert_eq!(
            next(r#"<https://x/a>; title="a \\"; rel=next"#).as_deref(),
            Some("https://x/a")
        );
        assert_eq!(
            next(r#"<https://x/a>; title*=UTF-8'en'next; rel="prev NEXT""#).as_deref(),
            Some("https://x/a")
        );
    }

    #[test]
    fn only_the_first_rel_of_a_link_counts() {
        let next = |value: &str| next_link(&headers(&[value]));
        assert_eq!(next("<https://x/a>; rel=prev; rel=next"), None);
        assert_eq!(
            next("<https://x/a>; rel=next; rel=prev").as_deref(),
            Some("https://x/a")
        );
        assert_eq!(next("<https://x/a>; rel=nextpage"), None);
        assert_eq!(next("<https://x/a>; relation=next"), None);
    }

    #[test]
    fn a_link_that_goes_wrong_is_passed_over() {
        let next = |value: &str| next_link(&headers(&[value]));
        // A parameter without its `;`: the rest of the link is passed over, up to the next one.
        assert_eq!(
            next("<https://x/a> rel=next, <https://x/b>; rel=next").as_deref(),
            Some("https://x/b")
        );
        // A missing comma: reading goes on at the next `<`.
        assert_eq!(
            next("<https://x/a>; rel=prev <https://x/b>; rel=next").as_deref(),
            Some("https://x/b")
        );
        assert_eq!(next("garbage; rel=next").as_deref(), None);
        assert_eq!(next("<https://x/a; rel=next"), None);
        assert_eq!(
            next(r#"<https://x/a>; title="unterminated; rel=next"#),
            None
        );
        assert_eq!(next(""), None);
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
