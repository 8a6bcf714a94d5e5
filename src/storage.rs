//! Files on disk, stored by the SHA-256 of their content under `data_dir/files/<first two
//! hex digits>/<sha256>`: the same content is kept once, and a stored file never changes.
//! Replicas must share the folder.
//!
//! Writing goes through a temporary file (`.<sha256>.<random>` beside its final place)
//! and a rename, so no reader ever sees half a file, and a failed write (a full disk)
//! removes its temporary file. Deleting moves the file aside first, asks whether a row
//! still needs it, and only then deletes or puts it back ([`FileStore::remove_unreferenced`]).

use std::future::Future;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context as _;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt as _;

/// The file store.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

/// One file found in the store's folders.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub kind: EntryKind,
    pub size: u64,
    pub modified: SystemTime,
}

/// What a file in the store's folders is, by its name and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// Stored content, named by its hash in the folder of the hash's first two digits.
    Content { sha256: String },
    /// A temporary file: a write in progress or abandoned, or a file being deleted.
    Temporary,
    /// Anything else: not the store's, so never deleted by it.
    Foreign,
}

impl FileStore {
    /// A store under `data_dir/files`.
    pub fn new(data_dir: &Path) -> Self {
        Self { root: data_dir.join("files") }
    }

    /// The folder holding the stored files.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The hex SHA-256 of `content`.
    pub fn hash(content: &[u8]) -> String {
        format!("{:x}", Sha256::digest(content))
    }

    /// Where the content with hash `sha256` lives.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    /// Stores `content` under its hash and returns the hash; content already there is left
    /// as it is. Writing goes through a temporary file, flushed to disk, and a rename.
    ///
    /// # Errors
    /// When the disk refuses; the temporary file is removed then. [`is_full`] tells a full
    /// disk from other causes.
    pub async fn put(&self, content: &[u8]) -> anyhow::Result<String> {
        let sha256 = Self::hash(content);
        let path = self.path_of(&sha256);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(sha256);
        }
        let folder = path.parent().context("stored files have a folder")?;
        tokio::fs::create_dir_all(folder)
            .await
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let temporary = folder.join(format!(".{sha256}.{}", uuid::Uuid::new_v4().simple()));
        place(&temporary, &path, content).await?;
        Ok(sha256)
    }

    /// Reads the content with hash `sha256`.
    ///
    /// # Errors
    /// When the file is missing or unreadable.
    pub async fn get(&self, sha256: &str) -> anyhow::Result<Vec<u8>> {
        let path = self.path_of(sha256);
        tokio::fs::read(&path).await.with_context(|| format!("cannot read {}", path.display()))
    }

    /// Deletes the content with hash `sha256` unless `referenced` answers that a row still
    /// needs it, and returns the bytes freed (0 when kept or already gone).
    ///
    /// The file is moved aside before `referenced` is asked, which closes the race with an
    /// upload of the same content: an upload whose row committed before the question is
    /// seen, and the file is put back; one that commits after it finds the file gone when
    /// it checks after its commit, and stores the content again (see
    /// `service::attachments::keep`).
    ///
    /// # Errors
    /// When the file cannot be moved or deleted, or `referenced` fails (the file is then
    /// put back).
    pub async fn remove_unreferenced<F, Fut>(&self, sha256: &str, referenced: F) -> anyhow::Result<u64>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = anyhow::Result<bool>>,
    {
        let path = self.path_of(sha256);
        let aside = path.with_file_name(format!(".{sha256}.{}.removing", uuid::Uuid::new_v4().simple()));
        match tokio::fs::rename(&path, &aside).await {
            Ok(()) => {}
            Err(error) if error.kind() == ErrorKind::NotFound => return Ok(0),
            Err(error) => return Err(error).with_context(|| format!("cannot move {} aside", path.display())),
        }
        let put_back = || async {
            tokio::fs::rename(&aside, &path)
                .await
                .with_context(|| format!("cannot put {} back from {}", path.display(), aside.display()))
        };
        match referenced().await {
            Ok(false) => {
                let size = tokio::fs::metadata(&aside).await.map(|m| m.len()).unwrap_or(0);
                tokio::fs::remove_file(&aside)
                    .await
                    .with_context(|| format!("cannot delete {}", aside.display()))?;
                Ok(size)
            }
            Ok(true) => put_back().await.map(|()| 0),
            Err(error) => {
                put_back().await?;
                Err(error)
            }
        }
    }

    /// Deletes a temporary file found by [`FileStore::entries`], and returns its size.
    ///
    /// # Errors
    /// When `entry` is not a temporary file, or the disk refuses.
    pub async fn remove_temporary(&self, entry: &Entry) -> anyhow::Result<u64> {
        anyhow::ensure!(
            entry.kind == EntryKind::Temporary,
            "{} is not a temporary file",
            entry.path.display()
        );
        match tokio::fs::remove_file(&entry.path).await {
            Ok(()) => Ok(entry.size),
            Err(error) if error.kind() == ErrorKind::NotFound => Ok(0),
            Err(error) => Err(error).with_context(|| format!("cannot delete {}", entry.path.display())),
        }
    }

    /// Every file in the store's folders, in no particular order. A store never written to
    /// has none.
    ///
    /// # Errors
    /// When a folder cannot be read.
    pub async fn entries(&self) -> anyhow::Result<Vec<Entry>> {
        let mut found = Vec::new();
        let Some(mut shards) = read_dir(&self.root).await? else {
            return Ok(found);
        };
        while let Some(shard) = shards.next_entry().await.context("cannot list the file store")? {
            let shard_name = shard.file_name().to_string_lossy().into_owned();
            let is_shard = shard_name.len() == 2 && shard_name.bytes().all(is_hex);
            if !(is_shard && shard.file_type().await?.is_dir()) {
                found.push(entry(shard.path(), EntryKind::Foreign).await?);
                continue;
            }
            let Some(mut files) = read_dir(&shard.path()).await? else { continue };
            while let Some(file) = files.next_entry().await.context("cannot list the file store")? {
                let name = file.file_name().to_string_lossy().into_owned();
                let kind = if !file.file_type().await?.is_file() {
                    EntryKind::Foreign
                } else if name.len() == 64 && name.bytes().all(is_hex) && name.starts_with(&shard_name) {
                    EntryKind::Content { sha256: name }
                } else if name.starts_with('.') {
                    EntryKind::Temporary
                } else {
                    EntryKind::Foreign
                };
                found.push(entry(file.path(), kind).await?);
            }
        }
        Ok(found)
    }
}

