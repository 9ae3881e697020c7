package io.supportroi.ops;

import org.apache.spark.sql.Column;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.unhex;

/**
 * HMAC-SHA256 (RFC 2104) as a Spark column, built from {@code sha2} and binary concatenation: Spark has no HMAC
 * function, and a UDF would hide the computation from the optimiser. A plain hash of an email or of an id derived
 * from it can be reversed by hashing a list of known emails; without the key, this one cannot.
 */
public final class KeyedHash {
    private KeyedHash() {}

    private static final int BLOCK_BYTES = 64;

    /** Lower-case hex HMAC-SHA256 of the value's UTF-8 bytes; null stays null. */
    public static Column hmacSha256Hex(Column value, byte[] key) {
        byte[] k = key.length > BLOCK_BYTES ? sha256(key) : key;
        byte[] inner = new byte[BLOCK_BYTES];
        byte[] outer = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            byte b = i < k.length ? k[i] : 0;
            inner[i] = (byte) (b ^ 0x36);
            outer[i] = (byte) (b ^ 0x5c);
        }
        Column innerHash = unhex(sha2(concat(lit(inner), value.cast("string").cast("binary")), 256));
        return sha2(concat(lit(outer), innerHash), 256);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
