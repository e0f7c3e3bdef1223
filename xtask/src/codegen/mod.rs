//! `cargo xtask codegen [--check] [--list]`: the operations of `spec/*.json` that spark-api does
//! not have by hand, generated into spark-model (types) and spark-api (services).
//!
//! `--check` writes nothing and fails when a committed file differs from what the generator
//! makes (`cargo xtask lint` runs it); `--list` prints each operation's service and method.

mod docs;
mod examples;
mod naming;
mod ops;
mod overrides;
mod render_cli;
mod render_model;
mod render_service;
mod render_test;
mod spec;
mod types;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use spec::{Area, Spec};
use types::Registry;

pub(crate) fn run(args: &[String]) -> Result<(), ExitCode> {
    let root = workspace_root();
    let check = args.iter().any(|a| a == "--check");
    let list = args.iter().any(|a| a == "--list");
    let result = generate(&root, check, list);
    result.map_err(|message| {
        eprintln!("codegen: {message}");
        ExitCode::FAILURE
    })
}

fn generate(root: &Path, check: bool, list: bool) -> Result<(), String> {
    let specs = Area::ALL
        .iter()
        .map(|area| Spec::load(root, *area))
        .collect::<Result<Vec<_>, _>>()?;
    let ops = spec::operations(&specs)?;
    if list {
        for op in &ops {
            println!(
                "{:<9} {:<28} {:<40} {:<6} {}",
                op.area.module(),
                op.service,
                op.name,
                op.method,
                op.path
            );
        }
    }
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut areas = Vec::new();
    for spec in &specs {
        let area = spec.area;
        let mut registry = Registry::new(spec);
        let models: Vec<ops::OpModel> = ops
            .iter()
            .filter(|op| op.area == area)
            .map(|op| ops::model(op, &mut registry))
            .collect();
        areas.push((area, models, registry));
    }
    for (area, models, registry) in &areas {
        let (area, models, registry) = (*area, models, registry);
        let spec = registry.spec();
        let builders = render_model::reachable_from_requests(registry);
        let mut tags = BTreeMap::new();
        for tag in &spec.api.tags {
            let service = overrides::service_name(area, &tag.name);
            if let Some(about) = docs::summary(tag.description.as_deref()) {
                tags.entry(service).or_insert(about);
            }
        }
        let file = format!("{}.rs", area.module());
        files.push((
            root.join("crates/spark-model/src/generated").join(&file),
            render_model::render(area, registry, &builders),
        ));
        files.push((
            root.join("crates/spark-api/src/generated").join(&file),
            render_service::render(area, models, &tags),
        ));
        eprintln!(
            "{}: {} operations, {} structs, {} enums",
            area.module(),
            models.len(),
            registry.structs.len(),
            registry.enums.len()
        );
    }
    let tested: Vec<(Area, &[ops::OpModel], &Registry<'_>)> = areas
        .iter()
        .map(|(area, models, registry)| (*area, models.as_slice(), registry))
        .collect();
    files.push((
        root.join("tests/tests/generated_operations.rs"),
        render_test::render(&tested),
    ));
    files.push((
        root.join("crates/spark-model/tests/generated/schemas.rs"),
        render_test::render_schema_table(&tested),
    ));
    // The handwritten operations get a line in the command line's table too, modelled in
    // registries of their own whose types are not rendered: the command line skips those its
    // handwritten commands already serve.
    let handwritten = spec::handwritten_operations(&specs)?;
    let mut by_hand = Vec::new();
    for spec in &specs {
        let mut registry = Registry::new(spec);
        let models: Vec<ops::OpModel> = handwritten
            .iter()
            .filter(|op| op.area == spec.area)
            .map(|op| ops::model(op, &mut registry))
            .collect();
        by_hand.push((spec.area, models, registry));
    }
    let in_cli: Vec<(Area, &[ops::OpModel], &Registry<'_>)> = tested
        .iter()
        .copied()
        .chain(
            by_hand
                .iter()
                .map(|(area, models, registry)| (*area, models.as_slice(), registry)),
        )
        .collect();
    files.push((
        root.join("crates/spark-cli/src/generated/operations.json"),
        render_cli::render(&in_cli),
    ));
    files.push((
        root.join("crates/spark-emulator/src/generated/operations.json"),
        examples::render(&ops),
    ));
    eprintln!(
        "{} of {} operations generated ({} written by hand, {} left out)",
        ops.len(),
        spec::operation_count(&specs),
        overrides::HANDWRITTEN.len(),
        overrides::LEFT_OUT.len()
    );
    let mut stale = Vec::new();
    for (path, text) in files {
        let formatted = if path.extension().is_some_and(|e| e == "rs") {
            rustfmt(root, &text).map_err(|e| format!("{}: {e}", path.display()))?
        } else {
            text
        };
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == formatted {
            continue;
        }
        if check {
            stale.push(path.display().to_string());
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, formatted).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "generated files differ from what `cargo xtask codegen` makes:\n  {}",
            stale.join("\n  ")
        ))
    }
}

/// The text as rustfmt formats it (edition 2024, the workspace's settings).
fn rustfmt(root: &Path, text: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("rustfmt: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt: no stdin")?;
    let input = text.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt: {e}"))
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
