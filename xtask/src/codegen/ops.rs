//! What each operation becomes: its method's arguments, its request type (query, header and
//! body parameters) and the shape of its answer.

use std::collections::HashSet;

use openapiv3::{ParameterSchemaOrContent, ReferenceOr, StatusCode};

use super::docs;
use super::naming;
use super::overrides;
use super::spec::Op;
use super::types::{Field, Location, Registry, SchemaRef, StructDef, Ty, is_object};

/// How the request body is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BodyKind {
    None,
    /// The request type's body fields, as a JSON object.
    Fields,
    /// The request type's `body` field, whole.
    Whole,
}

/// What a successful answer holds.
#[derive(Clone, Debug)]
pub(crate) enum Answer {
    /// Nothing to read (`204`, or no body declared).
    Empty,
    /// A JSON value of this type.
    Json(Ty),
    /// `{"items": [...]}` pages of this type, followed by `Link` headers.
    List(Ty),
    /// Bytes of another type (`text/vtt`, `text/plain`, ...).
    Bytes(String),
}

pub(crate) struct OpModel {
    pub(crate) method: &'static str,
    /// The path under the base URL, without the leading `/`, `{name}` where a parameter goes.
    pub(crate) path: String,
    pub(crate) service: String,
    pub(crate) name: String,
    pub(crate) summary: String,
    pub(crate) description: Option<String>,
    pub(crate) deprecated: bool,
    /// `(rust name, wire name, doc)` in path order.
    pub(crate) path_params: Vec<(String, String, String)>,
    pub(crate) request: Option<String>,
    pub(crate) body: BodyKind,
    pub(crate) content_type: Option<String>,
    pub(crate) answer: Answer,
}

pub(crate) fn model(op: &Op<'_>, registry: &mut Registry<'_>) -> OpModel {
    let summary_words: Vec<String> = naming::words(op.summary())
        .into_iter()
        .filter(|w| !matches!(w.as_str(), "a" | "an" | "the"))
        .collect();
    let type_base = naming::pascal(&summary_words.join(" "));
    registry.walk_from(format!("{} {}", op.method, op.path));

    let mut path_params = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    for parameter in &op.parameters {
        let data = parameter.parameter_data_ref();
        let location = match parameter {
            openapiv3::Parameter::Path { .. } => None,
            openapiv3::Parameter::Query { .. } => Some(Location::Query),
            openapiv3::Parameter::Header { .. } => Some(Location::Header),
            openapiv3::Parameter::Cookie { .. } => continue,
        };
        let doc = docs::summary(data.description.as_deref())
            .unwrap_or_else(|| format!("The `{}` parameter.", data.name));
        let Some(location) = location else {
            let mut rust = naming::snake(&data.name);
            while !used.insert(rust.clone()) {
                rust.push('_');
            }
            path_params.push((rust, data.name.clone(), doc));
            continue;
        };
        let context = format!("{type_base}{}", naming::pascal(&data.name));
        let mut ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                registry.ty(SchemaRef::from_plain(schema), &context)
            }
            ParameterSchemaOrContent::Content(_) => Ty::String,
        };
        if overrides::is_secret(&data.name) && ty == Ty::String {
            ty = Ty::Secret;
        }
        if ty == Ty::Float {
            ty = overrides::NUMBER_PARAMETER;
        }
        let mut rust = naming::snake(&data.name);
        while !used.insert(rust.clone()) {
            rust.push('_');
        }
        fields.push(Field {
            rust,
            wire: data.name.clone(),
            ty,
            doc,
            required: data.required,
            location,
        });
    }
    // Path parameters in the order the path names them.
    path_params.sort_by_key(|(_, wire, _)| op.path.find(&format!("{{{wire}}}")));

    let mut body = BodyKind::None;
    let mut content_type = None;
    let mut body_doc = None;
    let json_body = op
        .op
        .request_body
        .as_ref()
        .and_then(|b| op.spec.request_body(b))
        .and_then(|body| {
            body.content
                .iter()
                .find(|(media, _)| media.contains("json"))
        });
    if let Some((media, content)) = json_body {
        content_type = Some(media.clone());
        let schema = content.schema.as_ref().map(SchemaRef::from_plain);
        let resolved = schema.and_then(|s| s.resolve(op.spec));
        body_doc = resolved.and_then(|s| docs::summary(s.schema_data.description.as_deref()));
        match resolved {
            Some(resolved) if is_object(resolved) => {
                let mut body_fields = registry.object_fields(resolved, &type_base, Location::Body);
                for field in &mut body_fields {
                    while !used.insert(field.rust.clone()) {
                        field.rust.push('_');
                    }
                }
                fields.extend(body_fields);
                body = BodyKind::Fields;
            }
            _ => {
                let ty = match schema {
                    Some(schema) => registry.ty(schema, &format!("{type_base}Body")),
                    None => Ty::Value,
                };
                fields.push(Field {
                    rust: "body".to_owned(),
                    wire: "body".to_owned(),
                    ty,
                    doc: "The request's JSON body.".to_owned(),
                    required: true,
                    location: Location::Body,
                });
                body = BodyKind::Whole;
            }
        }
    }

    let request = (!fields.is_empty()).then(|| {
        let name = registry.claim(&type_base);
        let doc = format!(
            "The parameters of `{} {}` ({}){}",
            op.method,
            op.path,
            docs::clean(op.summary()),
            body_doc.map_or_else(|| ".".to_owned(), |d| format!(": {d}"))
        );
        registry.insert_struct(StructDef {
            name: name.clone(),
            doc,
            fields,
            request: true,
        });
        name
    });

    let answer = answer(op, registry, &type_base);
    OpModel {
        method: op.method,
        path: overrides::call_path(&op.path)
            .trim_start_matches('/')
            .to_owned(),
        service: op.service.clone(),
        name: op.name.clone(),
        summary: op.summary().to_owned(),
        description: docs::summary(op.op.description.as_deref()),
        deprecated: op.op.deprecated,
        path_params,
        request,
        body,
        content_type,
        answer,
    }
}

fn answer(op: &Op<'_>, registry: &mut Registry<'_>, type_base: &str) -> Answer {
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
    let Some((_, response)) = success.first().copied() else {
        return Answer::Empty;
    };
    let Some(response) = op.spec.response(response) else {
        return Answer::Empty;
    };
    let Some((media, content)) = response.content.iter().next() else {
        return Answer::Empty;
    };
    if !media.contains("json") {
        return Answer::Bytes(media.clone());
    }
    let Some(schema) = content.schema.as_ref().map(SchemaRef::from_plain) else {
        return Answer::Json(Ty::Value);
    };
    if op.method == "GET"
        && let Some(items) = list_items(op, schema)
    {
        let item = registry.ty(items, &format!("{type_base}Item"));
        return Answer::List(item);
    }
    if overrides::answer_is_free_form(op.method, &op.path) {
        return Answer::Json(Ty::Value);
    }
    Answer::Json(registry.ty(schema, &format!("{type_base}Response")))
}

/// The items' schema when the answer is a list envelope: an object whose `items` is an array.
fn list_items<'a>(op: &Op<'a>, schema: SchemaRef<'a>) -> Option<SchemaRef<'a>> {
    let resolved = schema.resolve(op.spec)?;
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &resolved.schema_kind else {
        return None;
    };
    let items = SchemaRef::from_boxed(object.properties.get("items")?);
    let openapiv3::SchemaKind::Type(openapiv3::Type::Array(array)) =
        &items.resolve(op.spec)?.schema_kind
    else {
        return None;
    };
    array.items.as_ref().map(SchemaRef::from_boxed)
}
