//! The commands of the operations table, built at run time from the table the generator writes
//! (`src/generated/operations.json`, from the same `cargo xtask codegen` run as the library's
//! generated services): `spark <service> <method> [PATH-ARGS] [--param value ...] [-d JSON]`,
//! executed through the client's typed calls. The table has every operation of the specs; those
//! a handwritten command serves (`SERVED_BY_HAND`) get no command of their own.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use http::Method;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::commands::parse_json;
use crate::context::{Ctx, encode_segment};
use crate::error::{CliError, CliResult};
use crate::output::write_line;

/// The table, as the generator wrote it.
const TABLE: &str = include_str!("generated/operations.json");

/// The largest answer read whole.
const ANSWER_LIMIT: usize = 64 * 1024 * 1024;

#[derive(Deserialize)]
struct Table {
    operations: Vec<Operation>,
}

/// One generated operation and the command that reaches it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Operation {
    /// `messaging`, `meetings`, `devices` or `admin`.
    pub(crate) area: String,
    /// The service, kebab-case: the first word of the command.
    pub(crate) service: String,
    /// The method, kebab-case: the second word.
    pub(crate) command: String,
    /// The HTTP method.
    pub(crate) method: String,
    /// The path under the base URL, `{name}` where a path argument goes.
    pub(crate) path: String,
    summary: String,
    deprecated: bool,
    path_args: Vec<PathArg>,
    params: Vec<Param>,
    body: String,
    answer: String,
    /// spark-api has the operation written by hand; a handwritten command may serve it.
    #[serde(default)]
    handwritten: bool,
}

/// The operations the handwritten commands serve, `(METHOD, path, service, command)` with the
/// path as in the table: their lines in the table become no command of their own. Every other
/// line, handwritten in the library or generated, is a command.
const SERVED_BY_HAND: &[(&str, &str, &str, &str)] = &[
    ("GET", "people/me", "people", "me"),
    ("GET", "people", "people", "list"),
    ("GET", "people/{personId}", "people", "get"),
    ("GET", "rooms", "rooms", "list"),
    ("POST", "rooms", "rooms", "create"),
    ("GET", "rooms/{roomId}", "rooms", "get"),
    ("PUT", "rooms/{roomId}", "rooms", "update"),
    ("DELETE", "rooms/{roomId}", "rooms", "delete"),
    ("GET", "memberships", "memberships", "list"),
    ("POST", "memberships", "memberships", "create"),
    ("GET", "memberships/{membershipId}", "memberships", "get"),
    ("PUT", "memberships/{membershipId}", "memberships", "update"),
    (
        "DELETE",
        "memberships/{membershipId}",
        "memberships",
        "delete",
    ),
    ("GET", "messages", "messages", "list"),
    ("POST", "messages", "messages", "send"),
    ("GET", "messages/{messageId}", "messages", "get"),
    ("DELETE", "messages/{messageId}", "messages", "delete"),
    ("GET", "teams", "teams", "list"),
    ("POST", "teams", "teams", "create"),
    ("GET", "teams/{teamId}", "teams", "get"),
    ("PUT", "teams/{teamId}", "teams", "update"),
    ("DELETE", "teams/{teamId}", "teams", "delete"),
    ("GET", "webhooks", "webhooks", "list"),
    ("POST", "webhooks", "webhooks", "create"),
    ("GET", "webhooks/{webhookId}", "webhooks", "get"),
    ("PUT", "webhooks/{webhookId}", "webhooks", "update"),
    ("DELETE", "webhooks/{webhookId}", "webhooks", "delete"),
];

impl Operation {
    /// Whether a handwritten command serves it, or has its name.
    fn served_by_hand(&self) -> bool {
        let served = self.handwritten
            && SERVED_BY_HAND
                .iter()
                .any(|(method, path, _, _)| *method == self.method && *path == self.path);
        let shadowed = SERVED_BY_HAND
            .iter()
            .any(|(_, _, service, command)| *service == self.service && *command == self.command);
        served || shadowed
    }
}

#[derive(Debug, Deserialize)]
struct PathArg {
    name: String,
    wire: String,
    help: String,
}

#[derive(Debug, Deserialize)]
struct Param {
    flag: String,
    wire: String,
    location: String,
    kind: String,
    required: bool,
    help: String,
    /// For a boolean: the flag that sends `false` (`no-` and the flag).
    #[serde(default)]
    negation: Option<String>,
}

/// Every generated operation, parsed once.
pub(crate) fn operations() -> &'static [Operation] {
    static PARSED: OnceLock<Vec<Operation>> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_json::from_str::<Table>(TABLE)
            .map(|table| table.operations)
            .unwrap_or_default()
    })
}

