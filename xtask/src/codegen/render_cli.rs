//! Writes the command line's table of the generated operations
//! (`crates/spark-cli/src/generated/operations.json`): for each operation, the `spark` command
//! that reaches it (service and method in kebab-case), its path arguments, its flags (one per
//! query, header and body parameter, with the kind of value it takes, and for a boolean the
//! `no-` flag that sends `false`), the shape of its answer, and whether spark-api has it written
//! by hand (those are in the table too, so every operation of the specs has a command: the
//! command line skips the ones its handwritten commands serve). The `spark` binary builds its subcommands from this table at run time.

use serde_json::{Value, json};

use super::ops::{Answer, BodyKind, OpModel};
use super::spec::Area;
use super::types::{Location, Registry, Ty};

/// Flags the command line has on every command: a parameter with one of these names gets its
/// location as a prefix (`--query-limit`).
const RESERVED: &[&str] = &[
    "base-url",
    "columns",
    "data",
    "emulator",
    "help",
    "json",
    "limit",
    "no-progress",
    "profile",
    "query",
    "token",
    "verbose",
    "version",
];

/// One line of JSON per operation, inside `{"generated": .., "operations": [..]}`.
pub(crate) fn render(areas: &[(Area, &[OpModel], &Registry<'_>)]) -> String {
    let mut lines = Vec::new();
    for (area, ops, registry) in areas {
        for op in ops.iter() {
            lines.push(serde_json::to_string(&entry(*area, op, registry)).unwrap_or_default());
        }
    }
    format!(
        "{{\"generated\": \"by `cargo xtask codegen` from spec/*.json: do not edit\",\n\"operations\": [\n{}\n]}}\n",
        lines.join(",\n")
    )
}

fn entry(area: Area, op: &OpModel, registry: &Registry<'_>) -> Value {
    let mut taken: Vec<String> = Vec::new();
    let path_args: Vec<Value> = op
        .path_params
        .iter()
        .map(|(rust, wire, doc)| {
            let name = kebab(rust);
            taken.push(name.clone());
            json!({"name": name, "wire": wire, "help": doc})
        })
        .collect();
    let fields = op
        .request
        .as_ref()
        .and_then(|name| registry.structs.get(name))
        .map(|def| def.fields.as_slice())
        .unwrap_or_default();
    let mut params = Vec::new();
    for field in fields {
        if op.body == BodyKind::Whole && field.location == Location::Body {
            continue;
        }
        let location = match field.location {
            Location::Body => "body",
            Location::Query => "query",
            Location::Header => "header",
        };
        let value_kind = kind(&field.ty);
        // A boolean takes `--flag` for true and `--no-flag` for false: both names must be free.
        let negation = |flag: &str| (value_kind == "bool").then(|| format!("no-{flag}"));
        let free = |flag: &str, taken: &[String]| {
            let mut names = vec![flag.to_owned()];
            names.extend(negation(flag));
            names
                .iter()
                .all(|name| !RESERVED.contains(&name.as_str()) && !taken.contains(name))
        };
        let mut flag = kebab(&field.wire);
        if !free(&flag, &taken) {
            flag = format!("{location}-{flag}");
        }
        while !free(&flag, &taken) {
            flag.push_str("-2");
        }
        taken.push(flag.clone());
        let mut param = json!({
            "flag": flag,
            "wire": field.wire,
            "location": location,
            "kind": value_kind,
            "required": field.required,
            "help": field.doc,
        });
        if let Some(negation) = negation(&flag) {
            taken.push(negation.clone());
            param["negation"] = Value::String(negation);
        }
        params.push(param);
    }
    let body = match op.body {
        BodyKind::None => "none",
        BodyKind::Fields => "fields",
        BodyKind::Whole => "whole",
    };
    let answer = match op.answer {
        Answer::Empty => "empty",
        Answer::Json(_) => "json",
        Answer::List(_) => "list",
        Answer::Bytes(_) => "bytes",
    };
    json!({
        "area": area.module(),
        "service": kebab(&op.service),
        "command": kebab(&op.name),
        "method": op.method,
        "path": op.path,
        "summary": op.summary.trim(),
        "deprecated": op.deprecated,
        "pathArgs": path_args,
        "params": params,
        "body": body,
        "answer": answer,
        "handwritten": is_handwritten(op),
    })
}

/// Whether spark-api has the operation written by hand (the command line may have a
/// handwritten command for it too).
fn is_handwritten(op: &OpModel) -> bool {
    let method = op.method.to_ascii_lowercase();
    let path = format!("/{}", op.path);
    super::overrides::HANDWRITTEN.contains(&(method.as_str(), path.as_str()))
}

/// The kind of value a flag takes: `string`, `bool`, `int`, `float`, `json` (an object or any
/// value, given as JSON) or `list` (the flag repeated, or values split on commas).
fn kind(ty: &Ty) -> &'static str {
    match ty {
        Ty::String | Ty::Secret | Ty::Enum(_) => "string",
        Ty::Bool => "bool",
        Ty::Int => "int",
        Ty::Float => "float",
        Ty::Value | Ty::Struct(_) | Ty::Boxed(_) => "json",
        Ty::Vec(item) => match **item {
            Ty::String | Ty::Secret | Ty::Enum(_) | Ty::Int | Ty::Float | Ty::Bool => "list",
            _ => "json",
        },
    }
}

/// `meetingId`, `meeting_id`, `MeetingID` → `meeting-id`.
fn kebab(name: &str) -> String {
    super::naming::words(name.trim_end_matches('_')).join("-")
}
