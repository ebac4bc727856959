//! The key that signs the consent ledger's head, kept outside the database.
//!
//! The hash chain shows a change to an entry, but someone who can write the database can
//! also recompute every hash after the change. So each entry, as it is appended, is signed
//! as the ledger's new head (Ed25519 over [`head_message`]): the signatures sit in the
//! database, the secret key does not. A rewrite then needs the key file too, and an exported
//! ledger is verified offline with the public key alone (`rapport-server verify-ledger`).
//!
//! The key file holds the 32-byte secret seed as 64 hex digits and nothing else. It is made
//! on first start when missing (with mode 0600 on Unix) and its path and key id are logged;
//! the secret never is.

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use rapport_domain::consent::{
    ChainReport, HeadSignature, LedgerExport, head_message, key_id, verify_signed_chain,
};
use std::path::Path;

/// The server's signing key and its public half's id.
pub struct LedgerKey {
    signing: SigningKey,
    key_id: String,
}

impl std::fmt::Debug for LedgerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        write!(f, "LedgerKey({})", self.key_id)
    }
}

impl LedgerKey {
    /// A key from its 32-byte seed.
    #[must_use]
    pub fn from_seed(seed: &[u8; 32]) -> LedgerKey {
        let signing = SigningKey::from_bytes(seed);
        let key_id = key_id(signing.verifying_key().as_bytes());
        LedgerKey { signing, key_id }
    }

    /// A fresh random key.
    pub fn generate() -> Result<LedgerKey, String> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|err| format!("no randomness for a key: {err}"))?;
        Ok(LedgerKey::from_seed(&seed))
    }

    /// Reads the key at `path`, or makes one there when the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<LedgerKey, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let seed: [u8; 32] = hex::decode(text.trim())
                    .ok()
                    .and_then(|bytes| bytes.try_into().ok())
                    .ok_or_else(|| {
                        format!(
                            "{} is not a ledger key (64 hex digits of a 32-byte Ed25519 seed)",
                            path.display()
                        )
                    })?;
                Ok(LedgerKey::from_seed(&seed))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let key = LedgerKey::generate()?;
                write_secret(path, &hex::encode(key.signing.to_bytes()))
                    .map_err(|err| format!("writing the ledger key {}: {err}", path.display()))?;
                tracing::info!(
                    "created a new ledger signing key at {} (key id {}); keep it out of the database's backups and safe: it proves the consent ledger",
                    path.display(),
                    key.key_id
                );
                Ok(key)
            }
            Err(err) => Err(format!("reading the ledger key {}: {err}", path.display())),
        }
    }

    /// The public key's id (see [`rapport_domain::consent::key_id`]).
    #[must_use]
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public key, 32 bytes as lowercase hex.
    #[must_use]
    pub fn public_hex(&self) -> String {
        hex::encode(self.signing.verifying_key().as_bytes())
    }

    /// Signs the entry `seq` with hash `hash` as the ledger's head.
    #[must_use]
    pub fn sign(&self, seq: i64, hash: &str) -> HeadSignature {
        HeadSignature {
            key_id: self.key_id.clone(),
            signature: hex::encode(self.signing.sign(&head_message(seq, hash)).to_bytes()),
        }
    }
}

fn write_secret(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, format!("{text}\n").as_bytes())
}

/// A public key given as 64 hex digits, or as a file holding them.
pub fn read_public_key(given: &str) -> Result<VerifyingKey, String> {
    let text = if given.len() == 64 && given.bytes().all(|b| b.is_ascii_hexdigit()) {
        given.to_owned()
    } else {
        std::fs::read_to_string(given).map_err(|err| format!("reading {given}: {err}"))?
    };
    let bytes: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| format!("{given} is not a public key (64 hex digits)"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|err| format!("{given} is not an Ed25519 key: {err}"))
}

/// Checks an exported ledger against `public_key`: the chain, then each signature by it.
#[must_use]
pub fn verify_export(export: &LedgerExport, public_key: &VerifyingKey) -> ChainReport {
    verify_signed_chain(
        &export.entries,
        &key_id(public_key.as_bytes()),
        |message, signature| {
            hex::decode(signature)
                .ok()
                .and_then(|bytes| Signature::from_slice(&bytes).ok())
                .is_some_and(|signature| public_key.verify(message, &signature).is_ok())
        },
    )
}

/// Checks the database's ledger with the server's own key: the same as offline.
#[must_use]
pub fn verify_entries(
    entries: Vec<rapport_domain::consent::LedgerEntry>,
    key: &LedgerKey,
) -> ChainReport {
    let export = LedgerExport {
        entries,
        head: None,
        key_id: key.key_id.clone(),
        public_key: key.public_hex(),
    };
    verify_export(&export, &key.signing.verifying_key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_key_reads_back_the_same_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/ledger.key");
        let made = LedgerKey::load_or_create(&path).unwrap();
        let read = LedgerKey::load_or_create(&path).unwrap();
        assert_eq!(made.public_hex(), read.public_hex());
        assert_eq!(made.key_id().len(), 16);
        assert!(!format!("{made:?}").contains(&hex::encode(made.signing.to_bytes())));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let public = read_public_key(&made.public_hex()).unwrap();
        let signature = made.sign(3, "abc");
        let bytes: [u8; 64] = hex::decode(&signature.signature)
            .unwrap()
            .try_into()
            .unwrap();
        assert!(
            public
                .verify(&head_message(3, "abc"), &Signature::from_bytes(&bytes))
                .is_ok()
        );
        std::fs::write(&path, "not a key").unwrap();
        assert!(LedgerKey::load_or_create(&path).is_err());
    }
}
