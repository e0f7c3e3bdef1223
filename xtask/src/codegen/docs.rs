//! The specs' descriptions as safe rustdoc: one paragraph, on one line, with nothing rustdoc
//! would read as a link, an HTML tag or a code block.

/// The first paragraph of a description, cleaned; `None` when there is nothing to say.
pub(crate) fn summary(description: Option<&str>) -> Option<String> {
    let text = description?.trim();
    let paragraph = text.split("\n\n").next().unwrap_or("");
    let line = clean(paragraph);
    let line = shorten(&line, 400);
    (!line.is_empty()).then_some(line)
}

/// A text as one safe doc line.
pub(crate) fn clean(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    for word in collapsed.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.contains("://") {
            // A URL, in code so that rustdoc neither links nor warns about it.
            out.push('`');
            out.push_str(&word.replace('`', ""));
            out.push('`');
            continue;
        }
        for c in word.chars() {
            match c {
                '[' | ']' | '<' | '>' | '*' | '_' | '#' | '|' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '`' => {}
                c => out.push(c),
            }
        }
    }
    out
}

/// Cuts after the last sentence that fits in `limit` characters.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let cut: String = text.chars().take(limit).collect();
    match cut.rfind(". ") {
        Some(end) => cut[..=end].to_owned(),
        None => format!("{}...", cut.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_reads_as_markup() {
        assert_eq!(
            clean("See [docs](https://x.io/a) <b>now</b>\n  `x`"),
            r"See `[docs](https://x.io/a)` \<b\>now\</b\> x"
        );
        assert_eq!(
            summary(Some("First.\n\nSecond.")).as_deref(),
            Some("First.")
        );
        assert_eq!(summary(Some("  ")), None);
    }
}
