//! Safe local file names from the names servers send.
//!
//! A file's name comes from the server (`Content-Disposition` of a download: see
//! [`ContentInfo::safe_file_name`](crate::ContentInfo::safe_file_name)), and a server, or whoever
//! uploaded the file, chooses it: `../../.bashrc`, `/etc/passwd`, `C:\Windows\win.ini`, `CON`,
//! a name with a right-to-left override that shows `.exe` as `.pdf`. [`safe_file_name`] turns
//! any of them into a name that stays inside the directory it is joined to, on Unix and on
//! Windows.
//!
//! ```
//! use spark_api::file_name::safe_file_name;
//!
//! assert_eq!(safe_file_name("../../.bashrc"), "bashrc");
//! assert_eq!(safe_file_name("C:\\Windows\\win.ini"), "win.ini");
//! assert_eq!(safe_file_name("con.txt"), "_con.txt");
//! assert_eq!(safe_file_name(".."), "download");
//! ```

/// The name used when nothing usable is left of the server's: `download`.
pub const DEFAULT_FILE_NAME: &str = "download";

/// The longest safe name, in bytes (UTF-8): 255, the limit of most file systems.
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// The longest extension kept whole when a long name is cut, in bytes (the dot included).
const MAX_EXTENSION_BYTES: usize = 32;

/// Characters Windows refuses in a name (besides the separators and control characters).
const WINDOWS_FORBIDDEN: [char; 7] = ['<', '>', ':', '"', '|', '?', '*'];

/// A name to save a file under, made from `name` as a server sent it: never empty, never `.`
/// or `..`, without any path, at most [`MAX_FILE_NAME_BYTES`] bytes, and usable on Unix and
/// Windows alike. What is done, in order:
///
/// - only what follows the last `/` or `\` is kept (separators at the end are ignored first):
///   `../../x` is `x`, `/etc/passwd` is `passwd`, `C:\x` is `x`;
/// - control characters (`\0`, line breaks, `DEL`, C1 controls), the characters Windows
///   refuses (`<>:"|?*`) and the invisible characters that reorder text (right-to-left
///   overrides and the like, which can show `fdp.exe` as `exe.pdf`) are removed;
/// - leading dots and spaces are removed (`.bashrc` is `bashrc`: no hidden files, no `..`),
///   and so are trailing ones, which Windows drops;
/// - a name Windows reserves for a device (`CON`, `PRN`, `AUX`, `NUL`, `COM0`-`COM9`,
///   `LPT0`-`LPT9`, and `COM`/`LPT` with `¹²³`, in any case, whatever extension follows) gets a
///   `_` in front: `con.txt` is `_con.txt`;
/// - a name longer than [`MAX_FILE_NAME_BYTES`] bytes is cut on a character boundary,
///   keeping its extension (the part from the last dot, up to 32 bytes);
/// - when nothing is left, the name is [`DEFAULT_FILE_NAME`] (`download`).
///
/// A safe name comes out of this function unchanged. Two different names may give the same
/// safe name: check whether the file exists before writing.
///
/// ```
/// use spark_api::file_name::safe_file_name;
///
/// assert_eq!(safe_file_name("/etc/passwd"), "passwd");
/// assert_eq!(safe_file_name("report: Q3?.pdf"), "report Q3.pdf");
/// assert_eq!(safe_file_name("a\u{0}b"), "ab");
/// assert_eq!(safe_file_name("...."), "download");
/// assert_eq!(safe_file_name(&format!("{}.pdf", "a".repeat(300))).len(), 255);
/// ```
pub fn safe_file_name(name: &str) -> String {
    let last = name
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let kept: String = last.chars().filter(|&c| is_allowed(c)).collect();
    let trimmed = kept.trim_matches(['.', ' ']);
    if trimmed.is_empty() {
        return DEFAULT_FILE_NAME.to_owned();
    }
    let mut safe = String::with_capacity(trimmed.len() + 1);
    if is_reserved(trimmed.split('.').next().unwrap_or_default()) {
        safe.push('_');
    }
    safe.push_str(trimmed);
    cut_to_length(safe)
}

/// False for the characters a safe name never holds.
fn is_allowed(c: char) -> bool {
    !(c.is_control() || WINDOWS_FORBIDDEN.contains(&c) || is_bidi_control(c))
}

