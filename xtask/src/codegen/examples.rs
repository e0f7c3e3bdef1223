//! The emulator's table of the generated operations: for each, its path, what it requires and
//! the answer the spec gives as its example (or one made from the answer's schema when the spec
//! gives none), so that every operation answers offline.

use openapiv3::{ReferenceOr, SchemaKind, StatusCode, Type};
use serde_json::{Map, Value, json};

use super::overrides;
use super::spec::Op;
use super::types::SchemaRef;

/// One line of JSON per operation, inside `{"generated": .., "operations": [..]}`.
pub(crate) fn render(ops: &[Op<'_>]) -> String {
    let mut lines = Vec::new();
    for op in ops {
        let mut required_query = Vec::new();
        for parameter in &op.parameters {
            if let openapiv3::Parameter::Query { parameter_data, .. } = parameter
                && parameter_data.required
            {
                required_query.push(parameter_data.name.clone());
            }
        }
        let required_body = required_body(op);
        let (status, content_type, example) = answer(op);
        let entry = json!({
            "method": op.method,
            "path": overrides::call_path(&op.path),
            "requiredQuery": required_query,
            "requiredBody": required_body,
            "status": status,
            "contentType": content_type,
            "example": example,
        });
        lines.push(serde_json::to_string(&entry).unwrap_or_default());
    }
    format!(
        "{{\"generated\": \"by `cargo xtask codegen` from spec/*.json: do not edit\",\n\"operations\": [\n{}\n]}}\n",
        lines.join(",\n")
    )
}

fn required_body(op: &Op<'_>) -> Vec<String> {
    let Some(body) = op
        .op
        .request_body
        .as_ref()
        .and_then(|b| op.spec.request_body(b))
    else {
        return Vec::new();
    };
    let Some((_, content)) = body
        .content
        .iter()
        .find(|(media, _)| media.contains("json"))
    else {
        return Vec::new();
    };
    let Some(schema) = content
        .schema
        .as_ref()
        .and_then(|s| SchemaRef::from_plain(s).resolve(op.spec))
    else {
        return Vec::new();
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => object.required.clone(),
        _ => Vec::new(),
    }
}

/// The first success status, its content type and example answer.
fn answer(op: &Op<'_>) -> (u16, Option<String>, Value) {
    let mut success: Vec<(u16, &ReferenceOr<openapiv3::Response>)> = op
        .op
        .responses
        .responses
        .iter()
        .filter_map(|(code, response)| match code {
            StatusCode::Code(code) if (200..300).contains(code) => Some((*code, response)),
            _ => None,
        })
        .collect();
    success.sort_by_key(|(code, _)| *code);
    let Some((status, response)) = success.first().copied() else {
        return (204, None, Value::Null);
    };
    let Some((media, content)) = op
        .spec
        .response(response)
        .and_then(|r| r.content.iter().next())
    else {
        return (status, None, Value::Null);
    };
    let example = content
        .example
        .clone()
        .or_else(|| {
            content.examples.values().find_map(|example| match example {
                ReferenceOr::Item(example) => example.value.clone(),
                ReferenceOr::Reference { .. } => None,
            })
        })
        .or_else(|| {
            content
                .schema
                .as_ref()
                .map(|s| synthesize(op, SchemaRef::from_plain(s), 0))
        })
        .unwrap_or(Value::Null);
    (status, Some(media.clone()), example)
}

/// A value of the schema, from its examples where it has them.
fn synthesize(op: &Op<'_>, schema: SchemaRef<'_>, depth: usize) -> Value {
    let Some(schema) = schema.resolve(op.spec) else {
        return Value::Null;
    };
    if let Some(example) = &schema.schema_data.example {
        return example.clone();
    }
    if depth > 6 {
        return Value::Null;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string
            .enumeration
            .iter()
            .flatten()
            .next()
            .map_or_else(|| Value::from("string"), |v| Value::from(v.as_str())),
        SchemaKind::Type(Type::Boolean(_)) => Value::from(false),
        SchemaKind::Type(Type::Integer(_) | Type::Number(_)) => Value::from(0),
        SchemaKind::Type(Type::Array(array)) => match &array.items {
            Some(items) => Value::Array(vec![synthesize(
                op,
                SchemaRef::from_boxed(items),
                depth + 1,
            )]),
            None => Value::Array(Vec::new()),
        },
        SchemaKind::Type(Type::Object(object)) => {
            let mut map = Map::new();
            for (name, property) in &object.properties {
                map.insert(
                    name.clone(),
                    synthesize(op, SchemaRef::from_boxed(property), depth + 1),
                );
            }
            Value::Object(map)
        }
        _ => Value::Object(Map::new()),
    }
}