/// The operations that are commands of the table: all but those the handwritten commands
/// serve.
fn commands() -> impl Iterator<Item = &'static Operation> {
    operations().iter().filter(|op| !op.served_by_hand())
}

/// The operations by service, in order.
fn by_service() -> BTreeMap<&'static str, Vec<&'static Operation>> {
    let mut services: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in commands() {
        services.entry(op.service.as_str()).or_default().push(op);
    }
    services
}

/// Adds the generated commands to `top`: a command per service, or its methods added to a
/// handwritten command of the same name (where the names do not clash).
pub(crate) fn add_to(mut top: Command) -> Command {
    for (service, ops) in by_service() {
        let existing = top.find_subcommand(service).map(|command| {
            command
                .get_subcommands()
                .map(|sub| sub.get_name().to_owned())
                .collect::<Vec<_>>()
        });
        match existing {
            Some(taken) => {
                top = top.mut_subcommand(service, |mut command| {
                    for op in &ops {
                        if !taken.contains(&op.command) {
                            command = command.subcommand(op_command(op));
                        }
                    }
                    command
                });
            }
            None => {
                let area = ops.first().map_or("", |op| op.area.as_str());
                let mut command = Command::new(service)
                    .about(format!("{} ({area})", words(service)))
                    .subcommand_required(true);
                for op in &ops {
                    command = command.subcommand(op_command(op));
                }
                top = top.subcommand(command);
            }
        }
    }
    top
}

/// `api meeting-transcripts` → `Meeting transcripts`.
fn words(service: &str) -> String {
    let text = service.replace('-', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn op_command(op: &'static Operation) -> Command {
    let mut about = op.summary.clone();
    if op.deprecated {
        about.push_str(" (deprecated)");
    }
    let mut example = format!("spark {} {}", op.service, op.command);
    let mut command = Command::new(op.command.as_str())
        .about(about)
        .long_about(format!("{}\n\n{} /{}", op.summary, op.method, op.path));
    for arg in &op.path_args {
        example.push_str(&format!(" {}", arg.name.to_uppercase().replace('-', "_")));
        command = command.arg(
            Arg::new(arg.name.as_str())
                .value_name(arg.name.to_uppercase().replace('-', "_"))
                .required(true)
                .help(arg.help.as_str()),
        );
    }
    for param in &op.params {
        if param.required {
            example.push_str(&format!(" --{}", param.flag));
            if param.kind != "bool" {
                example.push_str(" ..");
            }
        }
        let mut help = param.help.clone();
        if param.required {
            help = format!("(required) {help}");
        }
        let mut arg = Arg::new(param.flag.as_str())
            .long(param.flag.as_str())
            .value_name(param.kind.to_uppercase())
            .help(help);
        arg = match param.kind.as_str() {
            "int" => arg.value_parser(value_parser!(i64)),
            "float" => arg.value_parser(value_parser!(f64)),
            // `--flag` is true; `--flag=false` (or the negation) sends false.
            "bool" => arg
                .num_args(0..=1)
                .require_equals(true)
                .default_missing_value("true")
                .value_parser(value_parser!(bool)),
            "list" => arg.action(ArgAction::Append).value_delimiter(','),
            _ => arg,
        };
        command = command.arg(arg);
        if let Some(negation) = &param.negation {
            command = command.arg(
                Arg::new(negation.as_str())
                    .long(negation.as_str())
                    .action(ArgAction::SetTrue)
                    .conflicts_with(param.flag.as_str())
                    .help(format!("Sends false for --{}", param.flag)),
            );
        }
    }
    if op.body != "none" {
        command = command.arg(
            Arg::new("data")
                .short('d')
                .long("data")
                .value_name("JSON")
                .help("The JSON body (or @FILE); the flags' fields go over it"),
        );
    }
    command.after_help(format!("Example:\n  {example}"))
}

/// The operation of `spark <service> <command>`, if it is a command of the table (not a
/// handwritten one).
pub(crate) fn find(service: &str, command: &str) -> Option<&'static Operation> {
    commands().find(|op| op.service == service && op.command == command)
}

/// One flag's value as JSON.
fn flag_value(param: &Param, matches: &ArgMatches) -> CliResult<Option<Value>> {
    let id = param.flag.as_str();
    Ok(match param.kind.as_str() {
        "int" => matches.get_one::<i64>(id).map(|v| Value::from(*v)),
        "float" => matches.get_one::<f64>(id).map(|v| Value::from(*v)),
        "bool" => match &param.negation {
            Some(negation) if matches.get_flag(negation) => Some(Value::Bool(false)),
            _ => matches.get_one::<bool>(id).map(|v| Value::Bool(*v)),
        },
        "list" => matches
            .get_many::<String>(id)
            .map(|values| Value::Array(values.map(|v| Value::String(v.clone())).collect())),
        "json" => match matches.get_one::<String>(id) {
            Some(text) => Some(parse_json(text, &format!("--{id}"))?),
            None => None,
        },
        _ => matches
            .get_one::<String>(id)
            .map(|v| Value::String(v.clone())),
    })
}

/// How a missing required flag is named: `--flag`, or `--flag or --no-flag` for a boolean.
fn required_flag(param: &Param) -> String {
    match &param.negation {
        Some(negation) => format!("--{} or --{negation}", param.flag),
        None => format!("--{}", param.flag),
    }
}

/// A value as a query or header holds it: lists joined by commas, JSON compact.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => match number.as_f64() {
            Some(float) if number.is_f64() && float.fract() == 0.0 && float.abs() < 1e15 => {
                format!("{}", float as i64)
            }
            _ => number.to_string(),
        },
        Value::Array(items) => items
            .iter()
            .map(crate::output::plain)
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