/// The invisible characters that change the order text is shown in (Unicode's bidirectional
/// marks, embeddings, overrides and isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// True when `stem` (a name up to its first dot) names a Windows device. Windows ignores
/// trailing spaces there: `NUL .txt` is the device too.
fn is_reserved(stem: &str) -> bool {
    let stem = stem.trim_end_matches(' ');
    if ["CON", "PRN", "AUX", "NUL"]
        .iter()
        .any(|device| stem.eq_ignore_ascii_case(device))
    {
        return true;
    }
    let mut chars = stem.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let port = (prefix.eq_ignore_ascii_case("COM") || prefix.eq_ignore_ascii_case("LPT"))
        .then(|| chars.next())
        .flatten();
    matches!(port, Some('0'..='9' | '\u{b9}' | '\u{b2}' | '\u{b3}')) && chars.next().is_none()
}

/// Cuts `name` to [`MAX_FILE_NAME_BYTES`] on a character boundary, keeping a short extension;
/// drops the dots and spaces a cut leaves at the end of what it kept.
fn cut_to_length(name: String) -> String {
    if name.len() <= MAX_FILE_NAME_BYTES {
        return name;
    }
    let (stem, extension) = split_extension(&name);
    let stem = cut_at(stem, MAX_FILE_NAME_BYTES - extension.len()).trim_end_matches(['.', ' ']);
    [stem, extension].concat()
}

/// `name` as its stem and its extension (from the last dot, when that is not the first
/// character and the extension is at most [`MAX_EXTENSION_BYTES`] long; else empty).
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 && name.len() - dot <= MAX_EXTENSION_BYTES => name.split_at(dot),
        _ => (name, ""),
    }
}

