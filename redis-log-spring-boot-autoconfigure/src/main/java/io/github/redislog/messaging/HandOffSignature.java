package io.github.redislog.messaging;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Signs the log contexts handed to other processes with HMAC-SHA256, and verifies them
 * with the current key or, during a rotation, the previous one. Signatures are unpadded
 * base64url, an alphabet that baggage keeps. As a bean, it reads the key once every
 * singleton exists (the key may come from Redis, whose connection factory may itself wait
 * for the tracing that uses this signature), so that the first message does not wait.
 *
 * @author Redis Log contributors
 */
public final class HandOffSignature implements SmartInitializingSingleton {

	private static final String ALGORITHM = "HmacSHA256";

	private final Supplier<@Nullable String> key;

	private final @Nullable String previousKey;

	/**
	 * Create a signature.
	 * @param key returns the key that signs and verifies, or {@code null} while it is not
	 * known (nothing is signed then, and nothing verifies)
	 * @param previousKey a key that still verifies, or {@code null}
	 */
	public HandOffSignature(Supplier<@Nullable String> key, @Nullable String previousKey) {
		this.key = key;
		this.previousKey = previousKey;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.key.get();
	}

	/**
	 * Sign some data.
	 * @param data the data
	 * @return the signature, or {@code null} while the key is not known
	 */
	@Nullable String sign(String data) {
		String key = this.key.get();
		return (key != null) ? Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, data)) : null;
	}

	/**
	 * Return whether a signature is the one of some data with the current or the previous
	 * key.
	 * @param data the data
	 * @param signature the signature, as {@link #sign} writes it
	 * @return whether it verifies
	 */
	boolean verifies(String data, String signature) {
		byte[] given;
		try {
			given = Base64.getUrlDecoder().decode(signature);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		String key = this.key.get();
		return (key != null && MessageDigest.isEqual(mac(key, data), given))
				|| (this.previousKey != null && MessageDigest.isEqual(mac(this.previousKey, data), given));
	}

	private static byte[] mac(String key, String data) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
			return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			// Every Java platform has HmacSHA256.
			throw new IllegalStateException(ex);
		}
	}

}
