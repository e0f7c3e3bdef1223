//! The `html` of a message with mentions, as live Webex renders it: each `<@personId:...>` or
//! `<@personEmail:...>` of the markdown becomes `<spark-mention data-object-type="person"
//! data-object-id="<person id>">Name</spark-mention>`, and `<@all>` becomes
//! `<spark-mention data-object-type="groupMention" data-group-type="all">All</spark-mention>`.
//!
//! Only mentions are rendered: the rest of the markdown is kept as text (escaped), in one
//! `<p>`. A message without mentions gets no `html`, so clients fall back on `text`.

use crate::state::State;

/// The `html` of a message written in this markdown, or `None` when it mentions nobody.
pub(crate) fn mention_html(state: &State, markdown: &str) -> Option<String> {
    let mut html = String::with_capacity(markdown.len() + 64);
    let mut mentioned = false;
    let mut rest = markdown;
    while let Some(start) = rest.find("<@") {
        escape_into(&mut html, &rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            escape_into(&mut html, &rest[start..]);
            rest = "";
            break;
        };
        let tag = &rest[start + 2..start + end];
        let (target, label) = tag.split_once('|').unwrap_or((tag, ""));
        let person = if let Some(email) = target.strip_prefix("personEmail:") {
            state.person_by_email(email)
        } else if let Some(id) = target.strip_prefix("personId:") {
            state.people.get(id)
        } else {
            None
        };
        if let Some(person) = person {
            let name = match label {
                "" => person.display_name.as_deref().unwrap_or_default(),
                label => label,
            };
            html.push_str("<spark-mention data-object-type=\"person\" data-object-id=\"");
            escape_into(&mut html, &person.id);
            html.push_str("\">");
            escape_into(&mut html, name);
            html.push_str("</spark-mention>");
            mentioned = true;
        } else if target == "all" {
            html.push_str(
                "<spark-mention data-object-type=\"groupMention\" data-group-type=\"all\">",
            );
            escape_into(&mut html, if label.is_empty() { "All" } else { label });
            html.push_str("</spark-mention>");
            mentioned = true;
        } else {
            escape_into(&mut html, &rest[start..start + end + 1]);
        }
        rest = &rest[start + end + 1..];
    }
    escape_into(&mut html, rest);
    mentioned.then(|| format!("<p>{html}</p>"))
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_become_spark_mentions_and_the_rest_is_escaped() {
        let mut state = State::new(std::time::Duration::from_secs(3600), &[]);
        let ada = state.add_person("ada@example.com", "Ada Lovelace");
        let html = mention_html(
            &state,
            &format!(
                "<@personEmail:ada@example.com> a<b & <@personId:{}|Ada> <@all>",
                ada.id
            ),
        )
        .unwrap();
        let tag = format!(
            "<spark-mention data-object-type=\"person\" data-object-id=\"{}\">",
            ada.id
        );
        assert_eq!(
            html,
            format!(
                "<p>{tag}Ada Lovelace</spark-mention> a&lt;b &amp; {tag}Ada</spark-mention> \
                 <spark-mention data-object-type=\"groupMention\" data-group-type=\"all\">All</spark-mention></p>"
            )
        );
    }

    #[test]
    fn no_mention_no_html() {
        let state = State::new(std::time::Duration::from_secs(3600), &[]);
        assert_eq!(mention_html(&state, "**hi** <b>"), None);
        assert_eq!(
            mention_html(&state, "<@personEmail:nobody@example.com> hi"),
            None
        );
        assert_eq!(mention_html(&state, "<@personEmail:unterminated"), None);
    }
}
