//! Where answers go and in what form: a table on a terminal (or with `--table`), JSON when
//! stdout is not a terminal (or with `--json`), one JSON document per line (NDJSON) for lists,
//! printed as items arrive.

use std::io::{IsTerminal, Write};

use futures_util::{Stream, StreamExt};
use serde_json::Value;

use crate::error::{CliError, CliResult};
use crate::globals::Globals;
use crate::table;

/// The form answers are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// A table (a list) or a two-column table of fields (one object).
    Table,
    /// JSON; lists as NDJSON.
    Json,
}

/// How to print, decided once from the flags and the terminal.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    /// Table or JSON.
    pub(crate) format: Format,
    /// `--limit`.
    pub(crate) limit: Option<usize>,
    /// `--columns`.
    pub(crate) columns: Option<Vec<String>>,
    /// Styling allowed: stdout is a terminal and `NO_COLOR` is not set.
    pub(crate) color: bool,
    /// Pretty JSON (stdout is a terminal).
    pub(crate) pretty: bool,
}

impl Output {
    /// From the global flags and whether stdout is a terminal.
    pub(crate) fn new(globals: &Globals) -> Self {
        let terminal = std::io::stdout().is_terminal();
        let format = if globals.json {
            Format::Json
        } else if globals.table || terminal {
            Format::Table
        } else {
            Format::Json
        };
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            format,
            limit: globals.limit,
            columns: globals.columns.clone(),
            color: terminal && !no_color,
            pretty: terminal,
        }
    }

    /// Prints one answer: a table of its fields, or JSON.
    pub(crate) fn value(&self, value: &Value) -> CliResult {
        let text = match self.format {
            Format::Table => match value {
                Value::Object(_) if self.columns.is_none() => table::fields(value, self.color),
                Value::Object(_) => table::rows(
                    std::slice::from_ref(value),
                    self.column_list(&[]),
                    self.color,
                ),
                Value::Array(items) => table::rows(items, self.column_list(&[]), self.color),
                other => plain(other),
            },
            Format::Json if self.pretty => serde_json::to_string_pretty(value).unwrap_or_default(),
            Format::Json => serde_json::to_string(value).unwrap_or_default(),
        };
        write_line(&text)
    }

    /// Prints a list as it streams: NDJSON item by item, or one table at the end. Stops after
    /// `--limit` items. Returns how many were printed.
    pub(crate) async fn list<S>(&self, items: S, default_columns: &[&str]) -> CliResult<usize>
    where
        S: Stream<Item = spark_api::Result<Value>>,
    {
        let mut items = std::pin::pin!(items);
        let mut count = 0;
        let mut kept = Vec::new();
        while self.limit.is_none_or(|limit| count < limit) {
            let Some(item) = items.next().await else {
                break;
            };
            let item = item?;
            count += 1;
            match self.format {
                Format::Json => write_line(&serde_json::to_string(&item).unwrap_or_default())?,
                Format::Table => kept.push(item),
            }
        }
        if self.format == Format::Table {
            let columns = self.column_list(default_columns);
            write_line(&table::rows(&kept, columns, self.color))?;
        }
        Ok(count)
    }

    /// `--columns`, else the resource's own, else the fields of the items.
    fn column_list(&self, default_columns: &[&str]) -> Option<Vec<String>> {
        self.columns.clone().or_else(|| {
            (!default_columns.is_empty())
                .then(|| default_columns.iter().map(|c| (*c).to_owned()).collect())
        })
    }

    /// Prints a short line for people (`deleted ...`), or `{}` as JSON for pipes that expect
    /// a document per command.
    pub(crate) fn done(&self, message: &str) -> CliResult {
        match self.format {
            Format::Table => write_line(message),
            Format::Json => {
                write_line(&serde_json::json!({"ok": true, "message": message}).to_string())
            }
        }
    }
}

/// A scalar as people read it: strings without quotes.
pub(crate) fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Writes a line to stdout; a closed pipe ends quietly.
pub(crate) fn write_line(text: &str) -> CliResult {
    let mut stdout = std::io::stdout().lock();
    let written = writeln!(stdout, "{text}").and_then(|()| stdout.flush());
    match written {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(CliError::Other(format!("cannot write to stdout: {error}"))),
    }
}