/// What a call needs, read from the command line.
struct Call {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

fn prepare(op: &Operation, matches: &ArgMatches) -> CliResult<Call> {
    let method = Method::from_bytes(op.method.as_bytes())
        .map_err(|_| CliError::Other(format!("bad method {}", op.method)))?;
    let mut path = op.path.clone();
    for arg in &op.path_args {
        let value = matches
            .get_one::<String>(arg.name.as_str())
            .ok_or_else(|| CliError::Usage(format!("<{}> is required", arg.name)))?;
        path = path.replace(&format!("{{{}}}", arg.wire), &encode_segment(value));
    }
    let data = match matches.try_get_one::<String>("data").ok().flatten() {
        Some(text) => Some(parse_json(text, "--data")?),
        None => None,
    };
    let mut query = Vec::new();
    let mut headers = Vec::new();
    let mut fields = Map::new();
    let mut missing = Vec::new();
    for param in &op.params {
        let value = flag_value(param, matches)?;
        match (param.location.as_str(), value) {
            ("query", Some(value)) => query.push((param.wire.clone(), as_text(&value))),
            ("header", Some(value)) => headers.push((param.wire.clone(), as_text(&value))),
            (_, Some(value)) => {
                fields.insert(param.wire.clone(), value);
            }
            ("body", None) => {
                let in_data = data
                    .as_ref()
                    .and_then(Value::as_object)
                    .is_some_and(|object| object.contains_key(&param.wire));
                if param.required && !in_data {
                    missing.push(required_flag(param));
                }
            }
            (_, None) if param.required => missing.push(required_flag(param)),
            _ => {}
        }
    }
    if !missing.is_empty() {
        return Err(CliError::Usage(format!(
            "missing {} (see spark {} {} --help)",
            missing.join(", "),
            op.service,
            op.command
        )));
    }
    let body = match op.body.as_str() {
        "whole" => Some(data.ok_or_else(|| {
            CliError::Usage(format!(
                "-d JSON is required (the whole body of {} /{})",
                op.method, op.path
            ))
        })?),
        "fields" => {
            let mut object = match data {
                Some(Value::Object(object)) => object,
                Some(_) => return Err(CliError::Usage("--data must be a JSON object".to_owned())),
                None => Map::new(),
            };
            object.extend(fields);
            Some(Value::Object(object))
        }
        _ => data,
    };
    Ok(Call {
        method,
        path,
        query,
        headers,
        body,
    })
}

/// Runs the operation with the command line's values.
pub(crate) async fn run(ctx: &Ctx, op: &Operation, matches: &ArgMatches) -> CliResult {
    let call = prepare(op, matches)?;
    let typed = call.headers.is_empty() && matches!(op.answer.as_str(), "list" | "json");
    if !typed {
        return raw(ctx, call).await;
    }
    if op.answer == "list" && call.method == Method::GET {
        return ctx.list(&call.path, &call.query, &[]).await;
    }
    let target = with_query(&call.path, &call.query);
    let answer: Value = match (call.method, call.body) {
        (Method::GET, _) => ctx.client.get(&target).await?,
        (method, body) => {
            let body = body.unwrap_or_else(|| Value::Object(Map::new()));
            ctx.client.send(method, &target, &body).await?
        }
    };
    ctx.out.value(&answer)
}

/// Through the HTTP client: header parameters, empty answers and answers that are not JSON.
async fn raw(ctx: &Ctx, call: Call) -> CliResult {
    let http = ctx.client.http();
    let target = with_query(&call.path, &call.query);
    let mut request = match &call.body {
        Some(body) => http.json_request(call.method.clone(), &target, body)?,
        None => http.request(call.method.clone(), &target, spark_api::http::Body::empty())?,
    };
    for (name, value) in &call.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| CliError::Usage(format!("`{name}` is not a header name")))?;
        let value = http::HeaderValue::from_str(value).map_err(|_| {
            CliError::Usage(format!("the value of {name} cannot be sent in a header"))
        })?;
        request.headers_mut().insert(name, value);
    }
    let response = http.send(request).await?;
    if !response.status().is_success() {
        let error = spark_api::ApiError::from_response(response).await;
        return Err(CliError::Api(spark_api::Error::Api(Box::new(error))));
    }
    let bytes = response.into_body().collect_limited(ANSWER_LIMIT).await?;
    if bytes.is_empty() {
        return ctx
            .out
            .done(&format!("{} /{}: done", call.method, call.path));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(value) => ctx.out.value(&value),
        Err(_) => write_line(String::from_utf8_lossy(&bytes).trim_end()),
    }
}

