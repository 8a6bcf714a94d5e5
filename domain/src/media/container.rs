//! Limits on ZIP containers (DOCX, OFD), read from the central directory without
//! unpacking anything: how many entries, how large they unpack in all, and how far one
//! entry may be compressed. A ZIP bomb, a few kilobytes that unpack to gigabytes, breaks
//! at least one of them, and would otherwise reach the reviewer who opens it.
//!
//! The sizes are the ones the archive declares. An archive that lies about them cannot be
//! unpacked by an honest reader (the sizes and checksums no longer match), and this
//! service never unpacks anything.

use std::io::{Read, Seek};

use super::Unaccepted;

/// How far a container may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries in one container.
    pub max_entries: usize,
    /// Most bytes all entries may unpack to, together.
    pub max_unpacked_bytes: u64,
    /// Most one entry may be compressed, as unpacked size to packed size.
    pub max_ratio: u64,
    /// Entries that unpack to no more than this are not held to the ratio: they cannot
    /// harm a reader, and `max_unpacked_bytes` caps many of them together, while a small,
    /// very regular part (an empty style sheet, padding) may well compress beyond it.
    pub ratio_exempt_bytes: u64,
}

impl Limits {
    /// The limits applied to uploads: 1,000 entries (a long Word document has a few
    /// dozen), 100 MiB unpacked, 100 to 1 for entries over 1 MiB (text compresses 3 to 10
    /// to 1).
    pub const UPLOADS: Self = Self {
        max_entries: 1_000,
        max_unpacked_bytes: 100 * 1024 * 1024,
        max_ratio: 100,
        ratio_exempt_bytes: 1024 * 1024,
    };

    /// Checks `archive` against the limits.
    ///
    /// # Errors
    /// [`Unaccepted::TooManyEntries`], [`Unaccepted::TooLargeUnpacked`] or
    /// [`Unaccepted::OverCompressed`], naming the limit; [`Unaccepted::MalformedZip`] for
    /// an entry the central directory cannot describe.
    pub fn check<R: Read + Seek>(&self, archive: &zip::ZipArchive<R>) -> Result<(), Unaccepted> {
        if archive.len() > self.max_entries {
            return Err(Unaccepted::TooManyEntries { limit: self.max_entries });
        }
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let entry = archive.by_index_data(index).map_err(|_| Unaccepted::MalformedZip)?;
            let (packed, unpacked) = (entry.compressed_size(), entry.size());
            total = total.saturating_add(unpacked);
            if total > self.max_unpacked_bytes {
                return Err(Unaccepted::TooLargeUnpacked { limit_mib: self.max_unpacked_bytes >> 20 });
            }
            if unpacked > self.ratio_exempt_bytes && unpacked / packed.max(1) > self.max_ratio {
                return Err(Unaccepted::OverCompressed { limit: self.max_ratio });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use zip::CompressionMethod::{Deflated, Stored};

    use super::*;
    use crate::media::tests::zip_of;

    /// Limits small enough for small test archives.
    const SMALL: Limits =
        Limits { max_entries: 10, max_unpacked_bytes: 4 << 20, max_ratio: 100, ratio_exempt_bytes: 64 << 10 };

    fn checked(limits: &Limits, bytes: &[u8]) -> Result<(), Unaccepted> {
        limits.check(&zip::ZipArchive::new(Cursor::new(bytes)).unwrap())
    }

    #[test]
    fn an_ordinary_document_passes() {
        let text: String =
            (1..=2_000).map(|i| format!("<w:p>第{i}条 为规范网点备案工作，制定本制度。</w:p>")).collect();
        let docx =
            zip_of(Deflated, &[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", text.as_bytes())]);
        assert_eq!(checked(&Limits::UPLOADS, &docx), Ok(()));
        assert_eq!(checked(&SMALL, &docx), Ok(()));
    }

    #[test]
    fn more_entries_than_the_limit_are_refused() {
        let names: Vec<String> = (0..=SMALL.max_entries).map(|i| format!("word/part{i}.xml")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), b"".as_slice())).collect();
        assert_eq!(checked(&SMALL, &zip_of(Stored, &entries)), Err(Unaccepted::TooManyEntries { limit: 10 }));
        assert_eq!(checked(&SMALL, &zip_of(Stored, &entries[1..])), Ok(()));
    }

    #[test]
    fn one_entry_compressed_beyond_the_ratio_is_refused() {
        let zeros = vec![0_u8; 1 << 20];
        assert_eq!(
            checked(&SMALL, &zip_of(Deflated, &[("word/document.xml", &zeros)])),
            Err(Unaccepted::OverCompressed { limit: 100 })
        );
        // Small entries may compress as far as they like.
        assert_eq!(checked(&SMALL, &zip_of(Deflated, &[("word/styles.xml", &zeros[..64 << 10])])), Ok(()));
    }

    #[test]
    fn entries_unpacking_beyond_the_total_are_refused_at_any_ratio() {
        // Five stored entries of 1 MiB: ratio 1, but 5 MiB together.
        let block = vec![b'x'; 1 << 20];
        let names: Vec<String> = (0..5).map(|i| format!("word/media/image{i}.bin")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), block.as_slice())).collect();
        assert_eq!(
            checked(&SMALL, &zip_of(Stored, &entries)),
            Err(Unaccepted::TooLargeUnpacked { limit_mib: 4 })
        );
        assert_eq!(checked(&SMALL, &zip_of(Stored, &entries[1..])), Ok(()));
    }
}
