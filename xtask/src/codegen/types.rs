//! Schemas to Rust types: each component schema and each inline object becomes a struct, each
//! string enumeration an enum with a kept `Other(String)`, the rest a plain type. Every field is
//! optional (live Webex leaves out fields the specs call required) and read leniently.

use std::collections::{BTreeMap, HashMap, HashSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::docs;
use super::naming;
use super::overrides;
use super::spec::Spec;

/// A field's or a parameter's Rust type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Ty {
    String,
    Secret,
    Bool,
    Int,
    Float,
    Value,
    Vec(Box<Ty>),
    /// A struct of the area.
    Struct(String),
    /// A struct of the area that contains this one: boxed.
    Boxed(String),
    /// A string enum of the area.
    Enum(String),
}

impl Ty {
    /// The type as written in the area's model module.
    pub(crate) fn rust(&self) -> String {
        match self {
            Ty::String => "String".to_owned(),
            Ty::Secret => "crate::Secret".to_owned(),
            Ty::Bool => "bool".to_owned(),
            Ty::Int => "i64".to_owned(),
            Ty::Float => "f64".to_owned(),
            Ty::Value => "serde_json::Value".to_owned(),
            Ty::Vec(item) => format!("Vec<{}>", item.rust()),
            Ty::Struct(name) | Ty::Enum(name) => name.clone(),
            Ty::Boxed(name) => format!("Box<{name}>"),
        }
    }
}

/// Where a field of a request type goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    Body,
    Query,
    Header,
}

#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) rust: String,
    pub(crate) wire: String,
    pub(crate) ty: Ty,
    pub(crate) doc: String,
    pub(crate) required: bool,
    pub(crate) location: Location,
}

#[derive(Clone, Debug)]
pub(crate) struct StructDef {
    pub(crate) name: String,
    pub(crate) doc: String,
    pub(crate) fields: Vec<Field>,
    /// Request types get a constructor (required fields) and setters; answers get neither.
    pub(crate) request: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct EnumDef {
    pub(crate) name: String,
    pub(crate) doc: String,
    /// `(variant, wire value)`.
    pub(crate) variants: Vec<(String, String)>,
}

/// The types of one area, as they are met.
pub(crate) struct Registry<'a> {
    spec: &'a Spec,
    pub(crate) structs: BTreeMap<String, StructDef>,
    pub(crate) enums: BTreeMap<String, EnumDef>,
    /// Names handed out (structs, enums, request types).
    taken: HashSet<String>,
    /// Component schema name to its Rust type.
    components: HashMap<String, Ty>,
    /// Enums by their values, so that one set of values is one type.
    enums_by_values: HashMap<Vec<String>, String>,
    /// Components being generated (a reference to one of them is boxed).
    in_progress: Vec<String>,
    /// Where in the spec the walk is: a component's name or an operation, then property names
    /// (`[]` for an array's items), for the override list.
    at: Vec<String>,
}

impl<'a> Registry<'a> {
    pub(crate) fn new(spec: &'a Spec) -> Self {
        Self {
            spec,
            structs: BTreeMap::new(),
            enums: BTreeMap::new(),
            taken: HashSet::new(),
            components: HashMap::new(),
            enums_by_values: HashMap::new(),
            in_progress: Vec::new(),
            at: Vec::new(),
        }
    }

    /// Starts a walk at `root` (an operation: `GET /devices`).
    pub(crate) fn walk_from(&mut self, root: String) {
        self.at = vec![root];
    }

    /// The component schemas that became structs: `(schema name, Rust name)`, by schema name.
    pub(crate) fn component_structs(&self) -> Vec<(String, String)> {
        let mut structs: Vec<(String, String)> = self
            .components
            .iter()
            .filter_map(|(schema, ty)| match ty {
                Ty::Struct(rust) => Some((schema.clone(), rust.clone())),
                _ => None,
            })
            .collect();
        structs.sort();
        structs
    }

