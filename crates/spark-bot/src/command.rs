//! Commands: the text after the bot's own mention is stripped, split into a name and its
//! arguments, and the help text made from the registered commands.
//!
//! In a group room a bot sees only messages that mention it; the mention arrives in `html` as
//! `<spark-mention data-object-type="person" data-object-id="...">Name</spark-mention>` and in
//! `text` as the name (DESIGN.md, "Real-time events"). The name is removed from the text; when
//! there is no `html`, the bot's display name, nickname or first name at the start of the text
//! is.

use spark_model::{Message, Person};

/// The text of a message with the bot's own mention removed, trimmed.
pub(crate) fn strip_mention(message: &Message, me: &Person) -> String {
    let text = message.text.as_deref().unwrap_or_default().trim();
    let mut labels: Vec<String> = message
        .html
        .as_deref()
        .map(|html| mention_labels(html, &me.id))
        .unwrap_or_default();
    labels.extend(
        [&me.display_name, &me.nick_name, &me.first_name]
            .into_iter()
            .flatten()
            .filter(|name| !name.is_empty())
            .cloned(),
    );
    for label in labels {
        if let Some(rest) = strip_prefix_ignore_case(text, &label) {
            return rest.trim_start_matches([',', ':']).trim().to_owned();
        }
    }
    text.to_owned()
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    let rest = &text[prefix.len()..];
    let at_boundary = rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric());
    (head.eq_ignore_ascii_case(prefix) && at_boundary).then_some(rest)
}

/// The labels of the `<spark-mention>` elements of `html` that mention `person_id`.
fn mention_labels(html: &str, person_id: &str) -> Vec<String> {
    let mut labels = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<spark-mention") {
        let Some(open_end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + open_end];
        let after = &rest[start + open_end + 1..];
        let Some(close) = after.find("</spark-mention>") else {
            break;
        };
        if tag.contains(&format!("data-object-id=\"{person_id}\"")) {
            labels.push(after[..close].to_owned());
        }
        rest = &after[close..];
    }
    labels
}

/// The command name (lowercase, without a leading `/`) and its arguments.
pub(crate) fn split(text: &str) -> (String, String) {
    let text = text.trim();
    let (name, args) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    (
        name.trim_start_matches('/').to_lowercase(),
        args.trim().to_owned(),
    )
}

/// The help text: one line per command, in the order they were registered.
pub(crate) fn help_text<'a>(commands: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut text = String::from("Commands:\n");
    for (name, description) in commands {
        text.push_str(&format!("- `{name}`: {description}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Person {
        Person {
            id: "BOT".to_owned(),
            display_name: Some("Echo Bot".to_owned()),
            first_name: Some("Echo".to_owned()),
            ..Person::default()
        }
    }

    fn message(text: &str, html: Option<&str>) -> Message {
        Message {
            text: Some(text.to_owned()),
            html: html.map(str::to_owned),
            ..Message::default()
        }
    }

    #[test]
    fn the_mention_is_stripped() {
        assert_eq!(
            strip_mention(&message("Echo Bot echo hi", None), &me()),
            "echo hi"
        );
        assert_eq!(
            strip_mention(&message("echo bot, help", None), &me()),
            "help"
        );
        assert_eq!(
            strip_mention(&message("Echo hi there", None), &me()),
            "hi there"
        );
        assert_eq!(strip_mention(&message("Echoes", None), &me()), "Echoes");
        let html = r#"<p><spark-mention data-object-type="person" data-object-id="BOT">Bot</spark-mention> echo hi</p>"#;
        assert_eq!(
            strip_mention(&message("Bot echo hi", Some(html)), &me()),
            "echo hi"
        );
    }

    #[test]
    fn commands_split_and_help_lists_them() {
        assert_eq!(
            split(" /Echo  hi  there "),
            ("echo".to_owned(), "hi  there".to_owned())
        );
        assert_eq!(split("help"), ("help".to_owned(), String::new()));
        let help = help_text([("help", "this text"), ("echo <text>", "repeats")].into_iter());
        assert!(help.contains("- `echo <text>`: repeats"));
    }
}
