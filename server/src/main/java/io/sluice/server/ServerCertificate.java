package io.sluice.server;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificate chain and private key the API serves TLS with, read from PEM files and checked to
 * belong together (the key signs what the first certificate's public key verifies).
 *
 * <p>The certificate file holds one or more {@code CERTIFICATE} blocks, the server's own first, then
 * the intermediates; text outside blocks is ignored. The key file holds one unencrypted private key:
 * {@code PRIVATE KEY} (PKCS#8: RSA, EC, Ed25519 or Ed448),
 * {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1, with its named curve); other blocks
 * in it, such as {@code EC PARAMETERS}, are ignored. Encrypted keys are refused.
 */
record ServerCertificate(List<X509Certificate> chain, PrivateKey key) {
    /** PEM files are small; anything larger is not one. */
    static final int MAX_FILE_BYTES = 1 << 20;

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA"};
    private static final byte[] RSA_ENCRYPTION_OID = HexFormat.of().parseHex("06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");

    ServerCertificate {
        chain = List.copyOf(chain);
        requireNonNull(key, "key is null");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
    }

    /** The server's own certificate, the first of the chain. */
    X509Certificate leaf() {
        return chain.getFirst();
    }

    /**
     * Reads and checks a pair.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     * @throws IOException when a file cannot be read
     */
    static ServerCertificate read(Path certificateFile, Path keyFile) throws IOException {
        return parse(certificateFile, readSmall(certificateFile), keyFile, readSmall(keyFile));
    }

    /**
     * Parses and checks a pair already read from {@code certificateFile} and {@code keyFile}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static ServerCertificate parse(Path certificateFile, byte[] certificatePem, Path keyFile, byte[] keyPem) {
        List<X509Certificate> chain = certificates(certificateFile, certificatePem);
        PrivateKey key = privateKey(keyFile, keyPem);
        requireMatching(chain.getFirst(), key, certificateFile, keyFile);
        return new ServerCertificate(chain, key);
    }

    /** An in-memory key store holding the pair under alias {@code sluice}, protected by {@code password}. */
    KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("sluice", key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("an in-memory PKCS12 key store cannot be made", e);
        }
    }

    /** For logs: the leaf's subject, serial number and expiry. */
    String describe() {
        X509Certificate leaf = leaf();
        return "'" + leaf.getSubjectX500Principal().getName() + "' (serial "
                + leaf.getSerialNumber().toString(16) + ", valid until "
                + leaf.getNotAfter().toInstant() + ")";
    }

    static byte[] readSmall(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(file + " is larger than " + MAX_FILE_BYTES + " bytes: not a PEM file");
        }
        return Files.readAllBytes(file);
    }

    private static List<X509Certificate> certificates(Path file, byte[] bytes) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Matcher block = BLOCK.matcher(new String(bytes, StandardCharsets.US_ASCII));
            while (block.find()) {
                if (block.group(1).equals("CERTIFICATE")) {
                    chain.add((X509Certificate)
                            factory.generateCertificate(new ByteArrayInputStream(decode(file, block.group(2)))));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + ": a CERTIFICATE block is not an X.509 certificate", e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no PEM CERTIFICATE block");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file, byte[] bytes) {
        Matcher block = BLOCK.matcher(new String(bytes, StandardCharsets.US_ASCII));
        PrivateKey key = null;
        while (block.find()) {
            String label = block.group(1);
            if (!label.endsWith("PRIVATE KEY")) {
                continue;
            }
            if (key != null) {
                throw new IllegalArgumentException(file + " holds more than one private key");
            }
            if (block.group(2).contains("Proc-Type:")) {
                throw new IllegalArgumentException(file + " holds an encrypted private key: decrypt it first"
                        + " (openssl pkey -in encrypted.pem -out key.pem)");
            }
            byte[] der = decode(file, block.group(2));
            key = switch (label) {
                case "PRIVATE KEY" -> pkcs8(file, der);
                case "RSA PRIVATE KEY" -> pkcs8(file, wrapPkcs1(der));
                case "EC PRIVATE KEY" -> pkcs8(file, wrapSec1(file, der));
                case "ENCRYPTED PRIVATE KEY" ->
                    throw new IllegalArgumentException(file + " holds an encrypted private key: decrypt it first"
                            + " (openssl pkey -in encrypted.pem -out key.pem)");
                default -> throw new IllegalArgumentException(file + ": unsupported key block '" + label + "'");
            };
        }
        if (key == null) {
            throw new IllegalArgumentException(file + " holds no PEM private key block");
        }
        return key;
    }

    private static byte[] decode(Path file, String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": a PEM block is not base64", e);
        }
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(file + ": the private key is not one the JDK can read");
    }

    /** PKCS#1 {@code RSAPrivateKey} in a PKCS#8 {@code PrivateKeyInfo} (version 0, rsaEncryption). */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        return Der.sequence(Der.tlv(0x02, new byte[] {0}), Der.tlv(0x30, RSA_ENCRYPTION_OID), Der.tlv(0x04, pkcs1));
    }

    /**
     * SEC1 {@code ECPrivateKey} (version 1, the key, {@code [0]} named curve, {@code [1]} public key) in a
     * PKCS#8 {@code PrivateKeyInfo} whose algorithm is ecPublicKey with that curve.
     */
    private static byte[] wrapSec1(Path file, byte[] sec1) {
        byte[] curve;
        try {
            Der.Reader fields = new Der.Reader(new Der.Reader(sec1).next(0x30));
            fields.next(0x02);
            fields.next(0x04);
            if (!fields.hasNext(0xa0)) {
                throw new IllegalArgumentException("it does not name its curve");
            }
            curve = fields.next(0xa0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": unusable EC PRIVATE KEY: " + e.getMessage(), e);
        }
        return Der.sequence(
                Der.tlv(0x02, new byte[] {0}), Der.tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve)), Der.tlv(0x04, sec1));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static void requireMatching(X509Certificate leaf, PrivateKey key, Path certificateFile, Path keyFile) {
        PublicKey publicKey = leaf.getPublicKey();
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("the private key in " + keyFile + " (" + key.getAlgorithm()
                    + ") does not belong to the first certificate in " + certificateFile + " ("
                    + publicKey.getAlgorithm() + ")");
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the private key in " + keyFile
                        + " does not belong to the first certificate in " + certificateFile);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot check that the private key in " + keyFile + " belongs to the first certificate in "
                            + certificateFile + ": " + e.getMessage(),
                    e);
        }
    }

    /** Just enough DER (definite lengths, one-byte tags) to re-wrap a private key. */
    private static final class Der {
        private Der() {}

        static byte[] sequence(byte[]... parts) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                content.writeBytes(part);
            }
            return tlv(0x30, content.toByteArray());
        }

        static byte[] tlv(int tag, byte[] value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
            out.write(tag);
            int length = value.length;
            if (length < 0x80) {
                out.write(length);
            } else {
                int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(length >>> (8 * i));
                }
            }
            out.writeBytes(value);
            return out.toByteArray();
        }

        /** Reads consecutive elements of one level. */
        static final class Reader {
            private final byte[] bytes;
            private int position;

            Reader(byte[] bytes) {
                this.bytes = bytes;
            }

            boolean hasNext(int tag) {
                return position < bytes.length && (bytes[position] & 0xff) == tag;
            }

            /** The value of the next element, which must have {@code tag}. */
            byte[] next(int tag) {
                if (!hasNext(tag)) {
                    throw new IllegalArgumentException("malformed DER: expected tag " + Integer.toHexString(tag));
                }
                position++;
                int length = byteAt(position++);
                if (length >= 0x80) {
                    int count = length & 0x7f;
                    if (count == 0 || count > 3) {
                        throw new IllegalArgumentException("malformed DER: unsupported length");
                    }
                    length = 0;
                    for (int i = 0; i < count; i++) {
                        length = (length << 8) | byteAt(position++);
                    }
                }
                if (length > bytes.length - position) {
                    throw new IllegalArgumentException("malformed DER: truncated");
                }
                byte[] value = Arrays.copyOfRange(bytes, position, position + length);
                position += length;
                return value;
            }

            private int byteAt(int index) {
                if (index >= bytes.length) {
                    throw new IllegalArgumentException("malformed DER: truncated");
                }
                return bytes[index] & 0xff;
            }
        }
    }
}
