package com.mailgov.audit;

import com.mailgov.config.MailgovConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Ed25519 key that signs audit checkpoints. It never goes into the database, so whoever owns
 * the tables cannot sign a checkpoint for a chain they rewrote. From {@code mailgov.audit.signing-key}
 * (PEM, e.g. a Kubernetes Secret) or generated once into {@code <data-dir>/audit/checkpoint-signing.key} (0600).
 */
@Startup
@ApplicationScoped
public class AuditSigningKey {

    static final String ALGORITHM = "Ed25519";

    @Inject
    MailgovConfig config;

    private PrivateKey privateKey;
    private PublicKey publicKey;
    private String keyId;
    private String privateBase64;

    @PostConstruct
    void load() {
        try {
            String pem = config.audit().signingKey().filter(s -> !s.isBlank()).orElseGet(this::generatedKeyPem);
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").strip());
            privateKey = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
            privateBase64 = Base64.getEncoder().encodeToString(der);
            publicKey = publicKeyOf(privateKey);
            keyId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()), 0, 8);
            if (!verify(publicKey, "self-test", sign("self-test"))) {
                throw new IllegalStateException("the derived public key does not verify the key's signature");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // never the key itself in the message
            throw new IllegalStateException("mailgov.audit.signing-key is not a PKCS#8 Ed25519 private key (PEM): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    public String keyId() {
        return keyId;
    }

    /** The public key as PEM (SubjectPublicKeyInfo), as {@code openssl pkey -pubout} writes it. */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(publicKey.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** Base64 Ed25519 signature of the UTF-8 text. */
    String sign(String text) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the base64 signature is this key's signature of the text (false for anything malformed). */
    boolean verifies(String text, String signatureBase64) {
        return verify(publicKey, text, signatureBase64);
    }

    /** Whether a value holds this private key (the credential allow-list refuses to send such a value anywhere). */
    public boolean isPrivateKeyIn(String value) {
        return value != null && value.replaceAll("\\s", "").contains(privateBase64);
    }

    private static boolean verify(PublicKey key, String text, String signatureBase64) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Java 17 has no API that derives an Ed25519 public key from a private one, but its key pair
     * generator takes the 32-byte private key from the random source: feeding it the key's own
     * bytes yields the same private key and its public key. load() checks the result by signing.
     */
    private static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
        byte[] seed = ((EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new GeneralSecurityException("the private key's bytes are not available"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
        generator.initialize(java.security.spec.NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
        });
        KeyPair pair = generator.generateKeyPair();
        return pair.getPublic();
    }

    private String generatedKeyPem() {
        Path file = Path.of(config.dataDir()).resolve("audit").resolve("checkpoint-signing.key").toAbsolutePath();
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
                String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
                // written aside and linked into place, so a second process starting at once reads a whole key, never half
                Path fresh = Files.createTempFile(file.getParent(), "signing", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(fresh, pem, StandardCharsets.US_ASCII);
                try {
                    Files.createLink(file, fresh); // link(2) never replaces: a key that is there stays
                    Log.infof("Generated the audit checkpoint signing key %s (0600); back it up with the data folder", file);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another process made it first: use theirs
                } finally {
                    Files.deleteIfExists(fresh);
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the audit signing key " + file
                    + " (set mailgov.audit.signing-key where the data folder is read-only)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