fn with_query(path: &str, query: &[(String, String)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let encoded: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{}={}", encode_segment(k), encode_segment(v)))
        .collect();
    format!("{path}?{}", encoded.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_is_not_empty() {
        assert!(operations().len() > 300);
    }

    /// The query `spark meetings list ARGS` would send.
    fn meetings_list_query(args: &[&str]) -> Result<Vec<(String, String)>, String> {
        let op = find("meetings", "list").expect("meetings list");
        let matches = op_command(op)
            .try_get_matches_from(std::iter::once("list").chain(args.iter().copied()))
            .map_err(|error| error.to_string())?;
        prepare(op, &matches)
            .map(|call| call.query)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn booleans_are_flags_with_a_negation() {
        let has_chat = |value: &str| vec![("hasChat".to_owned(), value.to_owned())];
        assert_eq!(
            meetings_list_query(&["--has-chat"]).unwrap(),
            has_chat("true")
        );
        assert_eq!(
            meetings_list_query(&["--has-chat=false"]).unwrap(),
            has_chat("false")
        );
        assert_eq!(
            meetings_list_query(&["--no-has-chat"]).unwrap(),
            has_chat("false")
        );
        assert!(meetings_list_query(&[]).unwrap().is_empty());
        assert!(meetings_list_query(&["--has-chat", "--no-has-chat"]).is_err());
        assert!(meetings_list_query(&["--has-chat", "true"]).is_err());
        assert!(meetings_list_query(&["--has-chat=maybe"]).is_err());
    }

    #[test]
    fn a_required_boolean_names_both_flags_when_missing() {
        let op = operations()
            .iter()
            .find(|op| {
                op.body == "fields"
                    && op
                        .params
                        .iter()
                        .any(|param| param.required && param.kind == "bool")
            })
            .expect("an operation with a required boolean field");
        let matches = op_command(op)
            .try_get_matches_from(
                std::iter::once(op.command.as_str()).chain(op.path_args.iter().map(|_| "X")),
            )
            .expect("path arguments alone parse");
        let error = prepare(op, &matches).err().expect("fields are missing");
        let param = op
            .params
            .iter()
            .find(|param| param.required && param.kind == "bool")
            .expect("the boolean");
        assert!(
            error
                .to_string()
                .contains(&format!("--{0} or --no-{0}", param.flag)),
            "{error}"
        );
    }

    #[test]
    fn what_the_handwritten_commands_serve_is_in_the_table_and_in_the_tree() {
        let command = crate::cli::command();
        for (method, path, service, name) in SERVED_BY_HAND {
            let line = operations()
                .iter()
                .find(|op| op.method == *method && op.path == *path)
                .unwrap_or_else(|| panic!("{method} {path} is in no line of the table"));
            assert!(
                line.handwritten,
                "{method} {path} is generated, not handwritten"
            );
            let group = command
                .find_subcommand(service)
                .unwrap_or_else(|| panic!("no command {service}"));
            assert!(
                group.find_subcommand(name).is_some(),
                "no command {service} {name}"
            );
        }
        let handwritten = operations().iter().filter(|op| op.handwritten).count();
        assert!(
            handwritten > SERVED_BY_HAND.len(),
            "the table has {handwritten} handwritten lines"
        );
    }

    #[test]
    fn every_operation_has_a_command_that_clap_accepts() {
        let command = crate::cli::command();
        command.clone().debug_assert();
        for op in commands() {
            let service = command
                .find_subcommand(&op.service)
                .unwrap_or_else(|| panic!("no command {}", op.service));
            assert!(
                service.find_subcommand(&op.command).is_some(),
                "no command {} {}",
                op.service,
                op.command
            );
        }
    }
}
