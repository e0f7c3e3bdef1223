//! The four specs, read with `openapiv3`, and the operations to generate: each `(method, path)`
//! once (the first spec in [`Area::ALL`]'s order that has it wins), the handwritten ones left out.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use openapiv3::{
    OpenAPI, Operation as SpecOperation, Parameter, ReferenceOr, RequestBody, Response, Schema,
};

use super::naming;
use super::overrides;

/// An API area: one spec, one module in spark-model and spark-api, one cargo feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Area {
    Messaging,
    Meetings,
    Devices,
    Admin,
}

impl Area {
    /// The order in which the specs claim an operation that more than one describes.
    pub(crate) const ALL: [Area; 4] = [Area::Messaging, Area::Meetings, Area::Devices, Area::Admin];

    /// The spec's file name under `spec/`.
    pub(crate) fn file(self) -> &'static str {
        match self {
            Area::Messaging => "webex-messaging.json",
            Area::Meetings => "webex-meeting.json",
            Area::Devices => "webex-device.json",
            Area::Admin => "webex-admin.json",
        }
    }

    /// The module (and feature) name.
    pub(crate) fn module(self) -> &'static str {
        match self {
            Area::Messaging => "messaging",
            Area::Meetings => "meetings",
            Area::Devices => "devices",
            Area::Admin => "admin",
        }
    }

    /// How the area is named in documentation.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Area::Messaging => "Messaging",
            Area::Meetings => "Meetings",
            Area::Devices => "Devices",
            Area::Admin => "Admin",
        }
    }
}

/// One spec, read.
pub(crate) struct Spec {
    pub(crate) area: Area,
    pub(crate) api: OpenAPI,
}

impl Spec {
    pub(crate) fn load(root: &Path, area: Area) -> Result<Spec, String> {
        let path = root.join("spec").join(area.file());
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let api: OpenAPI =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Spec { area, api })
    }

    /// The schema a `#/components/schemas/..` reference names.
    pub(crate) fn schema(&self, reference: &str) -> Option<&Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.api.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.schema(reference),
        }
    }

    pub(crate) fn parameter<'a>(&'a self, p: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
        match p {
            ReferenceOr::Item(parameter) => Some(parameter),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/")?;
                self.parameter(self.api.components.as_ref()?.parameters.get(name)?)
            }
        }
    }

    pub(crate) fn request_body<'a>(
        &'a self,
        b: &'a ReferenceOr<RequestBody>,
    ) -> Option<&'a RequestBody> {
        match b {
            ReferenceOr::Item(body) => Some(body),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/")?;
                self.request_body(self.api.components.as_ref()?.request_bodies.get(name)?)
            }
        }
    }

    pub(crate) fn response<'a>(&'a self, r: &'a ReferenceOr<Response>) -> Option<&'a Response> {
        match r {
            ReferenceOr::Item(response) => Some(response),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/responses/")?;
                self.response(self.api.components.as_ref()?.responses.get(name)?)
            }
        }
    }
}

/// An operation to generate.
pub(crate) struct Op<'a> {
    pub(crate) area: Area,
    pub(crate) spec: &'a Spec,
    pub(crate) method: &'static str,
    pub(crate) path: String,
    pub(crate) op: &'a SpecOperation,
    /// Path-level and operation-level parameters, resolved.
    pub(crate) parameters: Vec<&'a Parameter>,
    /// snake_case name of the service (`meeting_transcripts`).
    pub(crate) service: String,
    /// snake_case name of the method in the service (`list`, `download`).
    pub(crate) name: String,
}

impl Op<'_> {
    pub(crate) fn summary(&self) -> &str {
        self.op.summary.as_deref().unwrap_or(&self.path)
    }
}

/// Every `(method, path)` of the specs, counted once.
pub(crate) fn operation_count(specs: &[Spec]) -> usize {
    let mut seen = HashSet::new();
    for spec in specs {
        for (path, item) in &spec.api.paths.paths {
            if let ReferenceOr::Item(item) = item {
                for (method, _) in item.iter() {
                    seen.insert((method.to_owned(), path.clone()));
                }
            }
        }
    }
    seen.len()
}

/// The operations to generate, in a stable order (area, service, path, method).
pub(crate) fn operations(specs: &[Spec]) -> Result<Vec<Op<'_>>, String> {
    collect(specs, |method, path| {
        !overrides::HANDWRITTEN.contains(&(method, path))
            && !overrides::LEFT_OUT
                .iter()
                .any(|(m, p, _)| (*m, *p) == (method, path))
    })
}

