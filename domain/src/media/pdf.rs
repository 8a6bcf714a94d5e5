//! Whether bytes that begin like a PDF have the frame of one (ISO 32000-1, 7.5): the
//! `%PDF-1.x` header, the `%%EOF` marker at the end, `startxref` with the offset of the
//! last cross-reference section, and at that offset either a cross-reference table
//! (`xref`, its entries, a `trailer` naming `/Root`) or a cross-reference stream
//! (`N G obj << /Type /XRef … /Root … >> stream`).
//!
//! This is a structural check written here, not a full parse. It refuses what uploads
//! showed: a `%PDF-` header in front of something else (an executable), and files cut
//! short or damaged in transit. A file crafted to have this frame can still carry anything
//! in its objects, as any container can; downloads are served as attachments with
//! `nosniff` for that reason. A PDF library (lopdf) was weighed and left out: it loads
//! every object into memory, which a hostile file can inflate, and it would bring some
//! twenty crates, a cipher suite among them, into the domain.
//!
//! Damaged files that readers repair silently (a wrong offset) are refused; saving the
//! document again as PDF writes a correct one.

/// How far from the end `%%EOF` may be: readers look in the last 1024 bytes.
const TAIL: usize = 1024;
/// How much of a trailer or cross-reference stream dictionary is read.
const DICTIONARY: usize = 64 * 1024;

/// Checks the frame of a PDF.
///
/// # Errors
/// What is missing or broken, as a short phrase.
pub fn check(content: &[u8]) -> Result<(), &'static str> {
    header(content)?;
    let tail_start = content.len().saturating_sub(TAIL);
    let tail = &content[tail_start..];
    let eof = rfind(tail, b"%%EOF").ok_or("no %%EOF marker at the end")?;
    if !tail[eof + 5..].iter().all(|b| is_space(*b)) {
        return Err("data after the final %%EOF marker");
    }
    let startxref = rfind(&tail[..eof], b"startxref").ok_or("no startxref before %%EOF")?;
    let (offset, after) = number(tail, skip_space(tail, startxref + 9)).ok_or("startxref has no offset")?;
    if skip_space(tail, after) != eof {
        return Err("startxref is not followed by %%EOF");
    }
    let offset = usize::try_from(offset)
        .ok()
        .filter(|o| *o < tail_start + startxref)
        .ok_or("startxref points outside the file")?;
    if content[offset..].starts_with(b"xref") {
        table(content, offset + 4)
    } else {
        stream(&content[offset..])
    }
}

/// `%PDF-1.0` to `%PDF-1.7` or `%PDF-2.0`, then the end of the line.
fn header(content: &[u8]) -> Result<(), &'static str> {
    let version = content.strip_prefix(b"%PDF-").ok_or("no %PDF- header")?;
    match version {
        [b'1', b'.', b'0'..=b'7', end, ..] | [b'2', b'.', b'0', end, ..] if is_space(*end) => Ok(()),
        _ => Err("the header names no PDF version 1.0 to 2.0"),
    }
}

/// A cross-reference table from just after `xref`: subsections of `first count` and
/// `count` entries (`nnnnnnnnnn ggggg n`), then `trailer` and a dictionary naming `/Root`.
/// Every entry in use must point inside the file.
fn table(content: &[u8], mut at: usize) -> Result<(), &'static str> {
    const BROKEN: &str = "the cross-reference table is broken";
    let mut entries = 0_u64;
    loop {
        at = skip_space(content, at);
        if content[at..].starts_with(b"trailer") {
            let dictionary = &content[at + 7..];
            let dictionary = &dictionary[..dictionary.len().min(DICTIONARY)];
            return if entries == 0 {
                Err(BROKEN)
            } else if has_name(dictionary, b"/Root") {
                Ok(())
            } else {
                Err("the trailer names no /Root")
            };
        }
        let (_first, after) = number(content, at).ok_or(BROKEN)?;
        let (count, after) = number(content, skip_space(content, after)).ok_or(BROKEN)?;
        at = after;
        for _ in 0..count {
            at = skip_space(content, at);
            let entry = content.get(at..at + 18).ok_or(BROKEN)?;
            let well_formed = entry[..10].iter().all(u8::is_ascii_digit)
                && entry[10] == b' '
                && entry[11..16].iter().all(u8::is_ascii_digit)
                && entry[16] == b' '
                && matches!(entry[17], b'n' | b'f')
                && content.get(at + 18).is_some_and(|b| is_space(*b));
            if !well_formed {
                return Err(BROKEN);
            }
            if entry[17] == b'n' {
                let (offset, _) = number(entry, 0).ok_or(BROKEN)?;
                if usize::try_from(offset).map_or(true, |o| o >= content.len()) {
                    return Err("an object lies outside the file");
                }
            }
            at += 18;
            entries += 1;
        }
    }
}

