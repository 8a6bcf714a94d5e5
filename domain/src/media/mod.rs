//! What an uploaded file is, judged by its bytes rather than its name or the client's
//! word. Accepted: PDF, OFD, DOC, DOCX, JPEG and PNG (Art 6 materials are scans, forms and
//! rule documents).
//!
//! Recognising the first bytes is not enough: a file that begins with `%PDF-` and goes on
//! as an executable, or a ZIP bomb named `.docx`, would pass. So a PDF must also have the
//! structure of one ([`pdf`]), and a ZIP container must stay within limits read from its
//! central directory ([`container`]) before its entries say whether it is DOCX or OFD.

pub mod container;
pub mod pdf;

use std::io::Cursor;

pub use container::Limits;

/// The media types accepted for attachments.
pub const ACCEPTED: [&str; 6] = [
    "application/pdf",
    "application/ofd",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/jpeg",
    "image/png",
];

/// Why a file was refused. The message completes "the file …" and names the rule broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unaccepted {
    #[error("must be a PDF, OFD, DOC, DOCX, JPEG or PNG file (judged by its content)")]
    Kind,
    #[error("begins like a PDF but is not a well-formed one ({0}); save it again as PDF")]
    MalformedPdf(&'static str),
    #[error("is not a readable ZIP container (DOCX and OFD files are ZIP containers)")]
    MalformedZip,
    #[error("holds more than {limit} entries, the limit for ZIP containers")]
    TooManyEntries { limit: usize },
    #[error("would unpack to more than {limit_mib} MiB, the limit for ZIP containers")]
    TooLargeUnpacked { limit_mib: u64 },
    #[error("holds an entry compressed more than {limit} to 1, the limit for ZIP containers (a ZIP bomb?)")]
    OverCompressed { limit: u64 },
}

/// The media type of `content`, if it is one of [`ACCEPTED`] and sound.
///
/// # Errors
/// [`Unaccepted`]: a kind not accepted, a malformed PDF, or a ZIP container beyond
/// [`Limits::UPLOADS`].
pub fn sniff(content: &[u8]) -> Result<&'static str, Unaccepted> {
    let kind = infer::get(content).ok_or(Unaccepted::Kind)?;
    match kind.mime_type() {
        "application/pdf" => {
            pdf::check(content).map_err(Unaccepted::MalformedPdf)?;
            Ok("application/pdf")
        }
        "image/jpeg" => Ok("image/jpeg"),
        "image/png" => Ok("image/png"),
        // An OLE compound file: legacy Word documents (and other Office formats, which a
        // reviewer can still open; the name tells them apart).
        "application/x-ole-storage" | "application/msword" => Ok("application/msword"),
        // DOCX, OFD and anything else in a ZIP container: within the limits first, then
        // told apart by their entries.
        "application/zip" | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            zip_kind(content)
        }
        _ => Err(Unaccepted::Kind),
    }
}

fn zip_kind(content: &[u8]) -> Result<&'static str, Unaccepted> {
    let archive = zip::ZipArchive::new(Cursor::new(content)).map_err(|_| Unaccepted::MalformedZip)?;
    Limits::UPLOADS.check(&archive)?;
    let names: Vec<String> = archive.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("OFD.xml") {
        Ok("application/ofd")
    } else if has("[Content_Types].xml") && names.iter().any(|n| n.starts_with("word/")) {
        Ok("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else {
        Err(Unaccepted::Kind)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write as _;

    use super::*;

    /// A ZIP holding `entries` (name, content), compressed with `method`.
    pub(crate) fn zip_of(method: zip::CompressionMethod, entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, content) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap();
        buffer.into_inner()
    }

    /// A stored (uncompressed) ZIP holding small entries with these names.
    pub(crate) fn zip_with(names: &[&str]) -> Vec<u8> {
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (*n, b"<x/>".as_slice())).collect();
        zip_of(zip::CompressionMethod::Stored, &entries)
    }

    #[test]
    fn known_formats_are_recognised_by_content() {
        assert_eq!(sniff(pdf::tests::MINIMAL), Ok("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Ok("image/jpeg"));
        let mut ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
        ole.resize(1024, 0);
        assert_eq!(sniff(&ole), Ok("application/msword"));
        assert_eq!(sniff(&zip_with(&["OFD.xml", "Doc_0/Document.xml"])), Ok("application/ofd"));
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "word/document.xml"])),
            Ok("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), Err(Unaccepted::Kind));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), Err(Unaccepted::Kind));
        assert_eq!(sniff(&zip_with(&["payload.exe"])), Err(Unaccepted::Kind));
        assert_eq!(sniff(b""), Err(Unaccepted::Kind));
    }

    #[test]
    fn a_pdf_header_in_front_of_an_executable_is_refused() {
        let mut polyglot = b"%PDF-1.7\n".to_vec();
        polyglot.extend_from_slice(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0");
        polyglot.resize(4096, 0x90);
        assert!(matches!(sniff(&polyglot), Err(Unaccepted::MalformedPdf(_))));
    }

    #[test]
    fn a_zip_bomb_named_docx_is_refused_by_its_ratio() {
        let zeros = vec![0_u8; 4 << 20];
        let bomb = zip_of(
            zip::CompressionMethod::Deflated,
            &[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", &zeros)],
        );
        assert!(bomb.len() < 64 * 1024, "the bomb is small: {} bytes", bomb.len());
        assert_eq!(sniff(&bomb), Err(Unaccepted::OverCompressed { limit: 100 }));
    }

    #[test]
    fn a_truncated_zip_is_malformed() {
        let docx = zip_with(&["[Content_Types].xml", "word/document.xml"]);
        assert_eq!(sniff(&docx[..docx.len() - 30]), Err(Unaccepted::MalformedZip));
    }
}
