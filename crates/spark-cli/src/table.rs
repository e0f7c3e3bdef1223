//! Tables for people: chosen columns of a list's items, or the fields of one object, sized to
//! the terminal, styled only when colour is allowed.

use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};
use serde_json::Value;

use crate::output::plain;

/// The longest a cell's text gets before it is cut (with `…`).
const CELL_LIMIT: usize = 60;

fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if color {
        table
            .enforce_styling()
            .set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.force_no_tty();
    }
    table
}

fn header(names: impl IntoIterator<Item = String>, color: bool) -> Vec<Cell> {
    names
        .into_iter()
        .map(|name| {
            let cell = Cell::new(name);
            if color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        })
        .collect()
}

/// A table of `items`, one row each, with `columns` (or the first item's scalar fields).
pub(crate) fn rows(items: &[Value], columns: Option<Vec<String>>, color: bool) -> String {
    let columns = columns.unwrap_or_else(|| {
        items
            .first()
            .and_then(Value::as_object)
            .map(|object| {
                object
                    .iter()
                    .filter(|(_, v)| !v.is_object() && !v.is_array())
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default()
    });
    let mut table = new_table(color);
    table.set_header(header(columns.clone(), color));
    for item in items {
        table.add_row(columns.iter().map(|column| cell_text(lookup(item, column))));
    }
    table.to_string()
}

/// A two-column table of an object's fields.
pub(crate) fn fields(value: &Value, color: bool) -> String {
    let mut table = new_table(color);
    table.set_header(header(["field".to_owned(), "value".to_owned()], color));
    if let Some(object) = value.as_object() {
        for (key, field) in object {
            table.add_row([key.clone(), cell_text(Some(field))]);
        }
    }
    table.to_string()
}

/// A field by name, or by a dotted path into nested objects (`files.0`, `owner.email`).
fn lookup<'a>(item: &'a Value, column: &str) -> Option<&'a Value> {
    column.split('.').try_fold(item, |value, key| match value {
        Value::Object(object) => object.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn cell_text(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return String::new();
    };
    let text = match value {
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            items.iter().map(plain).collect::<Vec<_>>().join(", ")
        }
        other => plain(other),
    };
    let one_line = text.replace(['\n', '\r'], " ");
    if one_line.chars().count() > CELL_LIMIT {
        let cut: String = one_line.chars().take(CELL_LIMIT - 1).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_show_the_chosen_columns_without_styling() {
        let items = [json!({"id": "1", "title": "Ops", "extra": {"a": 1}})];
        let text = rows(&items, Some(vec!["title".into(), "id".into()]), false);
        assert!(text.contains("Ops"));
        assert!(!text.contains('\u{1b}'));
        assert!(text.find("title").unwrap() < text.find("id").unwrap());
    }

    #[test]
    fn dotted_columns_reach_into_objects_and_arrays() {
        let item = json!({"files": ["u1"], "owner": {"email": "a@b"}});
        assert_eq!(lookup(&item, "files.0"), Some(&json!("u1")));
        assert_eq!(lookup(&item, "owner.email"), Some(&json!("a@b")));
    }
}