/// Whether `error` (or its cause) is the disk or a quota being full.
pub fn is_full(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded))
    })
}

/// Writes `content` to `temporary`, flushes it to disk and renames it to `path`; on any
/// failure removes `temporary`, so that nothing half-written stays behind.
async fn place(temporary: &Path, path: &Path, content: &[u8]) -> anyhow::Result<()> {
    let written = async {
        let mut file = tokio::fs::File::create(temporary)
            .await
            .with_context(|| format!("cannot create {}", temporary.display()))?;
        // A full disk may only show when the data is flushed, so flush before renaming.
        file.write_all(content).await.with_context(|| format!("cannot write {}", temporary.display()))?;
        file.sync_all().await.with_context(|| format!("cannot flush {}", temporary.display()))?;
        drop(file);
        tokio::fs::rename(temporary, path).await.with_context(|| format!("cannot store {}", path.display()))
    }
    .await;
    if written.is_err()
        && let Err(error) = tokio::fs::remove_file(temporary).await
        && error.kind() != ErrorKind::NotFound
    {
        tracing::warn!(error.cause = %error, file.path = %temporary.display(), "cannot remove a temporary file");
    }
    written
}

async fn read_dir(folder: &Path) -> anyhow::Result<Option<tokio::fs::ReadDir>> {
    match tokio::fs::read_dir(folder).await {
        Ok(dir) => Ok(Some(dir)),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("cannot list {}", folder.display())),
    }
}

async fn entry(path: PathBuf, kind: EntryKind) -> anyhow::Result<Entry> {
    let metadata = tokio::fs::symlink_metadata(&path)
        .await
        .with_context(|| format!("cannot read {}", path.display()))?;
    let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    Ok(Entry { path, kind, size: metadata.len(), modified })
}

fn is_hex(byte: u8) -> bool {
    matches!(byte, b'0'..=b'9' | b'a'..=b'f')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let sha256 = FileStore::hash(b"content");
        let path = store.path_of(&sha256);
        // The final place is taken by a folder that is not empty: the rename fails.
        std::fs::create_dir_all(path.join("blocker")).unwrap();
        let temporary = path.with_file_name(format!(".{sha256}.test"));
        let error = place(&temporary, &path, b"content").await.unwrap_err();
        assert!(format!("{error:#}").contains("cannot store"), "{error:#}");
        assert!(!temporary.exists(), "the temporary file is removed");
        assert!(!is_full(&error));
    }

    #[tokio::test]
    async fn a_store_that_cannot_create_its_folders_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        // `files` is a plain file, so no folder can be made under it.
        std::fs::write(dir.path().join("files"), b"").unwrap();
        let store = FileStore::new(dir.path());
        let error = store.put(b"content").await.unwrap_err();
        assert!(format!("{error:#}").contains("cannot create"), "{error:#}");
    }

    #[test]
    fn a_full_disk_is_told_apart_through_context() {
        let full = anyhow::Error::new(std::io::Error::from(ErrorKind::StorageFull)).context("cannot write x");
        assert!(is_full(&full));
        let other =
            anyhow::Error::new(std::io::Error::from(ErrorKind::PermissionDenied)).context("cannot write x");
        assert!(!is_full(&other));
    }

    #[tokio::test]
    async fn removing_asks_again_and_keeps_what_is_referenced() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let sha256 = store.put(b"content").await.unwrap();
        let kept = store.remove_unreferenced(&sha256, || async { Ok(true) }).await.unwrap();
        assert_eq!(kept, 0);
        assert_eq!(store.get(&sha256).await.unwrap(), b"content");
        let failed = store.remove_unreferenced(&sha256, || async { anyhow::bail!("database down") }).await;
        assert!(failed.is_err());
        assert_eq!(store.get(&sha256).await.unwrap(), b"content", "put back when the question fails");
        let freed = store.remove_unreferenced(&sha256, || async { Ok(false) }).await.unwrap();
        assert_eq!(freed, 7);
        assert!(!store.path_of(&sha256).exists());
        assert_eq!(store.remove_unreferenced(&sha256, || async { Ok(false) }).await.unwrap(), 0);
        let left: Vec<Entry> = store.entries().await.unwrap();
        assert!(left.is_empty(), "nothing left aside: {left:?}");
    }
}
