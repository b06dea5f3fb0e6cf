package io.github.redislog.wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ContextIdEncoder}.
 */
class ContextIdEncoderTests {

	private static final String RESERVED = "global";

	// Characters an encoded id may hold: the kept ones, '%' of the escapes and '~' of a
	// shortened id. No glob characters, no ':', no braces, no whitespace.
	private static final Pattern SAFE_OUTPUT = Pattern.compile("[A-Za-z0-9._@%~-]+");

	private static final String HOSTILE_CHARACTERS = "%:*?[]{}~ \t\r\n\u0000\u001B\u007F\u0085\u00A0\u2028\\/\"'$#";

	private final ContextIdEncoder encoder = new ContextIdEncoder(RESERVED);

	@ParameterizedTest
	@ValueSource(strings = { "User.alice", "job_3f0c2a9e-6f41-4d1b-9c1e-0a6f8e1d2b3c", "task_3f0c", "a",
			"alice@example.com", "Z-9_.@" })
	void keepsAllowedCharacters(String contextId) {
		assertThat(this.encoder.encode(contextId)).isEqualTo(contextId);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
			100%          | 100%25
			User:alice    | User%3Aalice
			logs:*        | logs%3A%2A
			who?          | who%3F
			[abc]         | %5Babc%5D
			{tag}         | %7Btag%7D
			'a b'         | a%20b
			josé          | jos%C3%A9
			a~b           | a%7Eb
			a/b\\c        | a%2Fb%5Cc
			""")
	void percentEncodesOtherCharactersAsUtf8Bytes(String contextId, String expected) {
		assertThat(this.encoder.encode(contextId)).isEqualTo(expected);
	}

	@Test
	void percentEncodesControlCharacters() {
		assertThat(this.encoder.encode("a\u0000b\tc\nd\re\u001Bf\u007F")).isEqualTo("a%00b%09c%0Ad%0De%1Bf%7F");
	}

	@Test
	void percentEncodesFourByteCharacters() {
		assertThat(this.encoder.encode("log\uD83D\uDE00")).isEqualTo("log%F0%9F%98%80");
	}

	@Test
	void percentEncodesLoneHighSurrogate() {
		assertThat(this.encoder.encode("a\uD83Db")).isEqualTo("a%ED%A0%BDb");
	}

	@Test
	void percentEncodesLoneLowSurrogate() {
		assertThat(this.encoder.encode("a\uDE00b")).isEqualTo("a%ED%B8%80b");
	}

	@Test
	void encodesSurrogatesInReverseOrderAsTwoLoneSurrogates() {
		assertThat(this.encoder.encode("\uDE00\uD83D")).isEqualTo("%ED%B8%80%ED%A0%BD");
	}

	@Test
	void encodesReservedNameSoThatNoContextReachesGlobalChannel() {
		String encoded = this.encoder.encode(RESERVED);
		assertThat(encoded).isEqualTo("%67lobal").isNotEqualTo(RESERVED);
	}

	@Test
	void encodesTextThatLooksLikeEncodedReservedNameDifferently() {
		assertThat(this.encoder.encode("%67lobal")).isEqualTo("%2567lobal").isNotEqualTo(this.encoder.encode(RESERVED));
	}

	@Test
	void encodesOnlyExactReservedName() {
		assertThat(this.encoder.encode("Global")).isEqualTo("Global");
		assertThat(this.encoder.encode("global2")).isEqualTo("global2");
		assertThat(this.encoder.encode("globa")).isEqualTo("globa");
	}

	@Test
	void encodesCustomReservedName() {
		ContextIdEncoder encoder = new ContextIdEncoder("all-logs");
		assertThat(encoder.encode("all-logs")).isEqualTo("%61ll-logs");
		assertThat(encoder.encode("global")).isEqualTo("global");
	}

	@Test
	void keepsEncodedIdOfMaxLengthAsItIs() {
		String contextId = "a".repeat(ContextIdEncoder.MAX_LENGTH);
		assertThat(this.encoder.encode(contextId)).isEqualTo(contextId);
	}

	@Test
	void shortensEncodedIdLongerThanMaxLength() {
		String contextId = "a".repeat(ContextIdEncoder.MAX_LENGTH + 1);
		String encoded = this.encoder.encode(contextId);
		assertThat(encoded).hasSizeLessThanOrEqualTo(ContextIdEncoder.MAX_LENGTH)
			.startsWith("a".repeat(ContextIdEncoder.KEPT_PREFIX_LENGTH) + "~")
			.matches(SAFE_OUTPUT);
	}

	@Test
	void shortensTenKilobyteIdToMaxLength() {
		String contextId = "x".repeat(10 * 1024);
		String hostile = "*?[]:{} ".repeat(10 * 1024 / 8);
		assertThat(this.encoder.encode(contextId)).hasSizeLessThanOrEqualTo(ContextIdEncoder.MAX_LENGTH)
			.matches(SAFE_OUTPUT);
		assertThat(this.encoder.encode(hostile)).hasSizeLessThanOrEqualTo(ContextIdEncoder.MAX_LENGTH)
			.matches(SAFE_OUTPUT);
	}

	@Test
	void shortensLongIdsThatDifferOnlyAtTheEndToDifferentIds() {
		String prefix = "y".repeat(10 * 1024);
		assertThat(this.encoder.encode(prefix + "1")).isNotEqualTo(this.encoder.encode(prefix + "2"));
	}

	@Test
	void shortensIdWhoseEncodingIsTooLongEvenThoughItsTextIsShort() {
		String contextId = "\uD83D\uDE00".repeat(ContextIdEncoder.MAX_LENGTH / 12 + 1);
		assertThat(contextId.length()).isLessThan(ContextIdEncoder.MAX_LENGTH);
		assertThat(this.encoder.encode(contextId)).hasSizeLessThanOrEqualTo(ContextIdEncoder.MAX_LENGTH)
			.contains("~");
	}

	@Test
	void keepsLongReservedNameWithinMaxLength() {
		String reserved = "g".repeat(ContextIdEncoder.MAX_LENGTH);
		ContextIdEncoder encoder = new ContextIdEncoder(reserved);
		assertThat(encoder.encode(reserved)).hasSizeLessThanOrEqualTo(ContextIdEncoder.MAX_LENGTH)
			.isNotEqualTo(reserved)
			.matches(SAFE_OUTPUT);
	}

	@Test
	void encodesHostileCorpusInjectivelyIntoSafeBoundedIds() {
		List<String> corpus = hostileCorpus(new Random(20251127L));
		assertThat(corpus).hasSizeGreaterThan(3000);
		assertEncodedInjectivelyIntoSafeBoundedIds(corpus);
	}

	@Test
	void encodesTenKilobyteHostileCorpusInjectivelyIntoSafeBoundedIds() {
		List<String> corpus = tenKilobyteCorpus(new Random(20251128L));
		assertThat(corpus).hasSizeGreaterThan(500);
		assertEncodedInjectivelyIntoSafeBoundedIds(corpus);
	}

	@Test
	void noContextIdOfHostileCorporaReachesTheGlobalChannelOrAnotherLevelOfTheKeySpace() {
		LogChannels channels = new LogChannels("logs", RESERVED, Duration.ofHours(1), Duration.ofDays(1));
		List<String> corpus = new ArrayList<>(hostileCorpus(new Random(20251127L)));
		corpus.addAll(tenKilobyteCorpus(new Random(20251128L)));
		for (String contextId : corpus) {
			LogChannel channel = channels.context(contextId);
			assertThat(channel.name()).as(() -> "channel of " + escape(contextId))
				.isNotEqualTo(channels.global().name())
				.startsWith("logs:")
				.satisfies((name) -> assertThat(name.substring("logs:".length())).matches(SAFE_OUTPUT));
			assertThat(channel.streamKey()).isNotEqualTo(channels.global().streamKey());
		}
	}

	@Test
	void rejectsEmptyContextId() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.encoder.encode(""));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "glo*bal", "logs:global", "glo bal", "{global}", "global?", "100%", "jos\u00E9" })
	void rejectsUnsafeReservedName(String reservedName) {
		assertThatIllegalArgumentException().isThrownBy(() -> new ContextIdEncoder(reservedName));
	}

	private void assertEncodedInjectivelyIntoSafeBoundedIds(List<String> corpus) {
		Map<String, String> inputByOutput = new HashMap<>();
		for (String contextId : corpus) {
			String encoded = this.encoder.encode(contextId);
			assertThat(encoded).as(() -> "encoding of " + escape(contextId))
				.matches(SAFE_OUTPUT)
				.hasSizeLessThanOrEqualTo(ContextIdEncoder.MAX_LENGTH)
				.isNotEqualTo(RESERVED);
			String previous = inputByOutput.put(encoded, contextId);
			assertThat(previous)
				.as(() -> escape(previous) + " and " + escape(contextId) + " both encode to " + encoded)
				.isNull();
		}
		assertThat(inputByOutput).hasSameSizeAs(corpus);
	}

	// Ids of about 10 KB, ids that share a 10 KB prefix and differ only at the end, ids
	// whose encoding is just shorter or just longer than the bound, and ids equal to the
	// shortened encodings of other ids.
	private List<String> tenKilobyteCorpus(Random random) {
		Set<String> corpus = new LinkedHashSet<>();
		for (int i = 0; i < 100; i++) {
			corpus.add(randomMix(random, 10 * 1024));
		}
		for (int i = 0; i < 50; i++) {
			corpus.add(randomCodeUnits(random, 10 * 1024));
		}
		String sharedPrefix = randomMix(random, 10 * 1024);
		for (int i = 0; i < 150; i++) {
			corpus.add(sharedPrefix + randomMix(random, 1 + random.nextInt(3)));
		}
		corpus.add(sharedPrefix);
		for (int length = ContextIdEncoder.MAX_LENGTH - 10; length <= ContextIdEncoder.MAX_LENGTH + 10; length++) {
			corpus.add("k".repeat(length));
			corpus.add("k".repeat(length - 1) + "~");
			corpus.add("%".repeat(length / 3) + "k".repeat(length % 3));
		}
		List<String> sources = new ArrayList<>(corpus);
		for (String source : sources.subList(0, 200)) {
			corpus.add(this.encoder.encode(source));
		}
		return new ArrayList<>(corpus);
	}

	private List<String> hostileCorpus(Random random) {
		Set<String> corpus = new LinkedHashSet<>();
		corpus.addAll(List.of("global", "%67lobal", "%2567lobal", "Global", "global ", " global", "User.alice",
				"User.alice%20", "User.alice ", "User.alice%2520", "User.alice\u0000", "User.alic\u00E9", "User.alic%C3%A9",
				"?", "%3F", "\uD800", "\uD801", "\uDC00", "\uD800\uDC00", "\uDC00\uD800", "%ED%A0%80", "~", "%7E", "%",
				"%%", "%25"));
		for (int i = 0; i < 800; i++) {
			corpus.add(randomCodeUnits(random, 1 + random.nextInt(12)));
		}
		for (int i = 0; i < 800; i++) {
			corpus.add(randomMix(random, 1 + random.nextInt(16)));
		}
		for (int i = 0; i < 400; i++) {
			corpus.add(percentHex(random, 1 + random.nextInt(4)));
		}
		// Strings equal to the encodings of other strings.
		List<String> sources = new ArrayList<>(corpus);
		for (int i = 0; i < 400; i++) {
			corpus.add(this.encoder.encode(sources.get(random.nextInt(sources.size()))));
		}
		// Near-duplicates: one character changed, appended or removed.
		sources = new ArrayList<>(corpus);
		for (int i = 0; i < 600; i++) {
			String source = sources.get(random.nextInt(sources.size()));
			corpus.add(nearDuplicate(random, source));
		}
		// Long strings that share a 300-character prefix, so that they are shortened.
		String sharedPrefix = randomMix(random, 300);
		for (int i = 0; i < 300; i++) {
			corpus.add(sharedPrefix + randomMix(random, random.nextInt(8)));
		}
		String keptPrefix = "k".repeat(300);
		for (int i = 0; i < 100; i++) {
			corpus.add(keptPrefix + i);
			corpus.add(keptPrefix + "%" + i);
		}
		corpus.remove("");
		return new ArrayList<>(corpus);
	}

	private static String randomCodeUnits(Random random, int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append((char) random.nextInt(Character.MAX_VALUE + 1));
		}
		return text.toString();
	}

	private static String randomMix(Random random, int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			switch (random.nextInt(6)) {
				case 0 -> text.append(HOSTILE_CHARACTERS.charAt(random.nextInt(HOSTILE_CHARACTERS.length())));
				case 1 -> text.append((char) (Character.MIN_SURROGATE
						+ random.nextInt(Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1)));
				case 2 -> text.append(percentHex(random, 1));
				case 3 -> text.appendCodePoint(0x10000 + random.nextInt(Character.MAX_CODE_POINT - 0x10000 + 1));
				case 4 -> text.append((char) (0x80 + random.nextInt(0x780)));
				default -> text.append("aZ09._@-".charAt(random.nextInt(8)));
			}
		}
		return text.toString();
	}

	private static String percentHex(Random random, int escapes) {
		String hex = "0123456789ABCDEFabcdef";
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < escapes; i++) {
			text.append('%');
			text.append(hex.charAt(random.nextInt(hex.length())));
			text.append(hex.charAt(random.nextInt(hex.length())));
		}
		return text.toString();
	}

	private static String nearDuplicate(Random random, String source) {
		StringBuilder text = new StringBuilder(source);
		int position = random.nextInt(text.length());
		char replacement = (char) (text.charAt(position) ^ (1 << random.nextInt(16)));
		switch (random.nextInt(3)) {
			case 0 -> text.setCharAt(position, replacement);
			case 1 -> text.insert(position, replacement);
			default -> {
				if (text.length() > 1) {
					text.deleteCharAt(position);
				}
				else {
					text.append('%');
				}
			}
		}
		return text.toString();
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder();
		text.chars().forEach((c) -> {
			if (c >= 0x20 && c < 0x7F) {
				escaped.append((char) c);
			}
			else {
				escaped.append(String.format("\\u%04X", c));
			}
		});
		return escaped.toString();
	}

}