    /// The spec the types come from.
    pub(crate) fn spec(&self) -> &'a Spec {
        self.spec
    }

    /// A free type name made from `base`: `base`, else `base2`, `base3`, ...
    pub(crate) fn claim(&mut self, base: &str) -> String {
        // Names of the prelude and of the crate root that generated code uses unqualified.
        const RESERVED: &[&str] = &[
            "Option",
            "Result",
            "Vec",
            "String",
            "Box",
            "Some",
            "None",
            "Ok",
            "Err",
            "Default",
            "Self",
            "Serialize",
            "Deserialize",
            "Secret",
            "RequestParts",
        ];
        let base = if RESERVED.contains(&base) {
            format!("{base}Object")
        } else {
            base.to_owned()
        };
        let base = base.as_str();
        let mut name = base.to_owned();
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    /// The type of a schema met at `context` (the name an inline struct or enum would get).
    pub(crate) fn ty(&mut self, schema: SchemaRef<'_>, context: &str) -> Ty {
        match schema {
            SchemaRef::Ref(reference) => self.component(reference),
            SchemaRef::Item(schema) => self.inline(schema, context),
        }
    }

    fn component(&mut self, reference: &str) -> Ty {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            return Ty::Value;
        };
        if let Some(ty) = self.components.get(name) {
            return match ty {
                Ty::Struct(rust) if self.in_progress.contains(rust) => Ty::Boxed(rust.clone()),
                other => other.clone(),
            };
        }
        let Some(schema) = self.spec.schema(reference) else {
            return Ty::Value;
        };
        let context = naming::pascal(name);
        if is_object(schema) {
            // Claimed before the fields are walked, so a field that refers back is boxed.
            let rust = self.claim(&context);
            self.components
                .insert(name.to_owned(), Ty::Struct(rust.clone()));
            self.in_progress.push(rust.clone());
            let outer = std::mem::replace(&mut self.at, vec![name.to_owned()]);
            self.define_struct(schema, &rust, false);
            self.at = outer;
            self.in_progress.pop();
            Ty::Struct(rust)
        } else {
            let outer = std::mem::replace(&mut self.at, vec![name.to_owned()]);
            let ty = self.inline(schema, &context);
            self.at = outer;
            self.components.insert(name.to_owned(), ty.clone());
            ty
        }
    }

    fn inline(&mut self, schema: &Schema, context: &str) -> Ty {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
                if values.is_empty() {
                    Ty::String
                } else {
                    self.string_enum(values, context, schema)
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
            SchemaKind::Type(Type::Integer(_)) => Ty::Int,
            SchemaKind::Type(Type::Number(_)) => {
                if is_integral_number(schema) {
                    Ty::Int
                } else {
                    Ty::Float
                }
            }
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => {
                    self.at.push("[]".to_owned());
                    let item = self.ty(SchemaRef::from_boxed(items), &format!("{context}Item"));
                    self.at.pop();
                    Ty::Vec(Box::new(item))
                }
                None => Ty::Vec(Box::new(Ty::Value)),
            },
            SchemaKind::Type(Type::Object(_)) | SchemaKind::Any(_) if is_object(schema) => {
                let name = self.claim(context);
                self.define_struct(schema, &name, false);
                Ty::Struct(name)
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.ty(SchemaRef::from_plain(&all_of[0]), context)
            }
            _ => Ty::Value,
        }
    }

    fn string_enum(&mut self, values: Vec<String>, context: &str, schema: &Schema) -> Ty {
        let mut key = values.clone();
        key.sort();
        key.dedup();
        if let Some(name) = self.enums_by_values.get(&key) {
            return Ty::Enum(name.clone());
        }
        let name = self.claim(context);
        let mut variants: Vec<(String, String)> = Vec::new();
        let mut used = HashSet::new();
        for value in key.iter().filter(|v| !v.is_empty()) {
            let mut variant = naming::pascal(value);
            if variant == "Other" || variant == "Empty" {
                variant.push_str("Value");
            }
            let base = variant.clone();
            let mut n = 2;
            while !used.insert(variant.clone()) {
                variant = format!("{base}{n}");
                n += 1;
            }
            variants.push((variant, value.clone()));
        }
        let doc = docs::summary(schema.schema_data.description.as_deref())
            .unwrap_or_else(|| format!("The values of `{context}`."));
        self.enums_by_values.insert(key, name.clone());
        self.enums.insert(
            name.clone(),
            EnumDef {
                name: name.clone(),
                doc,
                variants,
            },
        );
        Ty::Enum(name)
    }

    /// Defines the struct `name` from an object schema's properties.
    pub(crate) fn define_struct(&mut self, schema: &Schema, name: &str, request: bool) {
        let mut fields = self.object_fields(schema, name, Location::Body);
        if !request {
            for field in &mut fields {
                field.required = false;
            }
        }
        let doc = docs::summary(schema.schema_data.description.as_deref())
            .unwrap_or_else(|| format!("The `{name}` object."));
        self.insert_struct(StructDef {
            name: name.to_owned(),
            doc,
            fields,
            request,
        });
    }

    pub(crate) fn insert_struct(&mut self, def: StructDef) {
        self.taken.insert(def.name.clone());
        self.structs.insert(def.name.clone(), def);
    }

    /// The fields of an object schema (its properties, in the spec's order).
    pub(crate) fn object_fields(
        &mut self,
        schema: &Schema,
        owner: &str,
        location: Location,
    ) -> Vec<Field> {
        let (properties, required): (Vec<(&String, SchemaRef<'_>)>, &[String]) =
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => (
                    object
                        .properties
                        .iter()
                        .map(|(k, v)| (k, SchemaRef::from_boxed(v)))
                        .collect(),
                    &object.required,
                ),
                SchemaKind::Any(any) => (
                    any.properties
                        .iter()
                        .map(|(k, v)| (k, SchemaRef::from_boxed(v)))
                        .collect(),
                    &any.required,
                ),
                _ => (Vec::new(), &[]),
            };
        let mut fields = Vec::new();
        let mut used = HashSet::new();
        for (wire, property) in properties {
            let mut rust = naming::snake(wire);
            while !used.insert(rust.clone()) {
                rust.push('_');
            }
            let context = format!("{owner}{}", naming::pascal(wire));
            self.at.push(wire.clone());
            let pointer = self.at.join(".");
            let mut ty = match overrides::field_type(self.spec.area, &pointer) {
                Some(fixed) => fixed,
                None => self.ty(property, &context),
            };
            self.at.pop();
            if overrides::is_secret(wire) && ty == Ty::String {
                ty = Ty::Secret;
            }
            let description = property.description(self.spec);
            let doc = docs::summary(description.as_deref())
                .unwrap_or_else(|| format!("The `{wire}` field."));
            fields.push(Field {
                rust,
                wire: wire.clone(),
                ty,
                doc,
                required: required.contains(wire),
                location,
            });
        }
        fields
    }
}