/// The longest start of `text` of at most `limit` bytes that ends on a character boundary.
fn cut_at(text: &str, limit: usize) -> &str {
    let mut end = limit.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The `n`-th other name for the safe name `name`, for when a file already has it: ` (n)` before
/// the extension (`report (2).pdf`), the stem cut so that the whole stays within
/// [`MAX_FILE_NAME_BYTES`]. The result is safe too.
pub(crate) fn numbered(name: &str, n: u32) -> String {
    let suffix = format!(" ({n})");
    let (stem, extension) = split_extension(name);
    let stem = cut_at(stem, MAX_FILE_NAME_BYTES - extension.len() - suffix.len());
    [stem, &suffix, extension].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_lose_their_paths_and_tricks() {
        for (name, safe) in [
            ("report.pdf", "report.pdf"),
            ("../../x", "x"),
            ("/etc/passwd", "passwd"),
            ("..", DEFAULT_FILE_NAME),
            (".", DEFAULT_FILE_NAME),
            ("...", DEFAULT_FILE_NAME),
            ("....//....//", DEFAULT_FILE_NAME),
            ("", DEFAULT_FILE_NAME),
            ("   ", DEFAULT_FILE_NAME),
            ("C:\\x", "x"),
            ("C:x.txt", "Cx.txt"),
            ("..\\..\\windows\\win.ini", "win.ini"),
            ("dir/", "dir"),
            ("a\\", "a"),
            (".bashrc", "bashrc"),
            ("..hidden.txt", "hidden.txt"),
            ("a\u{0}b", "ab"),
            ("a\nb\r\t.txt", "ab.txt"),
            ("bell\u{7}\u{7f}\u{9b}.txt", "bell.txt"),
            ("a<b>c:d\"e|f?g*h.txt", "abcdefgh.txt"),
            ("name. . .", "name"),
            ("name.txt ", "name.txt"),
            (" name.txt", "name.txt"),
            ("con", "_con"),
            ("con.txt", "_con.txt"),
            ("CON.tar.gz", "_CON.tar.gz"),
            ("Aux", "_Aux"),
            ("nul.", "_nul"),
            ("NUL .txt", "_NUL .txt"),
            ("com1.log", "_com1.log"),
            ("LPT9", "_LPT9"),
            ("COM\u{b9}.txt", "_COM\u{b9}.txt"),
            ("com0.txt", "_com0.txt"),
            ("lpt\u{b3}", "_lpt\u{b3}"),
            ("com10.txt", "com10.txt"),
            ("console.txt", "console.txt"),
            ("lpt.txt", "lpt.txt"),
            ("invoice\u{202e}fdp.exe", "invoicefdp.exe"),
            ("résumé 2024 ✓.pdf", "résumé 2024 ✓.pdf"),
        ] {
            assert_eq!(safe_file_name(name), safe, "{name:?}");
        }
    }

    #[test]
    fn long_names_are_cut_to_255_bytes_on_a_char_boundary_keeping_the_extension() {
        let long = format!("{}.pdf", "a".repeat(300));
        let safe = safe_file_name(&long);
        assert_eq!(safe.len(), MAX_FILE_NAME_BYTES);
        assert!(safe.ends_with("aaa.pdf"));

        // Three-byte characters: the cut falls between two of them, never inside one.
        let wide = format!("{}.txt", "✓".repeat(100));
        let safe = safe_file_name(&wide);
        assert!(safe.len() <= MAX_FILE_NAME_BYTES, "{}", safe.len());
        assert!(safe.len() > MAX_FILE_NAME_BYTES - 3);
        assert!(safe.ends_with("✓.txt"));

        // Without an extension, or with one too long to be one, the name is cut at its end.
        let bare = "b".repeat(300);
        assert_eq!(safe_file_name(&bare), "b".repeat(MAX_FILE_NAME_BYTES));
        let odd = format!("x.{}", "e".repeat(300));
        let safe = safe_file_name(&odd);
        assert_eq!(safe.len(), MAX_FILE_NAME_BYTES);
        assert!(safe.starts_with("x.eee"));

        // A cut that leaves a trailing dot or space drops it.
        let dotted = format!("{}. .{}.pdf", "c".repeat(248), "d".repeat(10));
        let safe = safe_file_name(&dotted);
        assert!(safe.len() <= MAX_FILE_NAME_BYTES);
        assert!(safe.ends_with("c.pdf"), "{safe}");
    }

    /// What every safe name promises, whatever it was made from.
    fn assert_safe(name: &str, safe: &str) {
        let context = format!("{name:?} became {safe:?}");
        assert!(!safe.is_empty(), "{context}");
        assert!(safe.len() <= MAX_FILE_NAME_BYTES, "{context}");
        assert!(safe != "." && safe != "..", "{context}");
        assert!(!safe.contains(['/', '\\']), "{context}");
        assert!(
            !safe.contains(['<', '>', ':', '"', '|', '?', '*']),
            "{context}"
        );
        assert!(!safe.chars().any(char::is_control), "{context}");
        assert!(!safe.starts_with(['.', ' ']), "{context}");
        assert!(!safe.ends_with(['.', ' ']), "{context}");
        let stem = safe.split('.').next().unwrap_or_default();
        assert!(!is_reserved(stem), "{context}");
        assert_eq!(safe_file_name(safe), safe, "not stable: {context}");
    }

    #[test]
    fn numbered_names_keep_the_extension_and_the_length_bound() {
        assert_eq!(numbered("report.pdf", 2), "report (2).pdf");
        assert_eq!(numbered("download", 1), "download (1)");
        assert_eq!(numbered("_con.txt", 1), "_con (1).txt");
        assert_eq!(numbered("archive.tar.gz", 3), "archive.tar (3).gz");
        let long = safe_file_name(&format!("{}.pdf", "✓".repeat(100)));
        let mut seen = std::collections::HashSet::new();
        for n in 1..=1000 {
            let other = numbered(&long, n);
            assert_safe(&long, &other);
            assert!(other.ends_with(&format!(" ({n}).pdf")), "{other}");
            assert!(seen.insert(other));
        }
    }

    #[test]
    fn content_info_gives_the_safe_form_of_the_server_name() {
        let info = |name: Option<&str>| crate::ContentInfo {
            file_name: name.map(str::to_owned),
            ..crate::ContentInfo::default()
        };
        assert_eq!(info(Some("../../x")).safe_file_name(), "x");
        assert_eq!(info(Some("/etc/passwd")).safe_file_name(), "passwd");
        assert_eq!(info(Some("report.pdf")).safe_file_name(), "report.pdf");
        assert_eq!(info(None).safe_file_name(), DEFAULT_FILE_NAME);
    }

    #[test]
    fn generated_names_always_come_out_safe() {
        const PIECES: [&str; 28] = [
            "/", "\\", ".", "..", " ", "\u{0}", "\u{1f}", "\n", "\u{7f}", "\u{85}", "\u{202e}",
            ":", "*", "?", "\"", "<", ">", "|", "con", "COM1", "lpt9", "aux", "a", "Z9", "é", "✓",
            "😀", "_-",
        ];
        // A small xorshift generator: the same names on every run.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let pieces = (next() % 12) as usize;
            let mut name = String::new();
            for _ in 0..pieces {
                name.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            if next() % 8 == 0 {
                name.push_str(&"x".repeat((next() % 400) as usize));
                name.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            assert_safe(&name, &safe_file_name(&name));
        }
    }
}
