//! Rust names from the specs' names: words split from camelCase, spaces and punctuation, joined
//! as snake_case or PascalCase, with Rust keywords escaped.

/// Splits `meetingInviteeId`, `Meeting Q and A`, `in-progress`, `HTTPSProxy` into lowercase
/// words (`["meeting", "invitee", "id"]`, ...). Digits stay with the letters before them.
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = index.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(index + 1).copied();
        let starts_word = c.is_ascii_uppercase()
            && previous.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if starts_word && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `snake_case`, with a keyword escaped (`type` → `r#type`) and a leading digit prefixed.
pub(crate) fn snake(name: &str) -> String {
    let joined = words(name).join("_");
    escape(if joined.is_empty() {
        "value".to_owned()
    } else {
        joined
    })
}

/// `PascalCase`; a leading digit gets a `V` in front (`1080p` → `V1080p`).
pub(crate) fn pascal(name: &str) -> String {
    let joined: String = words(name)
        .iter()
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect();
    if joined.is_empty() {
        "Empty".to_owned()
    } else if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{joined}")
    } else {
        joined
    }
}

fn escape(name: String) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe",
        "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
        "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{name}")
    } else if matches!(name.as_str(), "self" | "super" | "crate" | "Self") {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The English singular of a lowercase word, good enough for resource names.
pub(crate) fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("sses") || word.ends_with("xes") || word.ends_with("ches") {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        word.to_owned()
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_owned()
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_as_people_read_them() {
        assert_eq!(words("meetingInviteeId"), ["meeting", "invitee", "id"]);
        assert_eq!(words("Meeting Q and A"), ["meeting", "q", "and", "a"]);
        assert_eq!(words("HTTPSProxy"), ["https", "proxy"]);
        assert_eq!(words("in-progress"), ["in", "progress"]);
        assert_eq!(words("sipAddress2"), ["sip", "address2"]);
    }

    #[test]
    fn names_are_valid_rust() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("1080p"), "n1080p");
        assert_eq!(pascal("1080p"), "V1080p");
        assert_eq!(pascal("scheduledMeeting"), "ScheduledMeeting");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(singular("meetings"), "meeting");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("addresses"), "address");
    }
}