/// A schema, or a reference to one, whichever way openapiv3 holds it.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> SchemaRef<'a> {
    pub(crate) fn from_boxed(schema: &'a ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(item) => SchemaRef::Item(item),
        }
    }

    pub(crate) fn from_plain(schema: &'a ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(item) => SchemaRef::Item(item),
        }
    }

    /// The schema itself, through its reference.
    pub(crate) fn resolve(self, spec: &'a Spec) -> Option<&'a Schema> {
        match self {
            SchemaRef::Ref(reference) => spec.schema(reference),
            SchemaRef::Item(schema) => Some(schema),
        }
    }

    fn description(self, spec: &Spec) -> Option<String> {
        self.resolve(spec)
            .and_then(|s| s.schema_data.description.clone())
    }
}

/// Whether the schema is an object with properties (a struct), not a free-form map.
pub(crate) fn is_object(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::Any(any) => !any.properties.is_empty(),
        _ => false,
    }
}

/// A `number` whose format says it is whole; other numbers are `f64`, which reads any JSON
/// number (the specs say `number` for counts and for measures alike).
fn is_integral_number(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Number(number)) => matches!(
            &number.format,
            openapiv3::VariantOrUnknownOrEmpty::Unknown(format) if format.starts_with("int")
        ),
        _ => false,
    }
}