/// A cross-reference stream at the start of `section`: `N G obj`, then a dictionary naming
/// `/XRef` and `/Root` before its `stream` keyword.
fn stream(section: &[u8]) -> Result<(), &'static str> {
    const ELSEWHERE: &str = "startxref points at neither a table nor a stream";
    let (_number, after) = number(section, 0).ok_or(ELSEWHERE)?;
    let gap = skip_space(section, after);
    let (_generation, after) = number(section, gap).filter(|_| gap > after).ok_or(ELSEWHERE)?;
    let at = skip_space(section, after);
    if !section[at..].starts_with(b"obj") {
        return Err(ELSEWHERE);
    }
    let window = &section[at + 3..];
    let window = &window[..window.len().min(DICTIONARY)];
    let dictionary = &window[..find(window, b"stream").ok_or(ELSEWHERE)?];
    if !has_name(dictionary, b"/XRef") {
        Err(ELSEWHERE)
    } else if !has_name(dictionary, b"/Root") {
        Err("the cross-reference stream names no /Root")
    } else {
        Ok(())
    }
}

/// PDF white space (ISO 32000-1, table 1).
fn is_space(byte: u8) -> bool {
    matches!(byte, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// PDF delimiters (table 2), which end a name.
fn is_delimiter(byte: u8) -> bool {
    matches!(byte, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| is_space(*b)) {
        at += 1;
    }
    at
}

/// The unsigned decimal at `at` (at most 18 digits) and the position after it.
fn number(bytes: &[u8], at: usize) -> Option<(u64, usize)> {
    let digits = bytes.get(at..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let value = bytes[at..at + digits].iter().fold(0_u64, |n, d| n * 10 + u64::from(d - b'0'));
    Some((value, at + digits))
}

/// Whether `name` occurs as a whole name (`/XRef`, not `/XRefStm`).
fn has_name(dictionary: &[u8], name: &[u8]) -> bool {
    dictionary.windows(name.len()).enumerate().any(|(at, window)| {
        window == name && dictionary.get(at + name.len()).is_none_or(|b| is_space(*b) || is_delimiter(*b))
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The smallest PDF with a cross-reference table: a catalog and an empty page tree.
    pub(crate) const MINIMAL: &[u8] = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n";

    /// The same with a cross-reference stream (PDF 1.5).
    const WITH_STREAM: &[u8] = b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n3 0 obj\n<< /Type /XRef /Size 4 /Root 1 0 R /W [1 2 1] /Length 16 >>\nstream\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\nendstream\nendobj\nstartxref\n110\n%%EOF\n";

    fn replaced(content: &[u8], from: &str, to: &str) -> Vec<u8> {
        let at = find(content, from.as_bytes()).unwrap();
        [&content[..at], to.as_bytes(), &content[at + from.len()..]].concat()
    }

    #[test]
    fn well_formed_files_pass() {
        assert_eq!(check(MINIMAL), Ok(()));
        assert_eq!(check(WITH_STREAM), Ok(()));
        // CR LF line ends, and 19-byte entries some writers produce.
        assert_eq!(check(&replaced(MINIMAL, "%%EOF\n", "%%EOF\r\n")), Ok(()));
        assert_eq!(check(&replaced(MINIMAL, "0000000058 00000 n \n", "0000000058 00000 n\n ")), Ok(()));
    }

    #[test]
    fn a_header_in_front_of_something_else_is_refused() {
        let mut executable = b"%PDF-1.7\nMZ\x90\0\x03\0\0\0".to_vec();
        executable.resize(4096, 0x90);
        assert_eq!(check(&executable), Err("no %%EOF marker at the end"));
        // A trailer appended to make it look whole points at nothing.
        executable.extend_from_slice(b"\nstartxref\n0\n%%EOF\n");
        assert_eq!(check(&executable), Err("startxref points at neither a table nor a stream"));
        let mut elf = b"%PDF-1.4\n\x7fELF\x02\x01\x01\n".to_vec();
        let xref = elf.len();
        elf.extend_from_slice(
            format!("xref\ntrailer\n<< /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        assert_eq!(check(&elf), Err("the cross-reference table is broken"));
    }

    #[test]
    fn broken_frames_are_refused() {
        assert_eq!(check(&MINIMAL[..MINIMAL.len() - 7]), Err("no %%EOF marker at the end"));
        assert_eq!(check(&[MINIMAL, b"MZ"].concat()), Err("data after the final %%EOF marker"));
        assert_eq!(
            check(&replaced(MINIMAL, "%PDF-1.7", "%PDF-9.9")),
            Err("the header names no PDF version 1.0 to 2.0")
        );
        assert_eq!(
            check(&replaced(MINIMAL, "startxref\n110", "startxref\n111")),
            Err("startxref points at neither a table nor a stream")
        );
        assert_eq!(
            check(&replaced(MINIMAL, "startxref\n110", "startxref\n99999")),
            Err("startxref points outside the file")
        );
        assert_eq!(check(&replaced(MINIMAL, "/Root", "/Info")), Err("the trailer names no /Root"));
        assert_eq!(
            check(&replaced(MINIMAL, "0000000058", "0000099999")),
            Err("an object lies outside the file")
        );
        assert_eq!(check(&replaced(MINIMAL, "0 3\n", "0 4\n")), Err("the cross-reference table is broken"));
        assert_eq!(
            check(&replaced(WITH_STREAM, "/XRef", "/XRefStm")),
            Err("startxref points at neither a table nor a stream")
        );
        assert_eq!(check(b"%PDF-1.7\n"), Err("no %%EOF marker at the end"));
    }
}