/// The operations spark-api has written by hand, as the specs describe them: modelled for the
/// command line's table only (its handwritten commands cover some; the table gives the others
/// a command), never rendered as types or services.
pub(crate) fn handwritten_operations(specs: &[Spec]) -> Result<Vec<Op<'_>>, String> {
    collect(specs, |method, path| {
        overrides::HANDWRITTEN.contains(&(method, path))
    })
}

/// The operations `keep` takes (by lowercase method and path), each once (the first spec that
/// has it), named, in a stable order (area, service, path, method).
fn collect<'a>(
    specs: &'a [Spec],
    keep: impl Fn(&str, &str) -> bool,
) -> Result<Vec<Op<'a>>, String> {
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut ops = Vec::new();
    for spec in specs {
        for (path, item) in &spec.api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                return Err(format!("{path}: path item references are not supported"));
            };
            for (method, op) in item.iter() {
                if !keep(method, path) || !seen.insert((method.to_owned(), path.clone())) {
                    continue;
                }
                let method = match method {
                    "get" => "GET",
                    "post" => "POST",
                    "put" => "PUT",
                    "patch" => "PATCH",
                    "delete" => "DELETE",
                    other => return Err(format!("{other} {path}: method not supported")),
                };
                let mut parameters = Vec::new();
                for p in item.parameters.iter().chain(&op.parameters) {
                    let resolved = spec
                        .parameter(p)
                        .ok_or_else(|| format!("{method} {path}: unresolved parameter"))?;
                    parameters.push(resolved);
                }
                let tag = op
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "Other".to_owned());
                let service = overrides::service_name(spec.area, &tag);
                ops.push(Op {
                    area: spec.area,
                    spec,
                    method,
                    path: path.clone(),
                    op,
                    parameters,
                    service,
                    name: String::new(),
                });
            }
        }
    }
    name_methods(&mut ops)?;
    ops.sort_by(|a, b| {
        (a.area, &a.service, &a.path, a.method).cmp(&(b.area, &b.service, &b.path, b.method))
    });
    Ok(ops)
}

/// Gives each operation its method name: the verb alone for the plain operations on the
/// service's own resource (`list`, `get`, `create`, `update`, `delete`), the summary in
/// snake_case otherwise; the override list has the last word.
fn name_methods(ops: &mut [Op<'_>]) -> Result<(), String> {
    for op in ops.iter_mut() {
        op.name = match overrides::method_name(&op.method.to_ascii_lowercase(), &op.path) {
            Some(name) => name.to_owned(),
            None => method_from_summary(op.summary(), &op.service),
        };
    }
    let mut taken: BTreeMap<(String, String), (&str, String)> = BTreeMap::new();
    let mut clashes = Vec::new();
    for op in ops.iter() {
        let key = (op.service.clone(), op.name.clone());
        if let Some((method, path)) = taken.insert(key, (op.method, op.path.clone())) {
            clashes.push(format!(
                "{}::{}: both {method} {path} and {} {}",
                op.service, op.name, op.method, op.path
            ));
        }
    }
    if clashes.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "add method_name overrides:\n{}",
            clashes.join("\n")
        ))
    }
}

fn method_from_summary(summary: &str, service: &str) -> String {
    let mut words: Vec<String> = naming::words(summary)
        .into_iter()
        .filter(|w| !matches!(w.as_str(), "a" | "an" | "the"))
        .collect();
    // "Get Meeting Participant Details" gets the participant.
    if words.len() > 2 && matches!(words.last().map(String::as_str), Some("details" | "detail")) {
        words.pop();
    }
    let Some((verb, rest)) = words.split_first() else {
        return "call".to_owned();
    };
    let resource: Vec<String> = service.split('_').map(naming::singular).collect();
    let rest_singular: Vec<String> = rest.iter().map(|w| naming::singular(w)).collect();
    let plain = matches!(
        verb.as_str(),
        "list" | "get" | "create" | "update" | "delete" | "patch"
    );
    let plural = rest != rest_singular;
    // The object is the service's resource, or its last words ("Delete a Transcript" in
    // `meeting_transcripts`), in the number the verb takes.
    let names_resource = !rest.is_empty() && resource.ends_with(&rest_singular);
    if plain && (rest.is_empty() || (names_resource && (verb == "list") == plural)) {
        return verb.clone();
    }
    // "List Meeting Templates" in `meetings` is `list_templates`: the service's words that
    // start the object are dropped.
    let mut object: &[String] = rest;
    let mut object_singular: &[String] = &rest_singular;
    for word in &resource {
        match object_singular.first() {
            Some(first) if first == word && object.len() > 1 => {
                object = &object[1..];
                object_singular = &object_singular[1..];
            }
            _ => break,
        }
    }
    let mut name = vec![verb.clone()];
    name.extend(object.iter().cloned());
    naming::snake(&name.join(" "))
}
